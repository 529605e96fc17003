import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal, JournalError } from './journal';
import { DataDirLockedError } from './lock';
import { encodeLine, prepareLine } from './line-format';
import type { JournalRecord } from './records';
import { eventRecord, makeEvent } from '../../test-support/upgrade-events';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-journal-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function collect(journal: Journal, opts?: Parameters<Journal['replay']>[0]) {
  const out: Array<JournalRecord & { seq: number }> = [];
  for await (const r of journal.replay(opts)) out.push(r);
  return out;
}

const segmentPath = (name = '000001.jsonl') => join(dir, 'journal', name);

describe('append and replay', () => {
  it('round-trips events and opaque state records in order, with their seqs', async () => {
    const journal = await Journal.open(dir);
    const records: JournalRecord[] = [
      eventRecord(makeEvent(1)),
      { kind: 'firmware', firmware: { id: 'fw-1', fileName: 'dock_v10.01.bin', size: 123, addedAt: '2025-06-02T08:00:00.000Z' } },
      eventRecord(makeEvent(2, { message: 'comma, "quote"\nnewline ✓ \u2028' })),
      { kind: 'settings', settings: { url: 'mqtt://127.0.0.1:1883' } },
    ];
    const seqs = await journal.appendMany(records);
    expect(seqs).toEqual([1, 2, 3, 4]);
    expect(await journal.append({ kind: 'batch', batchId: 'b1', total: 2 })).toBe(5);
    await journal.close();

    const reopened = await Journal.open(dir);
    const all = await collect(reopened);
    expect(all.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(all.slice(0, 4).map(({ seq: _seq, ...r }) => r)).toEqual(records);
    expect((await collect(reopened, { kinds: ['event'] })).map((r) => r.seq)).toEqual([1, 3]);
    expect((await collect(reopened, { fromSeq: 4 })).map((r) => r.kind)).toEqual(['settings', 'batch']);
    expect(reopened.recovery).toEqual({ tails: [], skipped: [] });
    expect(await reopened.append(eventRecord(makeEvent(3)))).toBe(6);
    await reopened.close();
  });

  it('can stop a replay early and start another', async () => {
    const journal = await Journal.open(dir, { segmentBytes: 2048 });
    await journal.appendMany(Array.from({ length: 20 }, (_, i) => eventRecord(makeEvent(i))));
    const firstTwo: number[] = [];
    for await (const r of journal.replay()) {
      firstTwo.push(r.seq);
      if (firstTwo.length === 2) break;
    }
    expect(firstTwo).toEqual([1, 2]);
    expect((await collect(journal, { fromSeq: 19 })).map((r) => r.seq)).toEqual([19, 20]);
    await journal.close();
  });

  it('gives concurrent appends distinct, increasing seqs in call order', async () => {
    const journal = await Journal.open(dir, { groupCommitMs: 2 });
    const seqs = await Promise.all(Array.from({ length: 300 }, (_, i) => journal.append(eventRecord(makeEvent(i)))));
    expect(seqs).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    const ids = (await collect(journal)).map((r) => (r as { event: { id: string } }).event.id);
    expect(ids).toEqual(Array.from({ length: 300 }, (_, i) => `ev-${i}`));
    await journal.close();
  });

  it('rejects a bad record on its own, without failing the ones appended beside it', async () => {
    const journal = await Journal.open(dir);
    const cyclic: Record<string, unknown> = { kind: 'settings' };
    cyclic.self = cyclic;
    const results = await Promise.allSettled([
      journal.append(eventRecord(makeEvent(1))),
      journal.append({ kind: 'not a kind!' }),
      journal.append({ kind: 'event', event: 'downloading' }),
      journal.append({ kind: 'event' }),
      journal.append(cyclic as JournalRecord),
      journal.append(eventRecord(makeEvent(3))),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'rejected', 'fulfilled']);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(JournalError);
    expect((results[2] as PromiseRejectedResult).reason.message).toMatch(/needs an "event" object/);
    expect((await collect(journal)).map((r) => r.seq)).toEqual([1, 2]);
    await journal.close();
    await expect(journal.append(eventRecord(makeEvent(4)))).rejects.toThrow(/closed/);
  });

  it('rotates segments by size and replays across them, skipping segments by seq', async () => {
    const journal = await Journal.open(dir, { segmentBytes: 4096 });
    for (let i = 0; i < 60; i++) await journal.append(eventRecord(makeEvent(i)));
    await journal.append({ kind: 'upgrade', upgrade: { key: 't:s' } });
    const segments = readdirSync(join(dir, 'journal')).filter((n) => n.endsWith('.jsonl'));
    expect(segments.length).toBeGreaterThan(3);
    for (const name of segments.slice(0, -1)) expect(statSync(segmentPath(name)).size).toBeLessThanOrEqual(4096);
    await journal.close();

    const index = JSON.parse(readFileSync(join(dir, 'journal', 'index.json'), 'utf8'));
    expect(index.segments.map((s: { name: string }) => s.name)).toEqual(segments);
    const reopened = await Journal.open(dir, { segmentBytes: 4096 });
    expect(reopened.stats()).toMatchObject({ segments: segments.length, records: 61, byKind: { event: 60, upgrade: 1 }, lastSeq: 61 });
    expect((await collect(reopened)).map((r) => r.seq)).toEqual(Array.from({ length: 61 }, (_, i) => i + 1));
    expect((await collect(reopened, { fromSeq: 55 })).map((r) => r.seq)).toEqual([55, 56, 57, 58, 59, 60, 61]);
    expect((await collect(reopened, { kinds: ['upgrade'] })).map((r) => r.seq)).toEqual([61]);
    await reopened.close();
  });
});

describe('torn and corrupt tails', () => {
  async function journalWithThree() {
    const journal = await Journal.open(dir);
    await journal.appendMany([1, 2, 3].map((i) => eventRecord(makeEvent(i))));
    await journal.close();
    return statSync(segmentPath()).size;
  }

  const fullLine = (seq: number) => encodeLine(seq, prepareLine('event', 0, JSON.stringify(eventRecord(makeEvent(seq)))));

  const cases: Array<[string, () => Buffer]> = [
    ['half a line', () => fullLine(4).subarray(0, 40)],
    ['a whole line without its newline', () => fullLine(4).subarray(0, -1)],
    ['a line with a bad checksum', () => Buffer.from(fullLine(4).toString('latin1').replace('"step 4"', '"step 5"'), 'latin1')],
    ['garbage bytes', () => Buffer.from([0x00, 0x00, 0xff, 0x0a, 0x7b, 0x22, 0x0a, 0x13])],
    ['zeros left by a lost page', () => Buffer.alloc(300)],
  ];

  for (const [what, tail] of cases) {
    it(`sets aside ${what}, reports it and carries on after the last good record`, async () => {
      const goodSize = await journalWithThree();
      const bad = tail();
      appendFileSync(segmentPath(), bad);

      const journal = await Journal.open(dir);
      expect(journal.recovery.tails).toHaveLength(1);
      const [report] = journal.recovery.tails;
      expect(report).toMatchObject({ segment: '000001.jsonl', offset: goodSize, bytes: bad.length });
      expect(readFileSync(report!.movedTo!)).toEqual(bad);
      expect(report!.movedTo).toBe(join(dir, 'journal', 'corrupt', `000001.jsonl.${goodSize}.tail`));
      expect(statSync(segmentPath()).size).toBe(goodSize);
      expect(await journal.append(eventRecord(makeEvent(9)))).toBe(4);
      expect((await collect(journal)).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
      await journal.close();
      expect((await Journal.open(dir, { readOnly: true })).recovery.tails).toEqual([]);
    });
  }

  it('leaves a torn tail in place when opened read-only, and still reads everything before it', async () => {
    const goodSize = await journalWithThree();
    appendFileSync(segmentPath(), fullLine(4).subarray(0, 25));
    const before = readFileSync(segmentPath());
    const reader = await Journal.open(dir, { readOnly: true });
    expect(reader.recovery.tails).toEqual([{ segment: '000001.jsonl', offset: goodSize, bytes: 25, reason: 'unfinished last line' }]);
    expect((await collect(reader)).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(readFileSync(segmentPath())).toEqual(before);
    expect(existsSync(join(dir, 'journal', 'corrupt'))).toBe(false);
    await expect(reader.append(eventRecord(makeEvent(5)))).rejects.toThrow(/read-only/);
    await reader.close();
  });

  it('skips a corrupt line in the middle, keeps the good lines after it, and never repeats a seq', async () => {
    const journal = await Journal.open(dir);
    await journal.appendMany([1, 2].map((i) => eventRecord(makeEvent(i))));
    await journal.close();
    const good = readFileSync(segmentPath());
    const lines = good.toString('latin1').split('\n');
    const flipped = lines[1]!.replace('"step 2"', '"step X"');
    writeFileSync(segmentPath(), Buffer.concat([Buffer.from(`${lines[0]}\n${flipped}\n`, 'latin1'), Buffer.from('}{ not json\n'), fullLine(3), fullLine(1)]));

    const reopened = await Journal.open(dir);
    expect(reopened.recovery.skipped.map((s) => s.reason)).toEqual(['checksum mismatch', 'not a journal line']);
    expect(reopened.recovery.tails.map((t) => t.reason)).toEqual(['duplicate seq 1']);
    expect((await collect(reopened)).map((r) => r.seq)).toEqual([1, 3]);
    expect(await reopened.append(eventRecord(makeEvent(4)))).toBe(4);
    await reopened.close();
  });
});

describe('the data folder lock', () => {
  it('refuses a second writer and lets readers in', async () => {
    const journal = await Journal.open(dir);
    await expect(Journal.open(dir)).rejects.toBeInstanceOf(DataDirLockedError);
    const reader = await Journal.open(dir, { readOnly: true });
    await reader.close();
    await journal.close();
    const again = await Journal.open(dir);
    await again.close();
  });

  it('takes over a lock left by a process that is gone', async () => {
    writeFileSync(join(dir, 'dockside.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname() }));
    const journal = await Journal.open(dir);
    expect(JSON.parse(readFileSync(join(dir, 'dockside.lock'), 'utf8')).pid).toBe(process.pid);
    await journal.close();
    expect(existsSync(join(dir, 'dockside.lock'))).toBe(false);
  });
});

describe('query', () => {
  it("saves sealed segments' index rows beside them, and ignores a damaged one on the next start", async () => {
    const journal = await Journal.open(dir, { segmentBytes: 4096 });
    await journal.append(eventRecord(makeEvent(0)));
    expect((await journal.query({ order: 'asc', offset: 0, limit: 1 })).total).toBe(1);
    for (let i = 1; i < 50; i++) await journal.append(eventRecord(makeEvent(i)));
    await journal.close();
    const sidecars = readdirSync(join(dir, 'journal')).filter((n) => n.endsWith('.events.idx'));
    const segments = readdirSync(join(dir, 'journal')).filter((n) => n.endsWith('.jsonl'));
    expect(sidecars).toEqual(segments.slice(0, -1).map((n) => n.replace('.jsonl', '.events.idx')));

    const damaged = join(dir, 'journal', sidecars[1]!);
    const bytes = readFileSync(damaged);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(damaged, bytes);
    const reopened = await Journal.open(dir, { segmentBytes: 4096 });
    const all = await reopened.query({ order: 'asc', offset: 0, limit: 100 });
    expect(all.events.map((e) => e.id)).toEqual(Array.from({ length: 50 }, (_, i) => `ev-${i}`));
    expect((await reopened.query({ device: 'DEV-3', order: 'desc', offset: 0, limit: 100 })).events.map((e) => e.seq)).toEqual([48, 44, 40, 36, 32, 28, 24, 20, 16, 12, 8, 4]);
    await reopened.close();
    expect(readFileSync(damaged)).not.toEqual(bytes);
  });

  it('pages events newest-first and oldest-first with filters, and sees appends made after the first query', async () => {
    const journal = await Journal.open(dir, { segmentBytes: 8192 });
    await journal.appendMany(Array.from({ length: 40 }, (_, i) => eventRecord(makeEvent(i))));
    await journal.append({ kind: 'settings', settings: {} });

    const newest = await journal.query({ order: 'desc', offset: 0, limit: 3 });
    expect(newest.total).toBe(40);
    expect(newest.events.map((e) => [e.seq, e.id])).toEqual([
      [40, 'ev-39'],
      [39, 'ev-38'],
      [38, 'ev-37'],
    ]);
    const oldest = await journal.query({ order: 'asc', offset: 2, limit: 2 });
    expect(oldest.events.map((e) => e.id)).toEqual(['ev-2', 'ev-3']);
    expect(oldest.events[0]).toEqual({ ...makeEvent(2), seq: 3 });

    const dev1 = await journal.query({ device: 'DEV-1', state: 'running', order: 'asc', offset: 0, limit: 100 });
    const expected = Array.from({ length: 40 }, (_, i) => makeEvent(i)).filter((e) => e.device === 'DEV-1' && e.state === 'running');
    expect(dev1.total).toBe(expected.length);
    expect(dev1.events.map((e) => e.id)).toEqual(expected.map((e) => e.id));

    const window = await journal.query({ since: makeEvent(10).time, until: makeEvent(12).time, source: ['dji', 'carota'], order: 'asc', offset: 0, limit: 10 });
    expect(window.events.map((e) => e.id)).toEqual(['ev-10', 'ev-12']);
    expect((await journal.query({ text: 'STEP 3', order: 'asc', offset: 0, limit: 10 })).events.map((e) => e.id)).toEqual([
      'ev-3',
      'ev-30',
      'ev-31',
      'ev-32',
      'ev-33',
      'ev-34',
      'ev-35',
      'ev-36',
      'ev-37',
      'ev-38',
    ]);
    expect((await journal.query({ device: 'nobody', order: 'desc', offset: 0, limit: 10 })).total).toBe(0);
    await expect(journal.query({ since: 'yesterday-ish' })).rejects.toThrow(/since is not a date/);

    await journal.append(eventRecord(makeEvent(99, { device: 'DEV-NEW' })));
    const added = await journal.query({ device: 'DEV-NEW', order: 'desc', offset: 0, limit: 5 });
    expect(added.events.map((e) => [e.seq, e.id])).toEqual([[42, 'ev-99']]);
    await journal.close();
  });
});
