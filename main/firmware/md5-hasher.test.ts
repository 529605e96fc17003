import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirmwareError } from './firmware-error';
import { hashFile } from './md5-hasher';

function opensslMd5(path: string): string {
  const out = execFileSync('openssl', ['md5', '-r', path], { encoding: 'utf8' });
  return out.split(' ')[0]!.trim();
}

function patterned(size: number, seed: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    buf[i] = x >>> 24;
  }
  return buf;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-hasher-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hashFile', () => {
  const sizes: [string, number][] = [
    ['empty', 0],
    ['one byte', 1],
    ['5 MiB and an odd tail', 5 * 1024 * 1024 + 4093],
  ];
  it.each(sizes)('matches openssl md5 for a %s file', async (_label, size) => {
    const path = join(dir, `f-${size}.bin`);
    writeFileSync(path, patterned(size, size + 7));
    const result = await hashFile(path);
    expect(result.md5).toBe(opensslMd5(path));
    expect(result.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(result.size).toBe(size);
    expect(result.ms).toBeGreaterThanOrEqual(0);
  });

  it('reports monotonic progress that ends at the total', async () => {
    const size = 5 * 1024 * 1024 + 17;
    const path = join(dir, 'progress.bin');
    writeFileSync(path, patterned(size, 3));
    const seen: [number, number][] = [];
    await hashFile(path, { progressIntervalMs: 0, onProgress: (b, t) => seen.push([b, t]) });
    expect(seen.length).toBeGreaterThan(2);
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBeGreaterThanOrEqual(seen[i - 1]![0]);
    for (const [b, t] of seen) expect(b).toBeLessThanOrEqual(t);
    expect(seen.at(-1)).toEqual([size, size]);
  });

  async function failure(path: string, signal?: AbortSignal): Promise<FirmwareError> {
    const err = await hashFile(path, { signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FirmwareError);
    return err as FirmwareError;
  }

  it('names a missing file', async () => {
    const err = await failure(join(dir, 'nope.bin'));
    expect(err.code).toBe('not-found');
    expect(err.message).toContain('nope.bin: file not found');
  });

  it('refuses a folder and a device file', async () => {
    expect((await failure(dir)).code).toBe('not-a-file');
    expect((await failure('/dev/null')).code).toBe('not-a-file');
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable file', async () => {
    const path = join(dir, 'locked.bin');
    writeFileSync(path, 'x', { mode: 0o000 });
    expect((await failure(path)).code).toBe('permission');
  });

  it('stops when aborted, before or during hashing', async () => {
    const path = join(dir, 'abort.bin');
    writeFileSync(path, patterned(4 * 1024 * 1024, 9));
    expect((await failure(path, AbortSignal.abort())).code).toBe('aborted');

    const ctl = new AbortController();
    const err = await hashFile(path, { signal: ctl.signal, progressIntervalMs: 0, onProgress: () => ctl.abort() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FirmwareError);
    expect((err as FirmwareError).code).toBe('aborted');
  });
});
