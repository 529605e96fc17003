// Durable append throughput: our group-committed Journal.append (every record checked, serialised,
// checksummed, written and synced before it resolves) against a bare loop of fs.writeSync +
// fdatasyncSync writing the very same bytes, already serialised, in the same batches. Bursts of
// concurrent appends are how events arrive from a busy broker. Disk sync times on a shared machine
// swing widely, so each round pairs the two runs back to back and the medians are reported.
import { closeSync, fdatasyncSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../main/journal/journal';
import type { EventRecord } from '../main/journal/records';
import { benchTempDir, fmt, type Benchmark } from './support';

const RECORDS = 50_000;
const BATCH = 250;
const ROUNDS = 5;

export function benchEvent(i: number): EventRecord {
  return {
    kind: 'event',
    event: {
      id: `bench-${i}`,
      time: new Date(Date.UTC(2025, 5, 2) + i * 250).toISOString(),
      source: (['dji', 'aktualizr', 'carota', 'edgehog', 'oem'] as const)[i % 5]!,
      device: `DEV-${i % 500}`,
      campaign: `camp-${i % 37}`,
      phase: (['download', 'install', 'done'] as const)[i % 3]!,
      state: i % 97 === 0 ? 'failed' : 'running',
      percent: i % 4 === 0 ? null : i % 101,
      message: i % 11 === 0 ? `E${i % 1000}: "retry", later\nsee log` : `progress ${i % 101}%`,
      raw: { seq: i, status: 'in_progress', progress: { percent: i % 101 } },
    },
  };
}

async function oursRecordsPerSecond(dir: string): Promise<number> {
  const records = Array.from({ length: RECORDS }, (_, i) => benchEvent(i));
  const journal = await Journal.open(dir, { segmentBytes: 1 << 30 });
  const t0 = performance.now();
  for (let i = 0; i < RECORDS; i += BATCH) {
    const acks: Promise<number>[] = [];
    for (let k = i; k < i + BATCH; k++) acks.push(journal.append(records[k]!));
    await Promise.all(acks);
  }
  const ms = performance.now() - t0;
  await journal.close();
  return RECORDS / (ms / 1000);
}

/** The journal's own bytes, cut into the same batches, written and synced by a bare loop. */
function refRecordsPerSecond(journalDir: string, target: string): number {
  const segment = readdirSync(journalDir).find((n) => n.endsWith('.jsonl'))!;
  const bytes = readFileSync(join(journalDir, segment));
  const cuts: number[] = [0];
  for (let pos = 0, n = 0; pos < bytes.length;) {
    pos = bytes.indexOf(0x0a, pos) + 1;
    if (++n % BATCH === 0 || pos >= bytes.length) cuts.push(pos);
  }
  const fd = openSync(target, 'w');
  const t0 = performance.now();
  for (let b = 1; b < cuts.length; b++) {
    writeSync(fd, bytes, cuts[b - 1], cuts[b]! - cuts[b - 1]!);
    fdatasyncSync(fd);
  }
  const ms = performance.now() - t0;
  closeSync(fd);
  return RECORDS / (ms / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export const journalBench: Benchmark = {
  name: 'journal',
  async run() {
    const ours: number[] = [];
    const ref: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const dir = benchTempDir('journal');
      ours.push(await oursRecordsPerSecond(dir));
      ref.push(refRecordsPerSecond(join(dir, 'journal'), join(dir, 'ref.jsonl')));
    }
    return {
      ratio: median(ours.map((v, i) => v / ref[i]!)),
      ours: median(ours) / 1000,
      ref: median(ref) / 1000,
      unit: 'k rec/s',
      details: [
        `  ${RECORDS} events in bursts of ${BATCH} concurrent appends, one sync per burst, median of ${ROUNDS} paired rounds; ` +
          `ours ${ours.map((v) => fmt(v / 1000)).join(' ')}k, bare write+fdatasync ${ref.map((v) => fmt(v / 1000)).join(' ')}k rec/s`,
      ],
    };
  },
};
