import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDockside } from './testing/dockside-cli';

const dockside = (...args: string[]) => runDockside(args);

let dir: string;
let a: string;
let b: string;
const A = Buffer.from('dock firmware, version one\n');
const B = Buffer.alloc(3 * 1024 * 1024 + 1, 0x5a);
const md5 = (buf: Buffer) => createHash('md5').update(buf).digest('hex');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-hashcmd-'));
  a = join(dir, 'dock_10.01.1612.zip');
  b = join(dir, 'EvoNest-V1.2.0.69-20231215094829.Encrypt.uav');
  writeFileSync(a, A);
  writeFileSync(b, B);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dockside hash', () => {
  it('prints md5, size, time and name per file', async () => {
    const r = await dockside('hash', a, b);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${md5(A)}  ${A.length}  \\d+\\.\\d\\ds  ${a}$`));
    expect(lines[1]).toMatch(new RegExp(`^${md5(B)}  ${B.length}  \\d+\\.\\d\\ds  ${b.replace(/\./g, '\\.')}$`));
  });

  it('prints one JSON object per line with --json', async () => {
    const r = await dockside('hash', '--json', a, b);
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toEqual([
      { file: a, md5: md5(A), size: A.length, ms: expect.any(Number) },
      { file: b, md5: md5(B), size: B.length, ms: expect.any(Number) },
    ]);
  });

  it('reports a missing file in one line, still hashes the others, and exits 1', async () => {
    const missing = join(dir, 'missing.bin');
    const r = await dockside('hash', missing, a);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`dockside hash: ${missing}: file not found\n`);
    expect(r.stdout).toContain(md5(A));
  });

  it('exits 2 with one line when no file is given or an option is unknown', async () => {
    for (const args of [['hash'], ['hash', '--nope', a]]) {
      const r = await dockside(...args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('explains itself with --help', async () => {
    const r = await dockside('hash', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: dockside hash');
  });
});
