// The HTTP/1.1 byte-range and validator rules (RFC 9110 §13, §14) the file server needs, as pure functions.

export type RangeRequest = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * One `Range: bytes=…` header against a file of `size` bytes. Forms: `a-b`, `a-`, `-n` (the last n bytes).
 * Syntax we do not serve (other units, several ranges, a > b) is ignored, as RFC 9110 allows, and the whole
 * file is sent; a well-formed range that starts past the end is unsatisfiable (416).
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'full' };
  const m = SINGLE_RANGE.exec(header.replace(/\s+/g, ''));
  if (!m) return { kind: 'full' };
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return { kind: 'full' };
  const a = Number(first);
  const b = Number(last);
  if ((first !== '' && !Number.isSafeInteger(a)) || (last !== '' && !Number.isSafeInteger(b))) return { kind: 'full' };
  if (first === '') {
    if (b === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - b), end: size - 1 };
  }
  if (last !== '' && b < a) return { kind: 'full' };
  if (a >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start: a, end: last === '' ? size - 1 : Math.min(b, size - 1) };
}

/** A strong validator: the MD5 when known (it names the content), else size and mtime. */
export function entityTag(size: number, mtimeMs: number, md5?: string): string {
  return md5 ? `"${md5}"` : `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
}

function tagList(header: string): string[] {
  return header
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

/** If-None-Match uses the weak comparison: W/"x" matches "x". */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = tagList(header);
  return tags.includes('*') || tags.some((t) => t.replace(/^W\//, '') === etag);
}

/** If-Modified-Since, only consulted when If-None-Match is absent; HTTP dates have whole seconds. */
export function notModifiedSince(header: string | undefined, mtimeMs: number): boolean {
  if (header === undefined) return false;
  const since = Date.parse(header);
  return Number.isFinite(since) && Math.floor(mtimeMs / 1000) * 1000 <= since;
}

/** If-Range: the range is honoured only if the validator still matches, strongly (an entity tag) or exactly (a date). */
export function ifRangeAllows(header: string | undefined, etag: string, mtimeMs: number): boolean {
  if (header === undefined) return true;
  const value = header.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag;
  const date = Date.parse(value);
  return Number.isFinite(date) && date === Math.floor(mtimeMs / 1000) * 1000;
}
