// The data folder lock under contention: two real processes racing for it, and the stale-lock cases.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from './lock';

const CONTENDER = join(import.meta.dirname, 'testing', 'lock-contender.ts');
const DEAD_PID = 2 ** 22 + 4321;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-lock-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Tally {
  grants: number;
  refusals: number;
  doubles: number;
}

function startContender(tries: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', CONTENDER, dir, String(tries)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ready = new Promise<void>((resolve) => {
    const check = () => (out.includes('ready\n') ? resolve() : undefined);
    child.stdout.on('data', check);
  });
  const tally = new Promise<Tally>((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`contender exited ${code}: ${err}`));
      resolve(JSON.parse(out.split('\n').find((l) => l.startsWith('{'))!) as Tally);
    }),
  );
  return { child, ready, tally };
}

describe('two processes racing for the lock', () => {
  it('never grants it twice at once in 2 × 2,000 simultaneous tries', async () => {
    const a = startContender(2000);
    const b = startContender(2000);
    await Promise.all([a.ready, b.ready]);
    a.child.stdin.write('go\n');
    b.child.stdin.write('go\n');
    const [ta, tb] = await Promise.all([a.tally, b.tally]);
    expect(ta.doubles + tb.doubles).toBe(0);
    // Both really contended: each got the lock some of the time and was refused some of the time.
    expect(ta.grants + ta.refusals).toBe(2000);
    expect(tb.grants + tb.refusals).toBe(2000);
    expect(ta.grants).toBeGreaterThan(0);
    expect(tb.grants).toBeGreaterThan(0);
    expect(ta.refusals + tb.refusals).toBeGreaterThan(0);
    // Nothing left behind: no lock, no break file, no temp files.
    expect(readdirSync(dir)).toEqual([]);
  }, 120_000);
});

describe('stale locks', () => {
  it('takes over a lock whose owner is gone and leaves no break file', () => {
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: DEAD_PID, host: hostname() }));
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('takes over an unreadable lock file (damage, since lock files only appear written)', () => {
    writeFileSync(join(dir, LOCK_FILE), '');
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('refuses while another process is taking over, and clears a break file left by a crash', () => {
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: DEAD_PID, host: hostname() }));
    const breakFile = join(dir, `${LOCK_FILE}.break`);
    writeFileSync(breakFile, JSON.stringify({ pid: DEAD_PID, host: hostname() }));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(breakFile, old, old);
    const lock = lockDataDir(dir);
    expect(existsSync(breakFile)).toBe(false);
    lock.release();
  });

  it('names the live owner and keeps a lock written on another machine', () => {
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: DEAD_PID, host: `not-${hostname()}` }));
    expect(() => lockDataDir(dir)).toThrow(`(pid ${DEAD_PID})`);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).host).toBe(`not-${hostname()}`);
  });
});
