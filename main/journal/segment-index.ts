// journal/index.json: a checkpoint of each segment's size and stats, so open and replay can skip
// reading whole segments. Advisory only: an entry counts when the file still has the recorded size,
// anything else is rescanned, and a missing or unreadable index just means a full scan.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SegmentStats } from './segment-scan';

export const INDEX_FILE = 'index.json';

export interface IndexEntry {
  name: string;
  bytes: number;
  stats: SegmentStats;
}

function isEntry(value: unknown): value is IndexEntry {
  const e = value as IndexEntry;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.name === 'string' &&
    Number.isInteger(e.bytes) &&
    typeof e.stats === 'object' &&
    e.stats !== null &&
    Number.isInteger(e.stats.count) &&
    Number.isInteger(e.stats.firstSeq) &&
    Number.isInteger(e.stats.lastSeq) &&
    typeof e.stats.kinds === 'object' &&
    e.stats.kinds !== null
  );
}

export function readSegmentIndex(journalDir: string): Map<string, IndexEntry> {
  const entries = new Map<string, IndexEntry>();
  try {
    const parsed = JSON.parse(readFileSync(join(journalDir, INDEX_FILE), 'utf8')) as { version?: unknown; segments?: unknown };
    if (parsed.version !== 1 || !Array.isArray(parsed.segments)) return entries;
    for (const e of parsed.segments) if (isEntry(e)) entries.set(e.name, e);
  } catch {
    // No index yet, or a half-written one: scanning the segments rebuilds it.
  }
  return entries;
}

export function writeSegmentIndex(journalDir: string, entries: IndexEntry[]): void {
  const path = join(journalDir, INDEX_FILE);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, JSON.stringify({ version: 1, segments: entries }));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
