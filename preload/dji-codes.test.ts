import { describe, expect, it } from 'vitest';
import { DJI_STATUSES } from './api';
import { batchCountsInWords, batchHadProblems, DJI_ERROR_CODES, DJI_ERROR_TABLE, DJI_STATUS_WORDS, DJI_SUB_STATUS_WORDS, explainDjiCode, subStatusInWords } from './dji-codes';

describe('DJI error codes', () => {
  it.each(DJI_ERROR_TABLE.flatMap(([codes, meaning]) => codes.map((code) => [code, meaning] as const)))('%i explains as "%s"', (code, meaning) => {
    expect(explainDjiCode(code)).toBe(`${code}: ${meaning}`);
  });

  it('lists each code once, covering the field notes groups', () => {
    const all = DJI_ERROR_TABLE.flatMap(([codes]) => codes);
    expect(new Set(all).size).toBe(all.length);
    expect(DJI_ERROR_CODES.size).toBe(all.length);
    expect(DJI_ERROR_CODES.get(312019)).toBe('upgrade failed, try again');
  });

  it('says so for a code not in the table', () => {
    expect(explainDjiCode(312999)).toBe("312999: DJI error code not in Dockside's table");
  });
});

describe('DJI statuses in words', () => {
  it('has words for every status of the contract', () => {
    for (const s of DJI_STATUSES) expect(DJI_STATUS_WORDS[s]).toMatch(/^[A-Z]/);
  });

  it.each(Object.entries(DJI_SUB_STATUS_WORDS))('sub_status %s reads "%s"', (raw, words) => {
    expect(subStatusInWords(raw)).toBe(words);
  });

  it('shows an unknown sub_status as sent and an empty one as nothing', () => {
    expect(subStatusInWords('NEW_THING')).toBe('NEW_THING');
    expect(subStatusInWords('')).toBe('');
  });
});

describe('batch counts in words', () => {
  it('lists non-zero counts in status order and flags problems', () => {
    expect(batchCountsInWords({ failed: 1, ok: 2, queued: 0 })).toBe('2 upgraded and verified, 1 failed');
    expect(batchCountsInWords({ not_verified: 1, ok: 3, rejected: 1 })).toBe('3 upgraded and verified, 1 not verified, 1 rejected by the dock');
    expect(batchHadProblems({ ok: 2, timeout: 1 })).toBe(true);
    expect(batchHadProblems({ ok: 2, not_verified: 1 })).toBe(true);
    expect(batchHadProblems({ ok: 3 })).toBe(false);
  });
});
