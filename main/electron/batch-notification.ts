// A desktop notification when a batch ends, so a technician who walked to the dock hears about it.
import type { BatchSummary } from '../../preload/api';
import { batchCountsInWords, batchHadProblems } from '../../preload/dji-codes';
import type { ApiBackend } from '../host/backend';

export interface BatchNotice {
  title: string;
  body: string;
}

export function batchNotice(batch: BatchSummary): BatchNotice {
  return {
    title: batchHadProblems(batch.counts) ? 'Upgrade batch finished with problems' : 'Upgrade batch finished',
    body: `${batch.total} device${batch.total === 1 ? '' : 's'}: ${batchCountsInWords(batch.counts) || 'no results'}`,
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
