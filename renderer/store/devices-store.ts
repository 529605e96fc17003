// Devices keyed by SN, listed dock first within each gateway so a dock and its drone sit together.
import { createStore } from 'zustand/vanilla';
import type { DeviceInfo } from '../../preload/api';

export interface DevicesState {
  bySn: Record<string, DeviceInfo>;
  order: string[];
  replace: (devices: DeviceInfo[]) => void;
  apply: (devices: DeviceInfo[]) => void;
}

const KIND_RANK: Record<DeviceInfo['kind'], number> = { dock: 0, drone: 1, rc: 2, payload: 3, unknown: 4 };

function sorted(bySn: Record<string, DeviceInfo>): string[] {
  return Object.values(bySn)
    .sort((a, b) => a.gateway.localeCompare(b.gateway) || KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.sn.localeCompare(b.sn))
    .map((d) => d.sn);
}

export function createDevicesStore() {
  return createStore<DevicesState>()((set, get) => ({
    bySn: {},
    order: [],
    replace(devices) {
      const bySn = Object.fromEntries(devices.map((d) => [d.sn, d]));
      set({ bySn, order: sorted(bySn) });
    },
    apply(devices) {
      const { bySn, order } = get();
      const next = { ...bySn };
      let reorder = false;
      for (const d of devices) {
        const before = next[d.sn];
        if (!before || before.gateway !== d.gateway || before.kind !== d.kind) reorder = true;
        next[d.sn] = d;
      }
      set({ bySn: next, order: reorder ? sorted(next) : order });
    },
  }));
}
