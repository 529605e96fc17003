// Which of our tasks a message from a dock belongs to. In the Cloud API `bid` is the id of a long-running
// task: the dock keeps the ota_create's bid on every ota_progress of it, while each event is its own
// transaction and may carry a fresh tid. So: by bid, then by one of the tids we sent, then by the gateway
// when exactly one task of ours is open there (DJI's sample server follows progress by the gateway alone).
// A message only ever matches a task sent to the gateway whose topic it arrived on.

export interface IndexedTask {
  /** The ota_create's bid: the task's key. */
  readonly bid: string;
  readonly gateway: string;
  /** Every ota_create tid sent for this task (each try has a fresh one). */
  readonly tids: ReadonlySet<string>;
}

export type Match<T> = { task: T; by: 'bid' | 'tid' | 'gateway' } | { task?: undefined; foreign: string };

export class TaskIndex<T extends IndexedTask> {
  private readonly byBid = new Map<string, T>();
  private readonly byTid = new Map<string, T>();

  /** @param open whether a task may still take progress matched by its gateway alone */
  constructor(private readonly open: (task: T) => boolean) {}

  add(task: T): void {
    this.byBid.set(task.bid, task);
    for (const tid of task.tids) this.byTid.set(tid, task);
  }

  /** Call after adding a tid to a task's set. */
  addTid(task: T, tid: string): void {
    this.byTid.set(tid, task);
  }

  get(bid: string): T | undefined {
    return this.byBid.get(bid);
  }

  /** A superseded task (its row retried) keeps its ids known, so its late messages are not mistaken for a stranger's. */
  has(task: T): boolean {
    return this.byBid.get(task.bid) === task;
  }

  all(): IterableIterator<T> {
    return this.byBid.values();
  }

  openOn(gateway: string): T[] {
    const found: T[] = [];
    for (const t of this.byBid.values()) if (t.gateway === gateway && this.open(t)) found.push(t);
    return found;
  }

  /** The task a message arriving on `gateway`'s topics belongs to, or why it belongs to none of ours. */
  match(gateway: string, ids: { bid: string; tid: string }): Match<T> {
    const byId = (ids.bid && this.byBid.get(ids.bid)) || undefined;
    const byTid = (ids.tid && this.byTid.get(ids.tid)) || undefined;
    for (const [task, by] of [
      [byId, 'bid'],
      [byTid, 'tid'],
    ] as const) {
      if (!task) continue;
      if (task.gateway !== gateway) return { foreign: `it names task ${task.bid} of gateway ${task.gateway} but came on ${gateway}'s topic` };
      return { task, by };
    }
    const open = this.openOn(gateway);
    if (open.length === 1) return { task: open[0]!, by: 'gateway' };
    if (open.length === 0) return { foreign: `no upgrade of ours is running on ${gateway}` };
    return { foreign: `${open.length} upgrades of ours are open on ${gateway} and it names none of them` };
  }
}
