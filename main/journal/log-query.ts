// The Log view's side of the journal: an in-memory index of every event, built on the first query
// (from the sealed segments' sidecars where they are good, by parsing lines otherwise) and kept up
// to date by the writer, and pages read back from the segments by position.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { UpgradeEvent } from '../../preload/api';
import { EventIndex, type EventFilter, type EventPosition } from './event-index';
import { decodeSidecar, encodeSidecar, sidecarName } from './event-index-file';
import { JournalError } from './journal-error';
import { decodeLineHead, parseRecordJson } from './line-format';
import type { Sequenced } from './records';
import type { ScannedLine, SegmentStats } from './segment-scan';

export interface EventQuery {
  source?: string | string[];
  device?: string;
  campaign?: string;
  state?: string | string[];
  /** ISO 8601 bounds on the event's own time, inclusive. */
  since?: string;
  until?: string;
  /** Case-insensitive substring of the message, device or campaign. */
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

export interface SegmentRef {
  num: number;
  name: string;
  path: string;
  /** Durable size: everything before it is good lines. */
  bytes: number;
  stats: SegmentStats;
}

export interface LogQueryHost {
  journalDir: string;
  readOnly: boolean;
  /** The journal's live list: grows as segments are added. */
  segments: readonly SegmentRef[];
  scanSegment: (segment: SegmentRef, afterSeq: number) => AsyncGenerator<ScannedLine[]>;
}

interface LateEvent {
  position: EventPosition;
  t: number | undefined;
  event: UpgradeEvent;
}

function dateOption(value: string, name: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new JournalError(`${name} is not a date: "${value}"`);
  return ms;
}

export class LogQuery {
  private index: EventIndex | undefined;
  private build: Promise<EventIndex> | undefined;
  /** Events made durable while the index is being built. */
  private late: LateEvent[] | undefined;
  private readonly readers = new Map<number, Promise<FileHandle>>();

  constructor(private readonly host: LogQueryHost) {}

  /** True once a query has asked for the index: from then on the writer reports every event. */
  get indexing(): boolean {
    return this.index !== undefined || this.late !== undefined;
  }

  noteEvent(position: EventPosition, t: number | undefined, event: UpgradeEvent): void {
    if (this.index) this.index.add(position, t, event);
    else if (this.late) this.late.push({ position, t, event });
  }

  segmentSealed(segment: SegmentRef): void {
    if (this.index) this.saveSidecar(segment, this.index);
  }

  async query(q: EventQuery): Promise<QueryResult> {
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
    const index = await this.ensureIndex();
    const { positions, total } = index.query(filter, q.order ?? 'desc', offset, limit);
    const events = await Promise.all(positions.map((p) => this.readEvent(p)));
    return { events, total };
  }

  async close(): Promise<void> {
    for (const reader of this.readers.values()) await (await reader).close();
    this.readers.clear();
  }

  private ensureIndex(): Promise<EventIndex> {
    if (this.index) return Promise.resolve(this.index);
    this.build ??= this.buildIndex().catch((e: unknown) => {
      this.build = undefined;
      this.late = undefined;
      throw e;
    });
    return this.build;
  }

  private async buildIndex(): Promise<EventIndex> {
    this.late = [];
    const index = new EventIndex();
    const segments = this.host.segments;
    let lastSeq = 0;
    let floor = 0;
    for (const segment of segments) {
      const afterSeq = floor;
      if (segment.stats.count > 0) floor = segment.stats.lastSeq;
      if (!segment.stats.kinds.event) continue;
      const sealed = segment !== segments.at(-1);
      if (sealed && this.loadSidecar(index, segment)) {
        lastSeq = segment.stats.lastSeq;
        continue;
      }
      for await (const lines of this.host.scanSegment(segment, afterSeq)) {
        for (const line of lines) {
          if (line.kind !== 'event') continue;
          const event = parseRecordJson(line.buf, line.recStart, line.recEnd)?.event;
          if (typeof event !== 'object' || event === null) continue;
          index.add({ seq: line.seq, segment: segment.num, offset: line.offset, length: line.length }, line.t, event);
          lastSeq = line.seq;
        }
      }
      if (sealed) this.saveSidecar(segment, index);
    }
    for (const late of this.late) if (late.position.seq > lastSeq) index.add(late.position, late.t, late.event);
    this.late = undefined;
    this.index = index;
    return index;
  }

  /** Saves a sealed segment's rows beside it; advisory, so a failure only costs a rescan later. */
  private saveSidecar(segment: SegmentRef, index: EventIndex): void {
    const slice = index.slice(segment.num);
    if (!slice || this.host.readOnly) return;
    const path = join(this.host.journalDir, sidecarName(segment.name));
    try {
      writeFileSync(`${path}.tmp`, encodeSidecar(slice, segment.bytes));
      renameSync(`${path}.tmp`, path);
    } catch {
      // A full disk or a read-only folder: the next start scans this segment instead.
    }
  }

  private loadSidecar(index: EventIndex, segment: SegmentRef): boolean {
    let buf: Buffer;
    try {
      buf = readFileSync(join(this.host.journalDir, sidecarName(segment.name)));
    } catch {
      return false;
    }
    const slice = decodeSidecar(buf, segment.bytes);
    if (!slice || slice.seq.length !== (segment.stats.kinds.event ?? 0)) return false;
    index.addSlice(segment.num, slice);
    return true;
  }

  private async readEvent(p: EventPosition): Promise<Sequenced<UpgradeEvent>> {
    let reader = this.readers.get(p.segment);
    if (!reader) {
      const segment = this.host.segments.find((s) => s.num === p.segment)!;
      reader = open(segment.path, 'r');
      this.readers.set(p.segment, reader);
    }
    const buf = Buffer.allocUnsafe(p.length);
    await (await reader).read(buf, 0, p.length, p.offset);
    const head = decodeLineHead(buf, 0, p.length - 1);
    if (typeof head === 'string' || head.seq !== p.seq) {
      throw new JournalError(`journal line at seq ${p.seq} changed on disk (${typeof head === 'string' ? head : `found seq ${head.seq}`})`);
    }
    const event = parseRecordJson(buf, head.recStart, head.recEnd)?.event as UpgradeEvent | undefined;
    if (!event) throw new JournalError(`journal line at seq ${p.seq} holds no event`);
    return { ...event, seq: p.seq };
  }
}
