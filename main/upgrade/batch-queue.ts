// Queueing: tasks wait until fewer than `concurrency` gateways are upgrading (and fewer than the batch's
// own `maxParallel`), and each batch's rows are counted by their latest attempt until all have ended.
import type { BatchSummary, DeviceUpgrade } from '../../preload/api';
import type { RolloutPlan } from './rollout';
import { TERMINAL } from './upgrade-machine';
import type { UpgradeTask } from './upgrade-task';

interface Batch {
  rowKeys: string[];
  ended: boolean;
  rollout: RolloutPlan;
}

export class BatchQueue {
  private waiting: UpgradeTask[] = [];
  private readonly batches = new Map<string, Batch>();

  constructor(private readonly concurrency: number) {}

  openBatch(batchId: string, rowKeys: string[], rollout: RolloutPlan = { canary: 0 }): void {
    this.batches.set(batchId, { rowKeys, ended: false, rollout });
  }

  rollout(batchId: string): RolloutPlan | undefined {
    return this.batches.get(batchId)?.rollout;
  }

  rowKeys(batchId: string): readonly string[] {
    return this.batches.get(batchId)?.rowKeys ?? [];
  }

  enqueue(task: UpgradeTask): void {
    this.waiting.push(task);
  }

  remove(task: UpgradeTask): void {
    this.waiting = this.waiting.filter((t) => t !== task);
  }

  /** The tasks to send now, given how many are in flight in all and in each batch. */
  next(inFlight: number, inFlightOf: (batchId: string) => number): UpgradeTask[] {
    const taken: UpgradeTask[] = [];
    const perBatch = new Map<string, number>();
    for (const task of this.waiting) {
      if (inFlight + taken.length >= this.concurrency) break;
      const limit = this.batches.get(task.batchId)?.rollout.maxParallel;
      const busy = perBatch.get(task.batchId) ?? inFlightOf(task.batchId);
      if (limit !== undefined && busy >= limit) continue;
      perBatch.set(task.batchId, busy + 1);
      taken.push(task);
    }
    this.waiting = this.waiting.filter((t) => !taken.includes(t));
    return taken;
  }

  /** A retry makes an ended batch live again, so its end is announced once more. */
  reopen(batchId: string): void {
    const b = this.batches.get(batchId);
    if (b) b.ended = false;
  }

  /**
   * The batch's summary after a change, counted per device (its latest attempt), or undefined when the
   * batch is unknown or already announced as ended. A batch with held devices has not ended: they wait
   * for the technician.
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
