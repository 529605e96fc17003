// A desktop notification when a batch ends, so a technician who walked to the dock hears about it.
import { DJI_STATUSES, type BatchSummary, type DjiStatus } from '../../preload/api';
import { DJI_STATUS_WORDS } from '../../preload/dji-codes';
import type { ApiBackend } from '../host/backend';

export interface BatchNotice {
  title: string;
  body: string;
}

/** "2 upgraded, 1 failed" in the order of the statuses, zero counts left out. */
export function batchNotice(batch: BatchSummary): BatchNotice {
  const parts = DJI_STATUSES.filter((s) => (batch.counts[s] ?? 0) > 0).map((s: DjiStatus) => `${batch.counts[s]} ${DJI_STATUS_WORDS[s].toLowerCase()}`);
  const failed = (['failed', 'rejected', 'timeout', 'canceled'] as const).some((s) => (batch.counts[s] ?? 0) > 0);
  return {
    title: failed ? 'Upgrade batch finished with problems' : 'Upgrade batch finished',
    body: `${batch.total} device${batch.total === 1 ? '' : 's'}: ${parts.join(', ') || 'no results'}`,
  };
}

export function notifyWhenBatchesEnd(backend: Pick<ApiBackend, 'subscribe'>, notify: (notice: BatchNotice) => void): () => void {
  const told = new Set<string>();
  return backend.subscribe((stream, payload) => {
    if (stream !== 'batch') return;
    const batch = payload as BatchSummary;
    if (!batch.endedAt || told.has(batch.batchId)) return;
    told.add(batch.batchId);
    notify(batchNotice(batch));
  });
}
