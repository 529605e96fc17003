// The append-only journal: every event and every piece of app state, durable (written and fsynced)
// before append() resolves. Concurrent appends share one write and one fdatasync (group commit).
// Segments are JSON Lines files rotated by size; see docs/journal.md for the format and the reasons.
import { constants, mkdirSync, readdirSync, statSync } from 'node:fs';
import { open, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { UpgradeEvent } from '../../preload/api';
import { JournalError } from './journal-error';
import { encodeLines, KIND_PATTERN, parseRecordJson, prepareLine, type PreparedLine } from './line-format';
import { LogQuery, type EventQuery, type QueryResult, type SegmentRef } from './log-query';
import { lockDataDir, type DataDirLock } from './lock';
import { dataDirProblem, ensureDataDir } from './data-dir';
import { eventTimeMs, isEventRecord, type JournalRecord, type Sequenced } from './records';
import { readSegmentIndex, writeSegmentIndex, type IndexEntry } from './segment-index';
import { addToStats, emptyStats, SegmentScan, type BadRange } from './segment-scan';

export { JournalError } from './journal-error';
export type { EventQuery, QueryResult } from './log-query';

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
export const JOURNAL_DIR = 'journal';
export const CORRUPT_DIR = 'corrupt';
const SEGMENT_NAME = /^(\d{6,})\.jsonl$/;

export interface JournalOptions {
  /** A segment is closed and a new one started once the next write would pass this size. */
  segmentBytes?: number;
  /** Wait this long after the first pending append before writing, to gather more into one fsync. */
  groupCommitMs?: number;
  /** Read without the lock and without repairing anything (exports, inspection). */
  readOnly?: boolean;
}

export interface ReplayOptions {
  kinds?: string[];
  fromSeq?: number;
  /** Leave out event records whose time is before this (ms), or unreadable; other kinds are kept. */
  sinceMs?: number;
  /** Called after each chunk with how many records of the wanted kinds were read or skipped so far. */
  onScanned?: (records: number) => void;
}

export interface RecoveryReport {
  /** Torn or corrupt bytes after a segment's last good line: moved aside by a writer, left by a reader. */
  tails: Array<BadRange & { segment: string; movedTo?: string }>;
  /** Bad lines with good lines after them: left in place, skipped by replay. */
  skipped: Array<BadRange & { segment: string }>;
}

export interface JournalStats {
  segments: number;
  records: number;
  byKind: Record<string, number>;
  firstSeq: number;
  lastSeq: number;
  bytes: number;
}

interface PreparedRecord {
  line: PreparedLine;
  kind: string;
  t: number | undefined;
  event: UpgradeEvent | undefined;
}

interface Pending {
  items: PreparedRecord[];
  resolve: (seqs: number[]) => void;
  reject: (error: Error) => void;
}

// Where the OS has O_DSYNC, each write returns only once its data is on disk: one trip to the thread
// pool per batch instead of a write and then an fdatasync. Elsewhere (Windows) we fdatasync after.
const O_DSYNC: number = constants.O_DSYNC ?? 0;
const APPEND_FLAGS = constants.O_RDWR | O_DSYNC;
const CREATE_FLAGS = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | O_DSYNC;

function segmentName(num: number): string {
  return `${String(num).padStart(6, '0')}.jsonl`;
}

async function fsyncDir(path: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open or sync a directory; its metadata is journaled by NTFS anyway.
  } finally {
    await handle?.close();
  }
}

function prepare(record: JournalRecord): PreparedRecord {
  if (typeof record !== 'object' || record === null) throw new JournalError('a journal record must be an object');
  const { kind } = record;
  if (typeof kind !== 'string' || !KIND_PATTERN.test(kind)) {
    throw new JournalError(`a journal record needs a kind made of letters, digits, "_", "." or "-", got ${JSON.stringify(kind)}`);
  }
  let event: UpgradeEvent | undefined;
  if (kind === 'event') {
    // Not checked against UpgradeEventSchema: a decoder's slip must not cost the record; exports and
    // the Log index read every field defensively.
    if (!isEventRecord(record)) throw new JournalError('an event record needs an "event" object');
    event = record.event;
  }
  const t = event ? eventTimeMs(event) : undefined;
  const json = JSON.stringify(record);
  return { line: prepareLine(kind, t, json), kind, t, event };
}

