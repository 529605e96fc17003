// An EventEmitter whose listeners cannot break the emitter: a listener that throws is reported and the
// others still run. The upgrade service emits from the middle of its state transitions; a bug in the
// window's bridge or the journal glue must never leave a row half-moved.
import { EventEmitter } from 'node:events';

type EventMap<T> = Record<keyof T, unknown[]>;

export class GuardedEmitter<T extends EventMap<T>> extends EventEmitter<T> {
  constructor(onListenerError: (event: string, error: unknown) => void) {
    super();
    this.emit = ((event: string, ...args: unknown[]) => {
      const listeners = this.rawListeners(event as never) as unknown as ((...a: unknown[]) => void)[];
      for (const listener of listeners) {
        try {
          listener.apply(this, args);
        } catch (e) {
          onListenerError(event, e);
        }
      }
      return listeners.length > 0;
    }) as typeof this.emit;
  }
}
