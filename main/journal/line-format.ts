// One journal line: `{"seq":N,"kind":"K"[,"t":MS],"rec":{…},"crc":"xxxxxxxx"}\n`.
// Still plain JSON Lines for any tool, but laid out so a reader can get seq, kind and event time from
// the first bytes without JSON.parse, and check the crc32 of everything before `,"crc"` to tell a
// finished line from a torn or corrupted one.
import { crc32 } from 'node:zlib';

export const CRC_TAIL_BYTES = 18; // ,"crc":"xxxxxxxx"}
const HEAD_START = Buffer.from('{"seq":', 'latin1');
const KIND_KEY = Buffer.from(',"kind":"', 'latin1');
const T_KEY = Buffer.from(',"t":', 'latin1');
const REC_KEY = Buffer.from(',"rec":', 'latin1');
const CRC_KEY = Buffer.from(',"crc":"', 'latin1');

/** Kinds go into the line head unescaped, so they are restricted to a plain identifier. */
export const KIND_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** The part of a line fixed when the record is appended; the seq and the crc are added at write time. */
export interface PreparedLine {
  /** `,"kind":"K"[,"t":MS],"rec":` */
  afterSeq: string;
  json: string;
}

export function prepareLine(kind: string, t: number | undefined, recordJson: string): PreparedLine {
  const time = t === undefined ? '' : `,"t":${t}`;
  return { afterSeq: `,"kind":"${kind}"${time},"rec":`, json: recordJson };
}

const CRC_PLACEHOLDER = ',"crc":"00000000"}\n';
const HEX = Buffer.from('0123456789abcdef', 'latin1');

export interface EncodedLines {
  buf: Buffer;
  /** Byte offset where each line starts, plus the end of the last one. */
  starts: number[];
}

/**
 * Encodes a batch of lines with consecutive seqs into one buffer: the text is joined and encoded once,
 * then each line's crc32 is computed over its bytes and written over the placeholder. JSON never
 * holds a raw newline, so the line ends are found with indexOf.
 */
export function encodeLines(firstSeq: number, lines: PreparedLine[]): EncodedLines {
  const parts = new Array<string>(lines.length * 3);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    parts[i * 3] = `{"seq":${firstSeq + i}${line.afterSeq}`;
    parts[i * 3 + 1] = line.json;
    parts[i * 3 + 2] = CRC_PLACEHOLDER;
  }
  const buf = Buffer.from(parts.join(''), 'utf8');
  const starts: number[] = [0];
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const nl = buf.indexOf(0x0a, start);
    const crcAt = nl - CRC_TAIL_BYTES;
    let crc = crc32(buf.subarray(start, crcAt));
    for (let d = crcAt + CRC_KEY.length + 7; d >= crcAt + CRC_KEY.length; d--) {
      buf[d] = HEX[crc & 15]!;
      crc >>>= 4;
    }
    start = nl + 1;
    starts.push(start);
  }
  return { buf, starts };
}

export function encodeLine(seq: number, line: PreparedLine): Buffer {
  return encodeLines(seq, [line]).buf;
}

export interface LineHead {
  seq: number;
  kind: string;
  t: number | undefined;
  /** Byte range of the record's JSON inside the buffer. */
  recStart: number;
  recEnd: number;
  buf: Buffer;
  /** Where the line sits in its file, and its length with the newline: set by whoever knows. */
  offset: number;
  length: number;
}

export type LineProblem = 'not a journal line' | 'checksum mismatch';

function startsWith(buf: Buffer, pos: number, end: number, what: Buffer): boolean {
  if (pos + what.length > end) return false;
  for (let i = 0; i < what.length; i++) if (buf[pos + i] !== what[i]) return false;
  return true;
}

// A journal holds a handful of kinds: reuse their strings instead of decoding one per line.
const knownKinds: Array<{ bytes: Buffer; kind: string }> = [];

function kindAt(buf: Buffer, start: number, end: number): string {
  const n = end - start;
  for (const k of knownKinds) {
    if (k.bytes.length !== n) continue;
    let i = 0;
    while (i < n && k.bytes[i] === buf[start + i]) i++;
    if (i === n) return k.kind;
  }
  const kind = buf.toString('latin1', start, end);
  if (knownKinds.length < 32) knownKinds.push({ bytes: Buffer.from(kind, 'latin1'), kind });
  return kind;
}

function hexValue(buf: Buffer, pos: number): number {
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const c = buf[pos + i]!;
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/**
 * Reads the head of the line in buf[start, end) (end excludes the newline) and checks its crc.
 * Returns the head, or the reason the bytes are not a finished journal line.
 */
export function decodeLineHead(buf: Buffer, start: number, end: number): LineHead | LineProblem {
  const crcAt = end - CRC_TAIL_BYTES;
  if (crcAt <= start || !startsWith(buf, start, end, HEAD_START)) return 'not a journal line';
  let p = start + HEAD_START.length;
  let seq = 0;
  const digitsFrom = p;
  while (p < crcAt && buf[p]! >= 0x30 && buf[p]! <= 0x39) seq = seq * 10 + (buf[p++]! - 0x30);
  if (p === digitsFrom || p - digitsFrom > 15 || !startsWith(buf, p, crcAt, KIND_KEY)) return 'not a journal line';
  p += KIND_KEY.length;
  const kindStart = p;
  while (p < crcAt && buf[p] !== 0x22) p++;
  if (p === kindStart || p >= crcAt) return 'not a journal line';
  const kind = kindAt(buf, kindStart, p);
  p++;
  let t: number | undefined;
  if (startsWith(buf, p, crcAt, T_KEY)) {
    p += T_KEY.length;
    const neg = buf[p] === 0x2d;
    if (neg) p++;
    const tFrom = p;
    let v = 0;
    while (p < crcAt && buf[p]! >= 0x30 && buf[p]! <= 0x39) v = v * 10 + (buf[p++]! - 0x30);
    if (p === tFrom) return 'not a journal line';
    t = neg ? -v : v;
  }
  if (!startsWith(buf, p, crcAt, REC_KEY)) return 'not a journal line';
  const recStart = p + REC_KEY.length;
  if (!startsWith(buf, crcAt, end, CRC_KEY) || buf[end - 2] !== 0x22 || buf[end - 1] !== 0x7d) return 'not a journal line';
  const expected = hexValue(buf, crcAt + CRC_KEY.length);
  if (expected < 0) return 'not a journal line';
  if (crc32(buf.subarray(start, crcAt)) !== expected) return 'checksum mismatch';
  return { seq, kind, t, recStart, recEnd: crcAt, buf, offset: start, length: end + 1 - start };
}

/** The record JSON of a good line, or undefined when it is not a JSON object with a kind. */
export function parseRecordJson(buf: Buffer, start: number, end: number): ({ kind: string; seq: number } & Record<string, unknown>) | undefined {
  try {
    const value = JSON.parse(buf.toString('utf8', start, end)) as unknown;
    if (typeof value !== 'object' || value === null || typeof (value as { kind?: unknown }).kind !== 'string') return undefined;
    return value as { kind: string; seq: number } & Record<string, unknown>;
  } catch {
    return undefined;
  }
}