export class Journal {
  readonly recovery: RecoveryReport = { tails: [], skipped: [] };
  private readonly segments: SegmentRef[] = [];
  private active: FileHandle | undefined;
  private lock: DataDirLock | undefined;
  private nextSeq = 1;
  private queue: Pending[] = [];
  private scheduled = false;
  private flushing: Promise<void> | undefined;
  private closed = false;
  private failure: Error | undefined;
  private readonly log: LogQuery;
  private readonly segmentBytes: number;
  private readonly groupCommitMs: number;
  readonly readOnly: boolean;
  readonly journalDir: string;

  private constructor(
    readonly dir: string,
    opts: JournalOptions,
  ) {
    this.segmentBytes = opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.groupCommitMs = opts.groupCommitMs ?? 0;
    this.readOnly = opts.readOnly ?? false;
    this.journalDir = join(dir, JOURNAL_DIR);
    this.log = new LogQuery({
      journalDir: this.journalDir,
      readOnly: this.readOnly,
      segments: this.segments,
      scanSegment: (segment, afterSeq) => this.scanSegment(segment, afterSeq),
    });
  }

  static async open(dir: string, opts: JournalOptions = {}): Promise<Journal> {
    const journal = new Journal(dir, opts);
    if (journal.segmentBytes < 1024 || journal.segmentBytes > 2 ** 32) throw new JournalError('segmentBytes must be between 1 KiB and 4 GiB');
    if (journal.readOnly) {
      const problem = dataDirProblem(dir);
      if (problem) throw new JournalError(problem);
      if (!statSync(journal.journalDir, { throwIfNoEntry: false })?.isDirectory()) {
        throw new JournalError(`${dir} holds no journal (no ${JOURNAL_DIR} folder): is it a Dockside data folder?`);
      }
    } else {
      ensureDataDir(dir);
      mkdirSync(journal.journalDir, { recursive: true });
      journal.lock = lockDataDir(dir);
    }
    try {
      await journal.load();
    } catch (e) {
      await journal.active?.close();
      journal.lock?.release();
      throw e;
    }
    return journal;
  }

  /** Reads the index, checks every segment it cannot vouch for, and sets torn tails aside. */
  private async load(): Promise<void> {
    const known = readSegmentIndex(this.journalDir);
    const names = readdirSync(this.journalDir)
      .map((name) => ({ name, m: SEGMENT_NAME.exec(name) }))
      .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
      .map((x) => ({ name: x.name, num: Number(x.m[1]) }))
      .sort((a, b) => a.num - b.num);
    let lastSeq = 0;
    for (const { name, num } of names) {
      const path = join(this.journalDir, name);
      const size = statSync(path).size;
      const entry = known.get(name);
      let segment: SegmentRef;
      if (entry && entry.bytes === size && (entry.stats.count === 0 || entry.stats.firstSeq > lastSeq)) {
        segment = { num, name, path, bytes: size, stats: entry.stats };
      } else {
        const outcome = await new SegmentScan(path, { afterSeq: lastSeq }).run();
        segment = { num, name, path, bytes: outcome.goodEnd, stats: outcome.stats };
        for (const s of outcome.skipped) this.recovery.skipped.push({ segment: name, ...s });
        if (outcome.tail) {
          const movedTo = this.readOnly ? undefined : await this.setTailAside(segment, outcome.tail);
          this.recovery.tails.push({ segment: name, ...outcome.tail, ...(movedTo ? { movedTo } : {}) });
        }
      }
      if (segment.stats.count > 0) lastSeq = segment.stats.lastSeq;
      this.segments.push(segment);
    }
    this.nextSeq = lastSeq + 1;
    if (this.readOnly) return;
    const last = this.segments.at(-1);
    if (last) this.active = await open(last.path, APPEND_FLAGS);
    else await this.startSegment(1);
  }

