// Reads one segment file in large chunks and splits it into checked lines. Everything after the last
// good line is the tail (a crash mid-write, or a write still in flight when a reader looks); bad lines
// with good lines after them are reported as skipped and never stop the scan.
import { open } from 'node:fs/promises';
import { decodeLineHead, type LineHead } from './line-format';

/** A good line; `buf` is the chunk holding it, valid until the consumer asks for the next batch. */
export type ScannedLine = LineHead;

export interface BadRange {
  offset: number;
  bytes: number;
  reason: string;
}

export interface SegmentStats {
  count: number;
  firstSeq: number;
  lastSeq: number;
  kinds: Record<string, number>;
  minT: number | null;
  maxT: number | null;
}

export interface ScanOutcome {
  /** File offset just after the last good line: where a writer continues. */
  goodEnd: number;
  /** Bytes after goodEnd (up to the scan limit), when there are any. */
  tail: BadRange | undefined;
  skipped: BadRange[];
  stats: SegmentStats;
}

export function emptyStats(): SegmentStats {
  return { count: 0, firstSeq: 0, lastSeq: 0, kinds: {}, minT: null, maxT: null };
}

export function addToStats(stats: SegmentStats, seq: number, kind: string, t: number | undefined): void {
  if (stats.count === 0) stats.firstSeq = seq;
  stats.count++;
  stats.lastSeq = seq;
  stats.kinds[kind] = (stats.kinds[kind] ?? 0) + 1;
  if (t !== undefined) {
    if (stats.minT === null || t < stats.minT) stats.minT = t;
    if (stats.maxT === null || t > stats.maxT) stats.maxT = t;
  }
}

const CHUNK = 1 << 20;

export interface ScanOptions {
  /** Stop reading here (a writer's durable size); default: the end of the file. */
  end?: number;
  /** Lines with a seq at or below this are duplicates of earlier lines and are skipped. */
  afterSeq?: number;
}

/**
 * Iterate `batches()` for the good lines, then read `outcome`. Lines come in file order, one batch per
 * chunk read, so a consumer pays one await per megabyte rather than one per line.
 */
export class SegmentScan {
  outcome: ScanOutcome | undefined;

  constructor(
    readonly path: string,
    private readonly opts: ScanOptions = {},
  ) {}

  async *batches(): AsyncGenerator<ScannedLine[]> {
    const handle = await open(this.path, 'r');
    try {
      const size = this.opts.end ?? (await handle.stat()).size;
      const stats = emptyStats();
      const skipped: BadRange[] = [];
      let pendingBad: BadRange[] = [];
      let lastSeq = this.opts.afterSeq ?? 0;
      let goodEnd = 0;
      let carry = Buffer.alloc(0);
      let carryOffset = 0;
      let pos = 0;
      while (pos < size) {
        const want = Math.max(CHUNK, carry.length * 2);
        const buf = Buffer.allocUnsafe(Math.min(want, carry.length + (size - pos)));
        carry.copy(buf, 0);
        let filled = carry.length;
        const { bytesRead } = await handle.read(buf, filled, buf.length - filled, pos);
        if (bytesRead === 0) break;
        pos += bytesRead;
        filled += bytesRead;
        const base = carryOffset;
        const lines: ScannedLine[] = [];
        let start = 0;
        for (let nl = buf.indexOf(0x0a, 0); nl !== -1 && nl < filled; nl = buf.indexOf(0x0a, start)) {
          const head = decodeLineHead(buf, start, nl);
          const offset = base + start;
          const length = nl + 1 - start;
          if (typeof head === 'string') {
            pendingBad.push({ offset, bytes: length, reason: head });
          } else if (head.seq <= lastSeq) {
            pendingBad.push({ offset, bytes: length, reason: `duplicate seq ${head.seq}` });
          } else {
            skipped.push(...pendingBad);
            pendingBad = [];
            lastSeq = head.seq;
            goodEnd = offset + length;
            addToStats(stats, head.seq, head.kind, head.t);
            head.offset = offset;
            lines.push(head);
          }
          start = nl + 1;
        }
        carry = buf.subarray(start, filled);
        carryOffset = base + start;
        if (lines.length > 0) yield lines;
      }
      const end = carryOffset + carry.length;
      const tail = end > goodEnd ? { offset: goodEnd, bytes: end - goodEnd, reason: tailReason(pendingBad, carry.length) } : undefined;
      this.outcome = { goodEnd, tail, skipped, stats };
    } finally {
      await handle.close();
    }
  }

  /** Scan without looking at the lines (open-time recovery). */
  async run(): Promise<ScanOutcome> {
    for await (const _ of this.batches());
    return this.outcome!;
  }
}

function tailReason(bad: BadRange[], unfinishedBytes: number): string {
  const reasons = new Set(bad.map((b) => b.reason));
  if (unfinishedBytes > 0) reasons.add('unfinished last line');
  return [...reasons].join(', ');
}
