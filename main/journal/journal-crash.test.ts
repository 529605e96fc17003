// kill -9 in the middle of a burst of appends: everything acknowledged must come back, once.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Journal } from './journal';
import { DataDirLockedError } from './lock';

const APPENDER = join(import.meta.dirname, 'testing', 'append-burst.ts');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-crash-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function lastSegment(): string {
  const names = readdirSync(join(dir, 'journal'))
    .filter((n) => n.endsWith('.jsonl'))
    .sort();
  return join(dir, 'journal', names.at(-1)!);
}

function startChild(mode: 'burst' | 'hold') {
  return spawn(process.execPath, ['--import', 'tsx', APPENDER, dir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Collects stdout lines until `enough` says stop, then kills the child with SIGKILL. */
function runUntil(mode: 'burst' | 'hold', enough: (lines: string[]) => boolean): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = startChild(mode);
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      const parts = (partial + d.toString()).split('\n');
      partial = parts.pop()!;
      lines.push(...parts);
      if (!killed && enough(lines)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(lines);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

it('keeps every acknowledged record exactly once across kill -9, and sets a torn tail aside', async () => {
  const acked = (await runUntil('burst', (lines) => lines.length >= 3000)).map(Number);
  expect(acked.length).toBeGreaterThanOrEqual(3000);
  // kill -9 leaves the page cache intact; a pulled battery can also lose the end of the last write.
  const last = lastSegment();
  const torn = Buffer.from('{"seq":999999999,"kind":"event","t":1750000000000,"rec":{"kind":"event","event":{"id":"to');
  appendFileSync(last, torn);

  const journal = await Journal.open(dir, { segmentBytes: 256 * 1024 });
  const seqs: number[] = [];
  const ids = new Set<string>();
  for await (const r of journal.replay({ kinds: ['event'] })) {
    seqs.push(r.seq);
    ids.add((r as { event: { id: string } }).event.id);
  }
  const present = new Set(seqs);
  expect(present.size).toBe(seqs.length);
  expect(ids.size).toBe(seqs.length);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  for (const seq of acked) expect(present.has(seq)).toBe(true);
  expect(seqs.at(-1)).toBeGreaterThanOrEqual(Math.max(...acked));
  expect(journal.stats().segments).toBeGreaterThan(1);
  expect(journal.recovery.tails).toHaveLength(1);
  const [tail] = journal.recovery.tails;
  expect(tail!.segment).toBe(basename(last));
  expect(tail!.bytes).toBeGreaterThanOrEqual(torn.length);
  const setAside = readFileSync(tail!.movedTo!);
  expect(setAside.length).toBe(tail!.bytes);
  expect(setAside.subarray(-torn.length)).toEqual(torn);
  expect(statSync(last).size).toBe(tail!.offset);
  expect(journal.recovery.skipped).toEqual([]);

  const next = await journal.append({ kind: 'settings', settings: { after: 'crash' } });
  expect(next).toBe(seqs.at(-1)! + 1);
  await journal.close();
});

it('refuses to open a data folder another live process writes, and takes it over once that process is killed', async () => {
  const child = startChild('hold');
  await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('open') && resolve()));
  const refused = await Journal.open(dir).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(DataDirLockedError);
  expect((refused as Error).message).toContain(`pid ${child.pid}`);

  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  expect(existsSync(join(dir, 'dockside.lock'))).toBe(true);
  const journal = await Journal.open(dir);
  await journal.close();
});
