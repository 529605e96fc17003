// What the technician chose: the view, the selected devices (shared by Devices and Upgrade), the search.
import { createStore } from 'zustand/vanilla';
import type { UpgradeType } from '../../preload/api';

export const VIEWS = ['Connection', 'Devices', 'Firmware', 'Upgrade', 'Progress', 'Vehicles', 'Log'] as const;
export type ViewName = (typeof VIEWS)[number];

export interface UiState {
  view: ViewName;
  selected: Record<string, true>;
  search: string;
  firmwareId?: string;
  upgradeType: UpgradeType;
  /** What the demo mode started in this window's session; undefined while it is not running (as far as we know). */
  demo?: { docks: string[]; vehicles: number };
  setView(view: ViewName): void;
  setSelected(sns: string[], on: boolean): void;
  setSearch(search: string): void;
  setFirmwareId(id: string | undefined): void;
  setUpgradeType(type: UpgradeType): void;
  setDemo(demo: { docks: string[]; vehicles: number } | undefined): void;
}

export function createUiStore(view: ViewName = 'Connection') {
  return createStore<UiState>()((set, get) => ({
    view,
    selected: {},
    search: '',
    upgradeType: 'regular',
    setView: (next) => set({ view: next }),
    setSelected(sns, on) {
      const selected = { ...get().selected };
      for (const sn of sns) {
        if (on) selected[sn] = true;
        else delete selected[sn];
      }
      set({ selected });
    },
    setSearch: (search) => set({ search }),
    setFirmwareId: (firmwareId) => set({ firmwareId }),
    setUpgradeType: (upgradeType) => set({ upgradeType }),
    setDemo: (demo) => set({ demo }),
  }));
}