  private async setTailAside(segment: SegmentRef, tail: BadRange): Promise<string> {
    const corruptDir = join(this.journalDir, CORRUPT_DIR);
    mkdirSync(corruptDir, { recursive: true });
    const target = join(corruptDir, `${segment.name}.${tail.offset}.tail`);
    const handle = await open(segment.path, 'r+');
    try {
      const bytes = Buffer.alloc(tail.bytes);
      await handle.read(bytes, 0, tail.bytes, tail.offset);
      await writeFile(target, bytes, { flush: true });
      await fsyncDir(corruptDir);
      await handle.truncate(tail.offset);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return target;
  }

  private async startSegment(num: number): Promise<void> {
    const name = segmentName(num);
    const path = join(this.journalDir, name);
    const handle = await open(path, CREATE_FLAGS);
    await fsyncDir(this.journalDir);
    await this.active?.close();
    this.active = handle;
    this.segments.push({ num, name, path, bytes: 0, stats: emptyStats() });
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  stats(): JournalStats {
    const byKind: Record<string, number> = {};
    let records = 0;
    let bytes = 0;
    let firstSeq = 0;
    for (const s of this.segments) {
      records += s.stats.count;
      bytes += s.bytes;
      if (firstSeq === 0 && s.stats.count > 0) firstSeq = s.stats.firstSeq;
      for (const [kind, n] of Object.entries(s.stats.kinds)) byKind[kind] = (byKind[kind] ?? 0) + n;
    }
    return { segments: this.segments.length, records, byKind, firstSeq, lastSeq: this.lastSeq, bytes };
  }

  /** Resolves with the record's seq once it is on disk. */
  append(record: JournalRecord): Promise<number> {
    return this.enqueue([record], (seqs, resolve: (seq: number) => void) => resolve(seqs[0]!));
  }

  /** Resolves with the records' seqs once they are on disk; the records land in one write, in order. */
  appendMany(records: JournalRecord[]): Promise<number[]> {
    if (records.length === 0 && !this.refusal()) return Promise.resolve([]);
    return this.enqueue(records, (seqs, resolve: (seqs: number[]) => void) => resolve(seqs));
  }

  private refusal(): JournalError | undefined {
    if (this.readOnly) return new JournalError('this journal was opened read-only');
    if (this.closed) return new JournalError('the journal is closed');
    if (this.failure) return new JournalError(`the journal cannot write any more: ${this.failure.message}`);
    return undefined;
  }

  private enqueue<T>(records: JournalRecord[], settle: (seqs: number[], resolve: (value: T) => void) => void): Promise<T> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    let items: PreparedRecord[];
    try {
      items = records.map(prepare);
    } catch (e) {
      return Promise.reject(e instanceof JournalError ? e : new JournalError(`record cannot be stored: ${(e as Error).message}`));
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ items, resolve: (seqs) => settle(seqs, resolve), reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.flushing = this.drain().finally(() => {
        this.flushing = undefined;
        if (this.queue.length > 0) this.schedule();
      });
    };
    if (this.groupCommitMs > 0) setTimeout(run, this.groupCommitMs);
    else setImmediate(run);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      await this.writeBatch(batch);
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    if (this.failure) {
      for (const p of batch) p.reject(new JournalError(`the journal cannot write any more: ${this.failure.message}`));
      return;
    }
    const first = this.nextSeq;
    const prepared: PreparedLine[] = [];
    for (const p of batch) for (const item of p.items) prepared.push(item.line);
    const { buf, starts } = encodeLines(first, prepared);
    const total = buf.length;
    let seq = first + prepared.length;
    let segment = this.segments.at(-1)!;
    try {
      if (segment.bytes > 0 && segment.bytes + total > this.segmentBytes) {
        this.saveIndex();
        await this.startSegment(segment.num + 1);
        this.log.segmentSealed(segment);
        segment = this.segments.at(-1)!;
      }
    } catch (e) {
      for (const p of batch) p.reject(new JournalError(`could not start a new journal segment: ${(e as Error).message}`));
      return;
    }
    const at = segment.bytes;
    const handle = this.active!;
    try {
      let written = 0;
      while (written < total) written += (await handle.write(buf, written, total - written, at + written)).bytesWritten;
      if (O_DSYNC === 0) await handle.datasync();
    } catch (e) {
      await this.rollBack(handle, at, e as Error);
      for (const p of batch) p.reject(new JournalError(`could not write the journal: ${(e as Error).message}`));
      return;
    }
    segment.bytes = at + total;
    this.nextSeq = seq;
    // Checked after the write: an index build that started meanwhile collects this batch as late events.
    const indexing = this.log.indexing;
    seq = first;
    let k = 0;
    for (const p of batch) {
      const seqs: number[] = [];
      for (const item of p.items) {
        addToStats(segment.stats, seq, item.kind, item.t);
        if (item.event && indexing) {
          this.log.noteEvent({ seq, segment: segment.num, offset: at + starts[k]!, length: starts[k + 1]! - starts[k]! }, item.t, item.event);
        }
        seqs.push(seq++);
        k++;
      }
      p.resolve(seqs);
    }
  }

  /** A failed write may have left part of the batch: cut back to the last durable byte, or stop writing. */
  private async rollBack(handle: FileHandle, at: number, cause: Error): Promise<void> {
    try {
      await handle.truncate(at);
      await handle.datasync();
    } catch {
      this.failure = cause;
    }
  }

  private saveIndex(): void {
    const entries: IndexEntry[] = this.segments.map((s) => ({ name: s.name, bytes: s.bytes, stats: s.stats }));
    writeSegmentIndex(this.journalDir, entries);
  }

  /** Records in seq order, a batch per chunk read: the fast path for exports and index building. */
  async *replayBatches(opts: ReplayOptions = {}): AsyncGenerator<Sequenced<JournalRecord>[]> {
    const kinds = opts.kinds ? new Set(opts.kinds) : undefined;
    const fromSeq = opts.fromSeq ?? 1;
    const since = opts.sinceMs;
    const eventsOnly = kinds !== undefined && kinds.size === 1 && kinds.has('event');
    const wanted = (s: SegmentRef) => (kinds ? [...kinds].reduce((n, k) => n + (s.stats.kinds[k] ?? 0), 0) : s.stats.count);
    let scanned = 0;
    let floor = 0;
    for (const segment of this.segments) {
      const afterSeq = floor;
      if (segment.stats.count > 0) floor = segment.stats.lastSeq;
      const skip =
        segment.stats.count === 0 || segment.stats.lastSeq < fromSeq || wanted(segment) === 0 || (eventsOnly && since !== undefined && (segment.stats.maxT === null || segment.stats.maxT < since));
      if (skip) {
        scanned += wanted(segment);
        opts.onScanned?.(scanned);
        continue;
      }
      for await (const lines of this.scanSegment(segment, afterSeq)) {
        const out: Sequenced<JournalRecord>[] = [];
        for (const line of lines) {
          if (kinds && !kinds.has(line.kind)) continue;
          scanned++;
          if (line.seq < fromSeq) continue;
          if (since !== undefined && line.kind === 'event' && !(line.t !== undefined && line.t >= since)) continue;
          const record = parseRecordJson(line.buf, line.recStart, line.recEnd);
          if (!record) continue;
          record.seq = line.seq;
          out.push(record);
        }
        opts.onScanned?.(scanned);
        if (out.length > 0) yield out;
      }
    }
  }

  /** Records one by one. Hand-rolled over replayBatches: an async generator's yield costs a few ticks a record. */
  replay(opts: ReplayOptions = {}): AsyncIterableIterator<Sequenced<JournalRecord>> {
    const batches = this.replayBatches(opts);
    let batch: Sequenced<JournalRecord>[] = [];
    let i = 0;
    const iterator: AsyncIterableIterator<Sequenced<JournalRecord>> = {
      async next() {
        while (i >= batch.length) {
          const step = await batches.next();
          if (step.done) return { done: true, value: undefined };
          batch = step.value;
          i = 0;
        }
        return { done: false, value: batch[i++]! };
      },
      async return() {
        await batches.return(undefined);
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  private async *scanSegment(segment: SegmentRef, afterSeq: number) {
    const scan = new SegmentScan(segment.path, { end: segment.bytes, afterSeq });
    yield* scan.batches();
    for (const s of scan.outcome?.skipped ?? []) {
      if (!this.recovery.skipped.some((r) => r.segment === segment.name && r.offset === s.offset)) {
        this.recovery.skipped.push({ segment: segment.name, ...s });
      }
    }
  }

  /** One page of events for the Log view; the first call builds the in-memory index. */
  query(q: EventQuery = {}): Promise<QueryResult> {
    return this.log.query(q);
  }

  /** Waits for pending appends, checkpoints the index, closes files and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing || this.scheduled || this.queue.length > 0) {
      if (this.flushing) await this.flushing;
      else await new Promise((r) => setImmediate(r));
    }
    try {
      if (!this.readOnly && !this.failure) this.saveIndex();
    } finally {
      await this.active?.close();
      this.active = undefined;
      await this.log.close();
      this.lock?.release();
    }
  }
}
