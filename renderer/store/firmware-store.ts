// Firmware files by id, in the order they were added.
import { createStore } from 'zustand/vanilla';
import type { FirmwareInfo } from '../../preload/api';

export interface FirmwareState {
  byId: Record<string, FirmwareInfo>;
  order: string[];
  replace: (list: FirmwareInfo[]) => void;
  apply: (list: FirmwareInfo[]) => void;
  remove: (ids: string[]) => void;
}

export function createFirmwareStore() {
  return createStore<FirmwareState>()((set, get) => ({
    byId: {},
    order: [],
    replace(list) {
      set({ byId: Object.fromEntries(list.map((f) => [f.id, f])), order: list.map((f) => f.id) });
    },
    apply(list) {
      const { byId, order } = get();
      const next = { ...byId };
      const added = list.filter((f) => !next[f.id]).map((f) => f.id);
      for (const f of list) next[f.id] = f;
      set({ byId: next, order: added.length ? [...order, ...new Set(added)] : order });
    },
    remove(ids) {
      const next = { ...get().byId };
      for (const id of ids) delete next[id];
      set({ byId: next, order: get().order.filter((id) => id in next) });
    },
  }));
}
