// Queueing: tasks wait until fewer than `concurrency` gateways are upgrading, and each batch's rows are
// counted by their latest attempt until every one of them has ended.
import type { BatchSummary, DeviceUpgrade } from '../../preload/api';
import { TERMINAL } from './upgrade-machine';
import type { UpgradeTask } from './upgrade-task';

interface Batch {
  rowKeys: string[];
  ended: boolean;
}

export class BatchQueue {
  private waiting: UpgradeTask[] = [];
  private readonly batches = new Map<string, Batch>();

  constructor(private readonly concurrency: number) {}

  openBatch(batchId: string, rowKeys: string[]): void {
    this.batches.set(batchId, { rowKeys, ended: false });
  }

  enqueue(task: UpgradeTask): void {
    this.waiting.push(task);
  }

  remove(task: UpgradeTask): void {
    this.waiting = this.waiting.filter((t) => t !== task);
  }

  /** The tasks to send now, given how many are in flight. */
  next(inFlight: number): UpgradeTask[] {
    const free = Math.max(0, this.concurrency - inFlight);
    return this.waiting.splice(0, free);
  }

  /** A retry makes an ended batch live again, so its end is announced once more. */
  reopen(batchId: string): void {
    const b = this.batches.get(batchId);
    if (b) b.ended = false;
  }

  /**
   * The batch's summary after a change, counted per device (its latest attempt), or undefined when the
   * batch is unknown or already announced as ended. `settled` says whether a row's end is final (a row
   * waiting for its new version is not).
   */
  summary(batchId: string, row: (key: string) => DeviceUpgrade | undefined, now: string): BatchSummary | undefined {
    const batch = this.batches.get(batchId);
    if (!batch || batch.ended) return undefined;
    const counts: Record<string, number> = {};
    let done = true;
    for (const key of batch.rowKeys) {
      const r = row(key);
      if (!r) continue;
      counts[r.status] = (counts[r.status] ?? 0) + 1;
      if (!TERMINAL.has(r.status)) done = false;
    }
    const summary: BatchSummary = { batchId, total: batch.rowKeys.length, counts };
    if (done) {
      batch.ended = true;
      summary.endedAt = now;
    }
    return summary;
  }
}
