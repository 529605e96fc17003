// What the technician chose: the view, the selected devices (shared by Devices and Upgrade), the search,
// the upgrade being prepared (files per device, rollout), the job (site, technician: remembered, and used
// by the export panel too) and the theme (remembered).
import { createStore } from 'zustand/vanilla';
import type { UpgradeType } from '../../preload/api';
import { createPreferences, type Preferences } from '../lib/preferences';

export const VIEWS = ['Connection', 'Devices', 'Firmware', 'Upgrade', 'Progress', 'Vehicles', 'Log'] as const;
export type ViewName = (typeof VIEWS)[number];

export const THEMES = ['system', 'light', 'dark', 'contrast'] as const;
export type ThemeChoice = (typeof THEMES)[number];

export interface Job {
  site: string;
  technician: string;
}

/** The rollout as typed: empty means "no limit" (and 0 canaries means none). */
export interface RolloutFields {
  canary: string;
  maxParallel: string;
  stopAfterFailures: string;
}

export const NO_ROLLOUT: RolloutFields = { canary: '', maxParallel: '', stopAfterFailures: '' };

export interface UiState {
  view: ViewName;
  selected: Record<string, true>;
  search: string;
  firmwareId?: string;
  upgradeType: UpgradeType;
  /** A file per device, where it is not the batch's file. */
  packages: Record<string, string>;
  rollout: RolloutFields;
  job: Job;
  theme: ThemeChoice;
  /** The device whose upgrade history is open (Devices view). */
  historyOf?: string;
  /** What the demo mode started in this window's session; undefined while it is not running (as far as we know). */
  demo?: { docks: string[]; vehicles: number };
  setView: (view: ViewName) => void;
  setSelected: (sns: string[], on: boolean) => void;
  setSearch: (search: string) => void;
  setFirmwareId: (id: string | undefined) => void;
  setUpgradeType: (type: UpgradeType) => void;
  setPackages: (sns: string[], firmwareId: string | undefined) => void;
  setRollout: (patch: Partial<RolloutFields>) => void;
  setJob: (patch: Partial<Job>) => void;
  setTheme: (theme: ThemeChoice) => void;
  setHistoryOf: (sn: string | undefined) => void;
  /** After a batch is sent: nothing stays ticked to be sent again by accident. */
  clearUpgradeChoice: () => void;
  setDemo: (demo: { docks: string[]; vehicles: number } | undefined) => void;
}

const isJob = (v: unknown): v is Job => typeof v === 'object' && v !== null && typeof (v as Job).site === 'string' && typeof (v as Job).technician === 'string';
const isTheme = (v: unknown): v is ThemeChoice => typeof v === 'string' && (THEMES as readonly string[]).includes(v);

export function createUiStore(view: ViewName = 'Connection', prefs: Preferences = createPreferences(undefined)) {
  return createStore<UiState>()((set, get) => ({
    view,
    selected: {},
    search: '',
    upgradeType: 'regular',
    packages: {},
    rollout: NO_ROLLOUT,
    job: prefs.get('job', { site: '', technician: '' }, isJob),
    theme: prefs.get('theme', 'system', isTheme),
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
    setPackages(sns, firmwareId) {
      const packages = { ...get().packages };
      for (const sn of sns) {
        if (firmwareId) packages[sn] = firmwareId;
        else delete packages[sn];
      }
      set({ packages });
    },
    setRollout: (patch) => set({ rollout: { ...get().rollout, ...patch } }),
    setJob(patch) {
      const job = { ...get().job, ...patch };
      prefs.set('job', job);
      set({ job });
    },
    setTheme(theme) {
      prefs.set('theme', theme);
      set({ theme });
    },
    setHistoryOf: (historyOf) => set({ historyOf }),
    clearUpgradeChoice: () => set({ selected: {}, packages: {} }),
    setDemo: (demo) => set({ demo }),
  }));
}
