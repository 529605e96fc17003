// Exports started from this window, newest first, with their progress as the host reports it. A push
// may come before export.start has answered (a small log is written at once), so either creates the entry.
import { createStore } from 'zustand/vanilla';
import type { ExportProgress } from '../../preload/api';

export type ExportFormat = ExportProgress['format'];

export interface ExportsState {
  byId: Record<string, ExportProgress>;
  order: string[];
  started: (exportId: string, format: ExportFormat) => void;
  apply: (progress: ExportProgress[]) => void;
}

/** Once an export ended (its file, or its error), later pushes cannot take it back. */
function ended(p: ExportProgress | undefined): boolean {
  return p?.fileName !== undefined || p?.error !== undefined;
}

export function createExportsStore() {
  return createStore<ExportsState>()((set, get) => ({
    byId: {},
    order: [],
    started(exportId, format) {
      const { byId, order } = get();
      if (byId[exportId]) return;
      set({ byId: { ...byId, [exportId]: { exportId, format, done: 0, total: 0 } }, order: [exportId, ...order] });
    },
    apply(progress) {
      const { byId, order } = get();
      const next = { ...byId };
      const added: string[] = [];
      for (const p of progress) {
        if (ended(next[p.exportId])) continue;
        if (!next[p.exportId]) added.push(p.exportId);
        next[p.exportId] = p;
      }
      set({ byId: next, order: added.length ? [...added.reverse(), ...order] : order });
    },
  }));
}

/** 0–100 for the bar: a finished export is full even when it had nothing to write. */
export function exportPercent(p: ExportProgress): number {
  if (p.fileName !== undefined) return 100;
  return p.total > 0 ? (100 * p.done) / p.total : 0;
}
