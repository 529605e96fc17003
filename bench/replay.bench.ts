// Replaying a million journaled events (what the app does on start) against a bare readline +
// JSON.parse over the same segment files. Ours also checks every line's crc32 and skips nothing.
import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Journal } from '../main/journal/journal';
import { benchEvent } from './journal.bench';
import { benchTempDir, fmt, type Benchmark } from './support';

export const MILLION = 1_000_000;
let shared: Promise<string> | undefined;

/** A data folder holding 1M events in 64 MiB segments, made once per run. */
export function millionEventDataDir(): Promise<string> {
  shared ??= (async () => {
    const dir = benchTempDir('journal-1m');
    const journal = await Journal.open(dir);
    const batch = 10_000;
    for (let i = 0; i < MILLION; i += batch) await journal.appendMany(Array.from({ length: batch }, (_, k) => benchEvent(i + k)));
    await journal.close();
    return dir;
  })();
  return shared;
}

export function segmentFiles(dataDir: string): string[] {
  const dir = join(dataDir, 'journal');
  return readdirSync(dir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort()
    .map((n) => join(dir, n));
}

async function timed(fn: () => Promise<number>): Promise<[number, number]> {
  const t0 = performance.now();
  const n = await fn();
  return [n, (performance.now() - t0) / 1000];
}

export const replayBench: Benchmark = {
  name: 'replay',
  async run() {
    const dir = await millionEventDataDir();
    const [refCount, refS] = await timed(async () => {
      let n = 0;
      for (const file of segmentFiles(dir)) {
        for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
          JSON.parse(line);
          n++;
        }
      }
      return n;
    });
    const [count, oursS] = await timed(async () => {
      const journal = await Journal.open(dir, { readOnly: true });
      let n = 0;
      for await (const _ of journal.replay()) n++;
      await journal.close();
      return n;
    });
    if (count !== MILLION || refCount !== MILLION) throw new Error(`replayed ${count} events, readline saw ${refCount}; expected ${MILLION}`);
    const [filtered, filteredS] = await timed(async () => {
      const journal = await Journal.open(dir, { readOnly: true });
      let n = 0;
      for await (const _ of journal.replay({ kinds: ['upgrade'] })) n++;
      await journal.close();
      return n;
    });
    return {
      ratio: refS / oursS,
      ours: oursS,
      ref: refS,
      unit: 's',
      details: [
        `  ${MILLION} events (${segmentFiles(dir).length} segments): Journal.replay() ${fmt(oursS, 2)} s with crc checks, ` +
          `readline+JSON.parse ${fmt(refS, 2)} s; replay of a kind with no records ${fmt(filteredS, 3)} s (${filtered} found)`,
      ],
    };
  },
};
