import { describe, expect, it } from 'vitest';
import { entityTag, ifRangeAllows, noneMatchHits, notModifiedSince, parseRange, type RangeRequest } from './http-range';

describe('parseRange on a 1000-byte file', () => {
  const cases: [string | undefined, RangeRequest][] = [
    [undefined, { kind: 'full' }],
    ['bytes=0-9', { kind: 'partial', start: 0, end: 9 }],
    ['bytes=990-', { kind: 'partial', start: 990, end: 999 }],
    ['bytes=-10', { kind: 'partial', start: 990, end: 999 }],
    ['bytes=-5000', { kind: 'partial', start: 0, end: 999 }],
    ['bytes=500-5000', { kind: 'partial', start: 500, end: 999 }],
    ['bytes=999-999', { kind: 'partial', start: 999, end: 999 }],
    ['bytes = 1 - 2', { kind: 'partial', start: 1, end: 2 }],
    ['bytes=1000-', { kind: 'unsatisfiable' }],
    ['bytes=1000-1001', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=9-3', { kind: 'full' }],
    ['bytes=-', { kind: 'full' }],
    ['bytes=0-1,5-6', { kind: 'full' }],
    ['items=0-9', { kind: 'full' }],
    ['bytes=abc', { kind: 'full' }],
    ['bytes=99999999999999999999-', { kind: 'full' }],
  ];
  it.each(cases)('%s', (header, want) => {
    expect(parseRange(header, 1000)).toEqual(want);
  });

  it('finds nothing to satisfy in an empty file', () => {
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-1', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange(undefined, 0)).toEqual({ kind: 'full' });
  });
});

describe('validators', () => {
  const md5 = '0123456789abcdef0123456789abcdef';
  const mtime = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
  const lastModified = new Date(mtime).toUTCString();

  it('derives the entity tag from the MD5, else from size and mtime', () => {
    expect(entityTag(10, mtime, md5)).toBe(`"${md5}"`);
    expect(entityTag(255, 4096.7)).toBe('"ff-1000"');
  });

  const noneMatch: [string, boolean][] = [
    [`"${md5}"`, true],
    [`W/"${md5}"`, true],
    [`"other", "${md5}"`, true],
    ['*', true],
    ['"other"', false],
  ];
  it.each(noneMatch)('If-None-Match %s → %s', (header, hit) => {
    expect(noneMatchHits(header, `"${md5}"`)).toBe(hit);
  });

  it('If-Modified-Since compares whole seconds', () => {
    expect(notModifiedSince(lastModified, mtime)).toBe(true);
    expect(notModifiedSince(new Date(mtime - 2000).toUTCString(), mtime)).toBe(false);
    expect(notModifiedSince('not a date', mtime)).toBe(false);
    expect(notModifiedSince(undefined, mtime)).toBe(false);
  });

  const ifRange: [string | undefined, boolean][] = [
    [undefined, true],
    [`"${md5}"`, true],
    [`W/"${md5}"`, false],
    ['"older"', false],
    [lastModified, true],
    [new Date(mtime - 1000).toUTCString(), false],
    ['garbage', false],
  ];
  it.each(ifRange)('If-Range %s → %s', (header, allowed) => {
    expect(ifRangeAllows(header, `"${md5}"`, mtime)).toBe(allowed);
  });
});
