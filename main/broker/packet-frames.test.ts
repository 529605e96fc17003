import { describe, expect, it } from 'vitest';
import { scanFrames, START, type FrameScan } from './packet-frames';

const MAX = 1000;

/** A fixed header for a PUBLISH with the given remaining length, encoded as MQTT does. */
function header(length: number): number[] {
  const out = [0x30];
  let n = length;
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

function scanAll(chunks: number[][]): ReturnType<typeof scanFrames> {
  let state: FrameScan = START;
  for (const c of chunks) {
    const r = scanFrames(state, Uint8Array.from(c), MAX);
    if (!r.ok) return r;
    state = r.next;
  }
  return { ok: true, next: state };
}

describe('scanFrames', () => {
  it.each<[string, number[][], FrameScan]>([
    ['a PINGREQ (no body)', [[0xc0, 0x00]], START],
    ['a small packet in one chunk', [[...header(3), 1, 2, 3]], START],
    ['a packet exactly at the limit, body still to come', [header(MAX)], { at: 'body', left: MAX }],
    ['a header split across chunks', [[0x30, 0xe8], [0x07]], { at: 'body', left: 1000 }],
    ['two packets in one chunk', [[...header(1), 9, ...header(2), 8, 8]], START],
    ['a body split across chunks', [[...header(4), 1], [2, 3], [4]], START],
  ])('accepts %s', (_name, chunks, next) => {
    expect(scanAll(chunks)).toEqual({ ok: true, next });
  });

  it.each([
    ['one byte over the limit', [header(MAX + 1)], `a packet of ${MAX + 1} bytes (the limit is ${MAX})`],
    ['100 MB declared, refused before any body byte', [header(100 * 1024 * 1024)], `a packet of ${100 * 1024 * 1024} bytes (the limit is ${MAX})`],
    ['an oversized second packet in the same chunk', [[...header(1), 7, ...header(5000)]], `a packet of 5000 bytes (the limit is ${MAX})`],
    ['five length bytes', [[0x30, 0xff, 0xff, 0xff, 0xff, 0x01]], 'malformed remaining length'],
  ])('refuses %s', (_name, chunks, reason) => {
    expect(scanAll(chunks)).toEqual({ ok: false, reason });
  });
});
