// What the tab title and the browser notification say about batches, so a technician with the tab in the
// background learns that a batch ended. Pure: the App feeds it the stores and the page's visibility.
import type { BatchSummary } from '../../preload/api';
import { batchCountsInWords, batchHadProblems } from '../../preload/dji-codes';

/** "Batch finished with problems: 4 devices — 1 upgraded and verified, 2 failed, 1 rejected by the dock". */
export function batchEndWords(batch: Pick<BatchSummary, 'total' | 'counts'>): { title: string; body: string } {
  const title = batchHadProblems(batch.counts) ? 'Batch finished with problems' : 'Batch finished';
  return { title, body: `${batch.total} device${batch.total === 1 ? '' : 's'} — ${batchCountsInWords(batch.counts) || 'no results'}` };
}

/**
 * The tab title: an ended batch not yet looked at comes first ("✓ Batch finished · Progress — Dockside"),
 * else how many devices are upgrading ("3 upgrading · Upgrade — Dockside"), else the view.
 */
export function tabTitle(view: string, running: number, unseenEnd: Pick<BatchSummary, 'total' | 'counts'> | undefined): string {
  if (unseenEnd) return `${batchHadProblems(unseenEnd.counts) ? '⚠' : '✓'} ${batchEndWords(unseenEnd).title} · ${view} — Dockside`;
  if (running > 0) return `${running} upgrading · ${view} — Dockside`;
  return `${view} — Dockside`;
}
