import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pumpFile, PUMP_CHUNK, type PumpEnd } from './file-pump';

let dir: string;
let path: string;
const content = randomBytes(3 * PUMP_CHUNK + 1234);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-pump-'));
  path = join(dir, 'fw.bin');
  writeFileSync(path, content);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sink() {
  const chunks: Buffer[] = [];
  // Copies, because the pump reuses its buffers once a write has completed.
  const out = new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(Buffer.from(c)), setImmediate(cb)) });
  return { out, body: () => Buffer.concat(chunks) };
}

function run(start: number, end: number, out: Writable): Promise<{ end: PumpEnd; written: number }> {
  return new Promise((resolve) => {
    let written = 0;
    pumpFile(
      openSync(path, 'r'),
      start,
      end,
      out,
      (n) => (written += n),
      (e) => resolve({ end: e, written }),
    );
  });
}

describe('pumpFile', () => {
  const ranges: [number, number][] = [
    [0, content.length - 1],
    [5, 5],
    [PUMP_CHUNK - 1, 2 * PUMP_CHUNK + 1],
    [content.length - 10, content.length - 1],
  ];
  it.each(ranges)('copies bytes %d..%d exactly', async (start, end) => {
    const s = sink();
    const r = await run(start, end, s.out);
    expect(r.end).toEqual({ kind: 'done' });
    expect(r.written).toBe(end - start + 1);
    expect(s.body().equals(content.subarray(start, end + 1))).toBe(true);
    expect(s.out.writableEnded).toBe(true);
  });

  it('reports a range that runs past the end of the file as short', async () => {
    const s = sink();
    const r = await run(content.length - 100, content.length + 5000, s.out);
    expect(r.end).toEqual({ kind: 'short', sent: 100 });
    expect(s.out.writableEnded).toBe(false);
  });

  it('stops when the output closes', async () => {
    const out = new Writable({ write: (_c, _e, cb) => setTimeout(cb, 5) });
    const done = run(0, content.length - 1, out);
    setImmediate(() => out.destroy());
    expect((await done).end).toEqual({ kind: 'closed' });
  });
});
