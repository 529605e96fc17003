// The pager against the real journal (its own query index on disk): pages fetched as rows come into view,
// a bounded cache, the order flipped without losing what is loaded, and live events followed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoggedEvent, UpgradeEvent } from '../../preload/api';
import { Journal } from '../../main/journal/journal';
import { makeEvent } from '../../test-support/upgrade-events';
import { createFakeClient, type FakeClient } from '../testing/fake-client';
import { createLogPager, liveDelay, type LogPager } from './log-pager';
import { createLogStore, rankAt } from './log-store';

const N = 5000;
let dir: string;
let journal: Journal;
let client: FakeClient;
let pending: Set<Promise<unknown>>;
let store: ReturnType<typeof createLogStore>;
let pager: LogPager;

/** Waits until every query sent so far has been answered and applied. */
async function settle(): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
  await new Promise((r) => setTimeout(r, 0));
}

const queries = () => client.calls.filter((c) => c.name === 'log.query').map((c) => c.req as { order: string; offset: number; limit: number; state?: string[] });
/** What display row `i` shows now: the number in its event's message. */
const shown = (i: number) => {
  const s = store.getState();
  return s.rows.get(rankAt(i, s.order, s.total!))?.message;
};

async function append(events: UpgradeEvent[]): Promise<void> {
  await journal.appendMany(events.map((event) => ({ kind: 'event' as const, event })));
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-pager-'));
  journal = await Journal.open(dir);
  await append(Array.from({ length: N }, (_, i) => makeEvent(i)));
  pending = new Set();
  client = createFakeClient({
    'log.query': (req) => {
      const answer = journal.query(req) as Promise<{ events: LoggedEvent[]; total: number }>;
      pending.add(answer);
      void answer.finally(() => pending.delete(answer));
      return answer;
    },
  });
  store = createLogStore();
  pager = createLogPager(client, store, { pageSize: 100, maxRows: 500, liveDelayMs: 0 });
});

afterEach(async () => {
  pager.dispose();
  await journal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('createLogPager', () => {
  it('asks for the first page newest first, then only the pages that scroll into view', async () => {
    pager.show(0, 30);
    await settle();
    expect(store.getState().total).toBe(N);
    expect(shown(0)).toBe(`step ${N - 1}`);
    expect(shown(30)).toBe(`step ${N - 31}`);
    pager.show(10, 60);
    await settle();
    expect(queries()).toEqual([{ order: 'desc', offset: 0, limit: 100 }]);
    pager.show(2450, 2520);
    await settle();
    expect(queries().slice(1)).toEqual([
      { order: 'desc', offset: 2400, limit: 100 },
      { order: 'desc', offset: 2500, limit: 100 },
    ]);
    expect(shown(2450)).toBe(`step ${N - 2451}`);
    expect(shown(2520)).toBe(`step ${N - 2521}`);
  });

  it('keeps at most maxRows loaded, those nearest the rows on screen', async () => {
    for (let first = 0; first < 2000; first += 100) {
      pager.show(first, first + 40);
      await settle();
    }
    const { rows, total } = store.getState();
    expect(rows.size).toBeLessThanOrEqual(500);
    expect(shown(1920)).toBe(`step ${N - 1921}`);
    expect(rows.has(rankAt(0, 'desc', total!))).toBe(false);
    pager.show(0, 40);
    await settle();
    expect(queries().at(-1)).toEqual({ order: 'desc', offset: 0, limit: 100 });
    expect(shown(0)).toBe(`step ${N - 1}`);
  });

  it('flips the order without dropping what is loaded: the same events keep their ranks', async () => {
    pager.show(0, 30);
    await settle();
    store.getState().setOrder('asc');
    pager.show(0, 30);
    await settle();
    expect(queries().at(-1)).toEqual({ order: 'asc', offset: 0, limit: 100 });
    expect(shown(0)).toBe('step 0');
    const asked = queries().length;
    store.getState().setOrder('desc');
    pager.show(0, 30);
    await settle();
    expect(queries()).toHaveLength(asked);
    expect(shown(0)).toBe(`step ${N - 1}`);
  });

  it('starts over when the filters change, and drops answers to the old filters', async () => {
    pager.show(0, 30);
    store.getState().setFilters({ states: ['failed'] });
    await settle();
    expect(queries().at(-1)).toMatchObject({ state: ['failed'], offset: 0 });
    expect(store.getState().total).toBe(N / 4);
    const s = store.getState();
    expect([...s.rows.values()].every((e) => e.state === 'failed')).toBe(true);
    expect(shown(0)).toBe(`step ${N - 1}`);
  });

  it('follows live events that match with one query for the newest edge; rows already loaded stay put', async () => {
    pager.show(0, 30);
    await settle();
    const before = shown(0);
    const fresh = [makeEvent(N, { message: 'live one' }), makeEvent(N + 1, { message: 'live two' })];
    await append(fresh);
    store.getState().apply(fresh);
    await new Promise((r) => setTimeout(r, liveDelay(0, N) + 5));
    await settle();
    expect(queries()).toHaveLength(2);
    expect(store.getState().total).toBe(N + 2);
    expect(shown(0)).toBe('live two');
    expect(shown(2)).toBe(before);

    store.getState().setFilters({ sources: ['oem'] });
    await settle();
    const asked = queries().length;
    const other = [makeEvent(N + 2, { source: 'carota' })];
    await append(other);
    store.getState().apply(other);
    await new Promise((r) => setTimeout(r, liveDelay(0, N) + 5));
    await settle();
    expect(queries()).toHaveLength(asked);
  });

  it('forgets what is loaded when the host comes back after a drop', async () => {
    pager.show(0, 30);
    await settle();
    client.setLink('lost');
    client.setLink('open');
    expect(store.getState().rows.size).toBe(0);
    await settle();
    expect(store.getState().total).toBe(N);
    expect(shown(0)).toBe(`step ${N - 1}`);
  });

  it('waits longer between live queries the longer the list, within bounds', () => {
    expect([undefined, 5000, 1_000_000, 10_000_000].map((total) => liveDelay(300, total))).toEqual([300, 300, 1000, 2000]);
  });

  it('says so when the log cannot be read', async () => {
    const failing = createFakeClient({});
    const s = createLogStore();
    const p = createLogPager(failing, s);
    p.show(0, 10);
    await new Promise((r) => setTimeout(r, 0));
    expect(s.getState().error).toBe('The log could not be read: log.query is not answered in this test');
    expect(s.getState().loading).toBe(false);
    p.dispose();
  });
});
