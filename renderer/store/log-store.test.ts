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

const CASES: [string, Partial<LogFilters>][] = [
  ['nothing', {}],
  ['sources', { sources: ['oem', 'edgehog'] }],
  ['states', { states: ['failed'] }],
  ['device, exact', { device: 'DEV-2' }],
  ['device, a part is not a match', { device: 'DEV' }],
  ['campaign', { campaign: 'camp-1' }],
  ['since and until, inclusive', { since: events[100]!.time, until: events[199]!.time }],
  ['text in the message, any case', { text: 'refused oem' }],
  ['text in the device', { text: 'dev-3' }],
  ['everything at once', { sources: ['aktualizr', 'dji'], states: ['running', 'failed'], campaign: 'camp-0', text: 'step' }],
];

describe('matchesFilters', () => {
  it.each(CASES)('agrees with the journal query: %s', async (_, patch) => {
    const filters = { ...NO_LOG_FILTERS, ...patch };
    const { total } = await journal.query({ ...queryOf(filters), limit: 1 });
    expect(events.filter((e) => matchesFilters(e, filters)).length).toBe(total);
  });
});

describe('rankAt', () => {
  it('counts ranks from the oldest whichever the order', () => {
    expect([0, 1, 9].map((i) => rankAt(i, 'desc', 10))).toEqual([9, 8, 0]);
    expect([0, 1, 9].map((i) => rankAt(i, 'asc', 10))).toEqual([0, 1, 9]);
  });
});
