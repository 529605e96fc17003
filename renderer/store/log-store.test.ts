// Live events are matched in the page with the host's own semantics: checked against the real journal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../main/journal/journal';
import { makeEvent } from '../../test-support/upgrade-events';
import { matchesFilters, NO_LOG_FILTERS, queryOf, rankAt, type LogFilters } from './log-store';

const events = Array.from({ length: 400 }, (_, i) => makeEvent(i, i % 7 === 0 ? { message: `Refused OEM payload ${i}` } : {}));
let dir: string;
let journal: Journal;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-logstore-'));
  journal = await Journal.open(dir);
  await journal.appendMany(events.map((event) => ({ kind: 'event' as const, event })));
});

afterAll(async () => {
  await journal.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Each filter with the count worked out by hand from makeEvent (event i: source i mod 5 of dji, aktualizr,
 * carota, edgehog, oem; device DEV-(i mod 4); campaign camp-(i mod 3); state i mod 4 of pending, running,
 * succeeded, failed; message "step i", here "Refused OEM payload i" when 7 divides i).
 */
const CASES: [string, Partial<LogFilters>, number][] = [
  ['nothing', {}, 400],
  ['sources', { sources: ['oem', 'edgehog'] }, 160],
  ['states', { states: ['failed'] }, 100],
  ['device, exact', { device: 'DEV-2' }, 100],
  ['device, a part is not a match', { device: 'DEV' }, 0],
  ['campaign', { campaign: 'camp-1' }, 133],
  ['since and until, inclusive', { since: events[100]!.time, until: events[199]!.time }, 100],
  ['text in the message, any case', { text: 'refused oem' }, 58],
  ['text in the device', { text: 'dev-3' }, 100],
  // i odd, 3 | i, i mod 5 in {0, 1}: i ≡ 15 or 21 (mod 30), 26 below 400, less 21, 105, 231 and 315.
  ['everything at once', { sources: ['aktualizr', 'dji'], states: ['running', 'failed'], campaign: 'camp-0', text: 'step' }, 22],
];

describe('matchesFilters', () => {
  it.each(CASES)('agrees with the journal query: %s', async (_, patch, count) => {
    const filters = { ...NO_LOG_FILTERS, ...patch };
    const { total } = await journal.query({ ...queryOf(filters), limit: 1 });
    expect(total).toBe(count);
    expect(events.filter((e) => matchesFilters(e, filters)).length).toBe(count);
  });
});

describe('rankAt', () => {
  it('counts ranks from the oldest whichever the order', () => {
    expect([0, 1, 9].map((i) => rankAt(i, 'desc', 10))).toEqual([9, 8, 0]);
    expect([0, 1, 9].map((i) => rankAt(i, 'asc', 10))).toEqual([0, 1, 9]);
  });
});
