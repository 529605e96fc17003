// A size limit on MQTT packets before the broker buffers them: aedes has none, and its parser would hold
// a 100 MB PUBLISH in memory. This reads only each packet's fixed header (MQTT 3.1.1 §2.2) as bytes pass.
import { Transform } from 'node:stream';

/** Where the scan is between chunks: in a header (the length bytes read so far) or inside a body. */
export type FrameScan = { at: 'type' } | { at: 'length'; value: number; multiplier: number; bytes: number } | { at: 'body'; left: number };

export const START: FrameScan = { at: 'type' };

export type ScanResult = { ok: true; next: FrameScan } | { ok: false; reason: string };

/**
 * Walks one chunk of a client's stream: refuses a packet whose declared remaining length exceeds
 * `maxBytes`, or a malformed length (more than four length bytes), as soon as its header is read.
 */
export function scanFrames(state: FrameScan, chunk: Uint8Array, maxBytes: number): ScanResult {
  let s = state;
  let i = 0;
  while (i < chunk.length) {
    if (s.at === 'type') {
      i++;
      s = { at: 'length', value: 0, multiplier: 1, bytes: 0 };
    } else if (s.at === 'length') {
      const byte = chunk[i++]!;
      const value = s.value + (byte & 0x7f) * s.multiplier;
      const bytes = s.bytes + 1;
      if (byte & 0x80) {
        if (bytes >= 4) return { ok: false, reason: 'malformed remaining length' };
        s = { at: 'length', value, multiplier: s.multiplier * 128, bytes };
        continue;
      }
      if (value > maxBytes) return { ok: false, reason: `a packet of ${value} bytes (the limit is ${maxBytes})` };
      s = value === 0 ? START : { at: 'body', left: value };
    } else {
      const take = Math.min(s.left, chunk.length - i);
      i += take;
      s = s.left === take ? START : { at: 'body', left: s.left - take };
    }
  }
  return { ok: true, next: s };
}

/** Passes a client's bytes through unchanged; calls `refuse` (and passes nothing more) on an oversized packet. */
export function packetSizeGuard(maxBytes: number, refuse: (reason: string) => void): Transform {
  let state: FrameScan = START;
  let refused = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (refused) return done();
      const r = scanFrames(state, chunk, maxBytes);
      if (!r.ok) {
        refused = true;
        refuse(r.reason);
        return done();
      }
      state = r.next;
      done(null, chunk);
    },
  });
}
