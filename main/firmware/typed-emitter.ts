// A small typed event emitter. Unlike node:events, an 'error' event with no listener does not throw, and a
// listener that throws is reported and skipped: a broken UI subscriber must not stop the file server.

// `any` here only so that listeners with specific parameter types fit the constraint.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: `unknown[]` would refuse them.
type Listener = (...args: any[]) => void;

export class TypedEmitter<Events extends Record<keyof Events, Listener>> {
  private readonly listeners = new Map<keyof Events, Set<Listener>>();

  /** Returns the function that unsubscribes. */
  on<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: Events[K]): void {
    this.listeners.get(event)?.delete(listener);
  }

  protected emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (e) {
        console.error(`dockside: a "${String(event)}" listener failed:`, e);
      }
    }
  }

  protected hasListeners(event: keyof Events): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }
}
