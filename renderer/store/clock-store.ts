// The page's own second hand, set to the host's time: rows still running tick their Elapsed and their
// silence with it, and only those rows listen, so a finished batch costs nothing. The App winds it once a
// second. Row times are the host's, so the page learns how far its clock is from the host's: the least
// delay seen between a row's updatedAt and its arrival (a few recent pushes, so a clock set meanwhile is
// soon followed). The offset is applied at the next tick, never re-rendering a row by itself.
import { createStore } from 'zustand/vanilla';

export interface ClockState {
  /** The host's time now (ms since the epoch), as of the last tick. */
  hostNow: number;
  /** This page's clock minus the host's (ms). */
  skewMs: number;
  tick: () => void;
  /** Host times (ISO) of rows that just arrived. */
  sample: (hostTimes: readonly string[]) => void;
}

const SAMPLES = 64;

export function createClockStore(now: () => number = Date.now) {
  const samples: number[] = [];
  return createStore<ClockState>()((set, get) => ({
    hostNow: now(),
    skewMs: 0,
    tick: () => set({ hostNow: now() - get().skewMs }),
    sample(hostTimes) {
      const at = now();
      for (const t of hostTimes) {
        const host = Date.parse(t);
        if (Number.isFinite(host)) samples.push(at - host);
      }
      samples.splice(0, Math.max(0, samples.length - SAMPLES));
      if (samples.length) set({ skewMs: Math.min(...samples) });
    },
  }));
}
