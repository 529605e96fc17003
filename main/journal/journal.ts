// The append-only journal: every event and every piece of app state, durable (written and fsynced)
// before append() resolves. Concurrent appends share one write and one fdatasync (group commit).
// Segments are JSON Lines files rotated by size; see docs/journal.md for the format and the reasons.
import { constants, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { open, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { UpgradeEventSchema, type UpgradeEvent } from '../../preload/api';
import { EventIndex, type EventFilter, type EventPosition } from './event-index';
import { decodeSidecar, encodeSidecar, sidecarName } from './event-index-file';
import { decodeLineHead, encodeLines, KIND_PATTERN, prepareLine, type PreparedLine } from './line-format';
import { lockDataDir, type DataDirLock } from './lock';
import { eventTimeMs, isEventRecord, type JournalRecord, type Sequenced } from './records';
import { readSegmentIndex, writeSegmentIndex, type IndexEntry } from './segment-index';
import { addToStats, emptyStats, SegmentScan, type BadRange, type SegmentStats } from './segment-scan';

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

export interface EventQuery {
  source?: string | string[];
  device?: string;
  campaign?: string;
  state?: string | string[];
  /** ISO 8601 bounds on the event's own time, inclusive. */
  since?: string;
  until?: string;
  text?: string;
  /** By journal order (seq): 'desc' is newest first. */
  order?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
}

export interface QueryResult {
  events: Sequenced<UpgradeEvent>[];
  total: number;
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

export class JournalError extends Error {}

interface Segment {
  num: number;
  name: string;
  path: string;
  /** Durable size: everything before it is good lines. */
  bytes: number;
  stats: SegmentStats;
}

interface PreparedRecord {
  line: PreparedLine;
  kind: string;
  t: number | undefined;
  event: UpgradeEvent | undefined;
}

interface Pending {
  items: PreparedRecord[];
  resolve(seqs: number[]): void;
  reject(error: Error): void;
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
    if (!isEventRecord(record)) throw new JournalError('an event record needs an "event" object');
    const checked = UpgradeEventSchema.safeParse(record.event);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new JournalError(`not an UpgradeEvent: ${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`);
    }
    event = record.event;
  }
  const t = event ? eventTimeMs(event) : undefined;
  const json = JSON.stringify(record);
  return { line: prepareLine(kind, t, json), kind, t, event };
}

export class Journal {
  readonly recovery: RecoveryReport = { tails: [], skipped: [] };
  private readonly segments: Segment[] = [];
  private active: FileHandle | undefined;
  private lock: DataDirLock | undefined;
  private nextSeq = 1;
  private queue: Pending[] = [];
  private scheduled = false;
  private flushing: Promise<void> | undefined;
  private closed = false;
  private failure: Error | undefined;
  private eventIndex: EventIndex | undefined;
  private indexBuild: Promise<EventIndex> | undefined;
  private lateEvents: Array<{ position: EventPosition; t: number | undefined; event: UpgradeEvent }> | undefined;
  private readonly readers = new Map<number, Promise<FileHandle>>();
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
  }

  static async open(dir: string, opts: JournalOptions = {}): Promise<Journal> {
    const journal = new Journal(dir, opts);
    if (journal.segmentBytes < 1024 || journal.segmentBytes > 2 ** 32) throw new JournalError('segmentBytes must be between 1 KiB and 4 GiB');
    if (journal.readOnly) {
      if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new JournalError(`data folder ${dir} does not exist`);
      if (!statSync(journal.journalDir, { throwIfNoEntry: false })?.isDirectory()) {
        throw new JournalError(`${dir} holds no journal (no ${JOURNAL_DIR} folder): is it a Dockside data folder?`);
      }
    } else {
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
      let segment: Segment;
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

  private async setTailAside(segment: Segment, tail: BadRange): Promise<string> {
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
        this.saveSidecar(segment);
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
    const indexing = this.eventIndex !== undefined || this.lateEvents !== undefined;
    seq = first;
    let k = 0;
    for (const p of batch) {
      const seqs: number[] = [];
      for (const item of p.items) {
        addToStats(segment.stats, seq, item.kind, item.t);
        if (item.event && indexing) {
          this.indexEvent({ seq, segment: segment.num, offset: at + starts[k]!, length: starts[k + 1]! - starts[k]! }, item.t, item.event);
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

  private indexEvent(position: EventPosition, t: number | undefined, event: UpgradeEvent): void {
    if (this.eventIndex) this.eventIndex.add(position, t, event);
    else if (this.lateEvents) this.lateEvents.push({ position, t, event });
  }

  private saveIndex(): void {
    const entries: IndexEntry[] = this.segments.map((s) => ({ name: s.name, bytes: s.bytes, stats: s.stats }));
    writeSegmentIndex(this.journalDir, entries);
  }

  /** Saves a sealed segment's Log-view rows beside it; advisory, so a failure only costs a rescan later. */
  private saveSidecar(segment: Segment, index = this.eventIndex): void {
    const slice = index?.slice(segment.num);
    if (!slice || this.readOnly) return;
    const path = join(this.journalDir, sidecarName(segment.name));
    try {
      writeFileSync(`${path}.tmp`, encodeSidecar(slice, segment.bytes));
      renameSync(`${path}.tmp`, path);
    } catch {
      // A full disk or a read-only folder: the next start scans this segment instead.
    }
  }

  private loadSidecar(index: EventIndex, segment: Segment): boolean {
    let buf: Buffer;
    try {
      buf = readFileSync(join(this.journalDir, sidecarName(segment.name)));
    } catch {
      return false;
    }
    const slice = decodeSidecar(buf, segment.bytes);
    if (!slice || slice.seq.length !== (segment.stats.kinds.event ?? 0)) return false;
    index.addSlice(segment.num, slice);
    return true;
  }

  /** Records in seq order, a batch per chunk read: the fast path for exports and index building. */
  async *replayBatches(opts: ReplayOptions = {}): AsyncGenerator<Sequenced<JournalRecord>[]> {
    const kinds = opts.kinds ? new Set(opts.kinds) : undefined;
    const fromSeq = opts.fromSeq ?? 1;
    const since = opts.sinceMs;
    const eventsOnly = kinds !== undefined && kinds.size === 1 && kinds.has('event');
    const wanted = (s: Segment) => (kinds ? [...kinds].reduce((n, k) => n + (s.stats.kinds[k] ?? 0), 0) : s.stats.count);
    let scanned = 0;
    let floor = 0;
    for (const segment of this.segments) {
      const afterSeq = floor;
      if (segment.stats.count > 0) floor = segment.stats.lastSeq;
      const skip =
        segment.stats.count === 0 ||
        segment.stats.lastSeq < fromSeq ||
        wanted(segment) === 0 ||
        (eventsOnly && since !== undefined && (segment.stats.maxT === null || segment.stats.maxT < since));
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
          const record = parseRecord(line.buf, line.recStart, line.recEnd);
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

  private async *scanSegment(segment: Segment, afterSeq: number) {
    const scan = new SegmentScan(segment.path, { end: segment.bytes, afterSeq });
    yield* scan.batches();
    for (const s of scan.outcome?.skipped ?? []) {
      if (!this.recovery.skipped.some((r) => r.segment === segment.name && r.offset === s.offset)) {
        this.recovery.skipped.push({ segment: segment.name, ...s });
      }
    }
  }

  /** One page of events for the Log view; the first call builds the in-memory index. */
  async query(q: EventQuery = {}): Promise<QueryResult> {
    const filter: EventFilter = {
      source: q.source,
      device: q.device,
      campaign: q.campaign,
      state: q.state,
      text: q.text || undefined,
      sinceMs: q.since === undefined ? undefined : dateOption(q.since, 'since'),
      untilMs: q.until === undefined ? undefined : dateOption(q.until, 'until'),
    };
    const offset = Math.max(0, Math.floor(q.offset ?? 0));
    const limit = Math.min(10_000, Math.max(0, Math.floor(q.limit ?? 100)));
    const index = await this.buildEventIndex();
    const { positions, total } = index.query(filter, q.order ?? 'desc', offset, limit);
    const events = await Promise.all(positions.map((p) => this.readEvent(p)));
    return { events, total };
  }

  private buildEventIndex(): Promise<EventIndex> {
    if (this.eventIndex) return Promise.resolve(this.eventIndex);
    this.indexBuild ??= (async () => {
      this.lateEvents = [];
      const index = new EventIndex();
      let lastSeq = 0;
      let floor = 0;
      for (const segment of this.segments) {
        const afterSeq = floor;
        if (segment.stats.count > 0) floor = segment.stats.lastSeq;
        if (!segment.stats.kinds.event) continue;
        const sealed = segment !== this.segments.at(-1);
        if (sealed && this.loadSidecar(index, segment)) {
          lastSeq = segment.stats.lastSeq;
          continue;
        }
        for await (const lines of this.scanSegment(segment, afterSeq)) {
          for (const line of lines) {
            if (line.kind !== 'event') continue;
            const record = parseRecord(line.buf, line.recStart, line.recEnd);
            const event = record?.event;
            if (typeof event !== 'object' || event === null) continue;
            index.add({ seq: line.seq, segment: segment.num, offset: line.offset, length: line.length }, line.t, event);
            lastSeq = line.seq;
          }
        }
        if (sealed) this.saveSidecar(segment, index);
      }
      for (const late of this.lateEvents) if (late.position.seq > lastSeq) index.add(late.position, late.t, late.event);
      this.lateEvents = undefined;
      this.eventIndex = index;
      return index;
    })().catch((e: unknown) => {
      this.indexBuild = undefined;
      this.lateEvents = undefined;
      throw e;
    });
    return this.indexBuild;
  }

  private async readEvent(p: EventPosition): Promise<Sequenced<UpgradeEvent>> {
    let reader = this.readers.get(p.segment);
    if (!reader) {
      const segment = this.segments.find((s) => s.num === p.segment)!;
      reader = open(segment.path, 'r');
      this.readers.set(p.segment, reader);
    }
    const buf = Buffer.allocUnsafe(p.length);
    await (await reader).read(buf, 0, p.length, p.offset);
    const head = decodeLineHead(buf, 0, p.length - 1);
    if (typeof head === 'string' || head.seq !== p.seq) {
      throw new JournalError(`journal line at seq ${p.seq} changed on disk (${typeof head === 'string' ? head : `found seq ${head.seq}`})`);
    }
    const record = parseRecord(buf, head.recStart, head.recEnd) as { event: UpgradeEvent } | undefined;
    if (!record) throw new JournalError(`journal line at seq ${p.seq} is not JSON`);
    return { ...record.event, seq: p.seq };
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
      for (const reader of this.readers.values()) await (await reader).close();
      this.readers.clear();
      this.lock?.release();
    }
  }
}

function parseRecord(buf: Buffer, start: number, end: number): (Sequenced<JournalRecord> & { event?: UpgradeEvent }) | undefined {
  try {
    const value = JSON.parse(buf.toString('utf8', start, end)) as unknown;
    if (typeof value !== 'object' || value === null || typeof (value as { kind?: unknown }).kind !== 'string') return undefined;
    return value as Sequenced<JournalRecord>;
  } catch {
    return undefined;
  }
}

function dateOption(value: string, name: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new JournalError(`${name} is not a date: "${value}"`);
  return ms;
}
