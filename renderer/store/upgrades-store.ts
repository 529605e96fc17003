// Upgrade rows keyed by `${tid}:${sn}`: a progress tick replaces one row object, so a row component
// selecting its own key re-renders and nothing else does; `order` changes only when a row is new.
import { createStore } from 'zustand/vanilla';
import type { BatchSummary, DeviceUpgrade } from '../../preload/api';

export interface UpgradesState {
  byKey: Record<string, DeviceUpgrade>;
  order: string[];
  batches: Record<string, BatchSummary>;
  /** The last batch that ended, for the banner, until dismissed. */
  endedBatch?: BatchSummary;
  replace(rows: DeviceUpgrade[]): void;
  applyRows(rows: DeviceUpgrade[]): void;
  applyBatches(batches: BatchSummary[]): void;
  dismissBanner(): void;
}

/** An older snapshot (a queued push behind a fresh list) never replaces a newer one. */
function isNewer(incoming: DeviceUpgrade, current: DeviceUpgrade | undefined): boolean {
  return !current || incoming.updatedAt >= current.updatedAt;
}

export function createUpgradesStore() {
  return createStore<UpgradesState>()((set, get) => ({
    byKey: {},
    order: [],
    batches: {},
    replace(rows) {
      set({ byKey: Object.fromEntries(rows.map((r) => [r.key, r])), order: rows.map((r) => r.key) });
    },
    applyRows(rows) {
      const { byKey, order } = get();
      let nextByKey: Record<string, DeviceUpgrade> | undefined;
      let added: string[] | undefined;
      for (const row of rows) {
        const current = (nextByKey ?? byKey)[row.key];
        if (!isNewer(row, current)) continue;
        nextByKey ??= { ...byKey };
        nextByKey[row.key] = row;
        if (!current) (added ??= []).push(row.key);
      }
      if (!nextByKey) return;
      set(added ? { byKey: nextByKey, order: [...order, ...added] } : { byKey: nextByKey });
    },
    applyBatches(batches) {
      const next = { ...get().batches };
      let ended: BatchSummary | undefined;
      for (const b of batches) {
        if (b.endedAt && !next[b.batchId]?.endedAt) ended = b;
        next[b.batchId] = b;
      }
      set(ended ? { batches: next, endedBatch: ended } : { batches: next });
    },
    dismissBanner() {
      set({ endedBatch: undefined });
    },
  }));
}
