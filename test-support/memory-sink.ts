// An IngestSink that keeps what it is given in memory: for tests, benchmarks and the simulators' checks.
import type { UpgradeEvent } from '../preload/api';
import type { IngestError, IngestSink } from '../main/ingest/ingest-sink';

export interface MemorySink extends IngestSink {
  readonly accepted: { events: UpgradeEvent[]; origin: string }[];
  readonly rejected: { error: IngestError; origin: string }[];
  /** Every accepted event, in arrival order. */
  events: () => UpgradeEvent[];
  /** Resolves once at least `n` events were accepted (or `n` rejects, with `rejects: true`). */
  waitFor: (n: number, rejects?: boolean) => Promise<void>;
  /** Makes the next `accept` calls fail, as a full disk would. */
  failAccepts: (on: boolean) => void;
}

export function createMemorySink(): MemorySink {
  const accepted: MemorySink['accepted'] = [];
  const rejected: MemorySink['rejected'] = [];
  const waiters: { n: number; rejects: boolean; resolve: () => void }[] = [];
  let failing = false;
  const eventCount = () => accepted.reduce((sum, a) => sum + a.events.length, 0);
  const wake = () => {
    for (const w of [...waiters]) {
      if ((w.rejects ? rejected.length : eventCount()) >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  return {
    accepted,
    rejected,
    events: () => accepted.flatMap((a) => a.events),
    async accept(events, origin) {
      if (failing) throw new Error('journal unavailable');
      accepted.push({ events, origin });
      wake();
    },
    async reject(error, origin) {
      rejected.push({ error, origin });
      wake();
    },
    waitFor(n, rejects = false) {
      return new Promise((resolve) => {
        waiters.push({ n, rejects, resolve });
        wake();
      });
    },
    failAccepts(on) {
      failing = on;
    },
  };
}
