// Upgrade rows keyed `${batchId}:${sn}` (one per device per batch; a retry is the same row's next attempt):
// a progress tick replaces one row object, so a row component selecting its own key re-renders and nothing
// else does; `order` and the batch lists change only when a row or a batch is new. Batches are kept
// newest first, so the batch just started is the one the Progress view opens with.
import { createStore } from 'zustand/vanilla';
import type { BatchSummary, DeviceUpgrade, DjiStatus } from '../../preload/api';
import { DJI_TERMINAL_STATUSES } from '../../preload/dji-codes';

export interface UpgradesState {
  byKey: Record<string, DeviceUpgrade>;
  order: string[];
  /** Batch ids, newest first. */
  batchOrder: string[];
  /** Each batch's row keys, in the order its devices were sent. */
  batchRows: Record<string, string[]>;
  /** Batches the technician opened or closed by hand; the others follow `isOpenByDefault`. */
  opened: Record<string, boolean>;
  /** The batch the view should bring into sight (just started, or a retry pressed), with a counter so the same one can be asked again. */
  focus?: { batchId: string; nonce: number };
  /** The last batch the core announced as ended while this window was open: the tab title and the notification. */
  lastEnded?: BatchSummary;
  replace: (rows: DeviceUpgrade[]) => void;
  applyRows: (rows: DeviceUpgrade[]) => void;
  applyBatches: (batches: BatchSummary[]) => void;
  setOpen: (batchId: string, open: boolean) => void;
  focusBatch: (batchId: string) => void;
}

/** Rows journaled before batches existed carry none: each task is then a batch of its own. */
export const batchOf = (row: Pick<DeviceUpgrade, 'batchId' | 'tid'>): string => row.batchId ?? `task:${row.tid}`;

/** An older snapshot (a queued push behind a fresh list) never replaces a newer one. */
function isNewer(incoming: DeviceUpgrade, current: DeviceUpgrade | undefined): boolean {
  return !current || incoming.updatedAt >= current.updatedAt;
}

function grouped(rows: readonly DeviceUpgrade[]): { batchOrder: string[]; batchRows: Record<string, string[]> } {
  const batchRows: Record<string, string[]> = {};
  const firstStart: Record<string, string> = {};
  for (const r of rows) {
    const b = batchOf(r);
    (batchRows[b] ??= []).push(r.key);
    if (firstStart[b] === undefined || r.startedAt < firstStart[b]) firstStart[b] = r.startedAt;
  }
  const batchOrder = Object.keys(batchRows).sort((a, b) => firstStart[b]!.localeCompare(firstStart[a]!));
  return { batchOrder, batchRows };
}

export function createUpgradesStore() {
  return createStore<UpgradesState>()((set, get) => ({
    byKey: {},
    order: [],
    batchOrder: [],
    batchRows: {},
    opened: {},
    replace(rows) {
      set({ byKey: Object.fromEntries(rows.map((r) => [r.key, r])), order: rows.map((r) => r.key), ...grouped(rows) });
    },
    applyRows(rows) {
      const { byKey, order, batchOrder, batchRows } = get();
      let nextByKey: Record<string, DeviceUpgrade> | undefined;
      let added: DeviceUpgrade[] | undefined;
      for (const row of rows) {
        const current = (nextByKey ?? byKey)[row.key];
        if (!isNewer(row, current)) continue;
        nextByKey ??= { ...byKey };
        nextByKey[row.key] = row;
        if (!current) (added ??= []).push(row);
      }
      if (!nextByKey) return;
      if (!added) return set({ byKey: nextByKey });
      const nextRows = { ...batchRows };
      const fresh: string[] = [];
      for (const row of added) {
        const b = batchOf(row);
        if (!nextRows[b]) fresh.push(b);
        nextRows[b] = [...(nextRows[b] ?? []), row.key];
      }
      set({ byKey: nextByKey, order: [...order, ...added.map((r) => r.key)], batchRows: nextRows, batchOrder: fresh.length ? [...fresh.reverse(), ...batchOrder] : batchOrder });
    },
    applyBatches(batches) {
      const ended = batches.filter((b) => b.endedAt !== undefined).at(-1);
      if (ended) set({ lastEnded: ended });
    },
    setOpen(batchId, open) {
      set({ opened: { ...get().opened, [batchId]: open } });
    },
    focusBatch(batchId) {
      set({ focus: { batchId, nonce: (get().focus?.nonce ?? 0) + 1 } });
    },
  }));
}

type Batches = Pick<UpgradesState, 'byKey' | 'batchRows' | 'batchOrder' | 'opened'>;

/** Devices of a batch by their status (each device once: its row is its latest attempt). */
export function batchCounts(s: Pick<UpgradesState, 'byKey' | 'batchRows'>, batchId: string): Partial<Record<DjiStatus, number>> {
  const counts: Partial<Record<DjiStatus, number>> = {};
  for (const key of s.batchRows[batchId] ?? []) {
    const status = s.byKey[key]?.status;
    if (status) counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

/** Every device of the batch has ended; a held one keeps it open, waiting for the technician. */
export function batchEnded(s: Pick<UpgradesState, 'byKey' | 'batchRows'>, batchId: string): boolean {
  return (s.batchRows[batchId] ?? []).every((key) => {
    const row = s.byKey[key];
    return row !== undefined && DJI_TERMINAL_STATUSES.has(row.status);
  });
}

/** The newest batch is open, and so is any batch still running; an ended earlier batch is folded away. */
export function isOpen(s: Batches, batchId: string): boolean {
  return s.opened[batchId] ?? (s.batchOrder[0] === batchId || !batchEnded(s, batchId));
}

export const BATCH_ITEM = 'batch\u0000';

/** What the Progress list shows, top to bottom: each batch's header, then its rows when it is open. */
export function progressItems(s: Batches): string[] {
  const items: string[] = [];
  for (const b of s.batchOrder) {
    items.push(BATCH_ITEM + b);
    if (isOpen(s, b)) items.push(...(s.batchRows[b] ?? []));
  }
  return items;
}
