import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../test-support/upgrade-events';
import { capEventSize, capRaw, type TruncatedRaw } from './event-size-cap';

// The bounds the README promises: a raw payload is cut past 64 KiB to its first 4096 characters, a message past 8 KiB.
const MAX_RAW_JSON_CHARS = 65_536;
const RAW_HEAD_CHARS = 4096;
const MAX_MESSAGE_CHARS = 8192;

describe('capRaw', () => {
  it('keeps a payload within the cap as the very same value', () => {
    const raw = { method: 'ota_progress', data: { output: { progress: { percent: 40 } }, text: 'x'.repeat(9000) } };
    expect(capRaw(raw)).toBe(raw);
    const justUnder = 'y'.repeat(MAX_RAW_JSON_CHARS - 2);
    expect(capRaw(justUnder)).toBe(justUnder);
  });

  it('replaces a 30 MiB ota_progress by a note with its original size and its first characters', () => {
    const raw = { tid: 't', method: 'ota_progress', data: { blob: 'A'.repeat(30 * 1024 * 1024) } };
    const capped = capRaw(raw) as TruncatedRaw;
    const size = Buffer.byteLength(JSON.stringify(raw));
    expect(capped.originalBytes).toBe(size);
    expect(capped.truncated).toBe(`raw payload of ${size} bytes truncated to its first ${RAW_HEAD_CHARS} characters`);
    expect(capped.head).toBe(JSON.stringify(raw).slice(0, RAW_HEAD_CHARS));
    expect(JSON.stringify(capped).length).toBeLessThan(RAW_HEAD_CHARS + 200);
  });

  it('measures bytes, not characters, and counts escapes: many small strings past the cap are caught', () => {
    const wide = capRaw('é'.repeat(MAX_RAW_JSON_CHARS)) as TruncatedRaw;
    expect(wide.originalBytes).toBe(2 * MAX_RAW_JSON_CHARS + 2);
    const escaped = capRaw('\u0001'.repeat(MAX_RAW_JSON_CHARS / 4)) as TruncatedRaw;
    expect(escaped.originalBytes).toBe(6 * (MAX_RAW_JSON_CHARS / 4) + 2);
    const many = capRaw(Array.from({ length: 20_000 }, (_, i) => ({ i }))) as TruncatedRaw;
    expect(many.truncated).toMatch(/^raw payload of \d+ bytes truncated/);
  });
});

describe('capEventSize', () => {
  it('returns a small event itself', () => {
    const e = makeEvent(1);
    expect(capEventSize(e)).toBe(e);
  });

  it('caps raw and message of a large one, leaving every other field', () => {
    const e = makeEvent(2, { message: 'm'.repeat(MAX_MESSAGE_CHARS + 10), raw: 'r'.repeat(MAX_RAW_JSON_CHARS * 2) });
    const capped = capEventSize(e);
    expect(capped).toEqual({
      ...e,
      message: `${'m'.repeat(MAX_MESSAGE_CHARS)}… (message of ${MAX_MESSAGE_CHARS + 10} characters truncated)`,
      raw: expect.objectContaining({ originalBytes: MAX_RAW_JSON_CHARS * 2 + 2 }),
    });
    expect(e.raw).toHaveLength(MAX_RAW_JSON_CHARS * 2);
  });
});
