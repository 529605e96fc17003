// Coalesces stream pushes into one frame per ~16 ms. Streams whose payload is a full snapshot of one
// thing (an upgrade row, a device, a firmware file, the connection, a vehicle, a campaign) keep only
// the latest payload per thing within a frame, so a 250 ms progress tick of 200 docks costs one small
// frame, not 200, and a fleet of vehicles reporting at once costs one summary per vehicle.
import type { StreamName, StreamPayload } from '../../preload/api';
import type { StreamItem } from '../../preload/transport';

type KeyOf = { [S in StreamName]?: (payload: StreamPayload<S>) => string };

/** Snapshot streams and how to name the thing a payload describes. */
export const COALESCE_KEY: KeyOf = {
  upgrade: (p) => p.key,
  firmware: (p) => p.id,
  device: (p) => p.sn,
  connection: () => 'connection',
  vehicle: (p) => p.key,
  campaign: (p) => p.key,
};

export const BATCH_INTERVAL_MS = 16;

export interface StreamBatcher {
  push: (stream: StreamName, payload: unknown) => void;
  /** Sends what is queued now (used on close so nothing queued is lost). */
  flushNow: () => void;
  close: () => void;
}

export function createStreamBatcher(flush: (batch: StreamItem[]) => void, intervalMs = BATCH_INTERVAL_MS): StreamBatcher {
  // A superseded entry becomes null so the latest payload keeps its place after everything before it.
  let entries: (StreamItem | null)[] = [];
  let index = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const flushNow = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const batch = entries.filter((e): e is StreamItem => e !== null);
    entries = [];
    index = new Map();
    if (batch.length > 0) flush(batch);
  };

  return {
    push(stream, payload) {
      if (closed) return;
      const keyOf = COALESCE_KEY[stream] as ((p: unknown) => string) | undefined;
      if (keyOf) {
        const key = `${stream}\u0000${keyOf(payload)}`;
        const earlier = index.get(key);
        if (earlier !== undefined) entries[earlier] = null;
        index.set(key, entries.length);
      }
      entries.push({ stream, payload });
      if (timer === undefined) timer = setTimeout(flushNow, intervalMs);
    },
    flushNow,
    close() {
      flushNow();
      closed = true;
    },
  };
}
