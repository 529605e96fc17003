import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceUpgrade, UpgradeEvent } from '../../preload/api';
import { exportCsv } from './export-csv';
import { exportJsonl } from './export-jsonl';
import { exportReport } from './export-report';
import { Journal } from './journal';
import { eventRecord, makeEvent } from '../../test-support/upgrade-events';

/** The ten fields in the order DESIGN.md's export contract and the README give them. */
const FIELD_ORDER = ['id', 'time', 'source', 'device', 'campaign', 'phase', 'state', 'percent', 'message', 'raw'];
/** RFC 4180 header row: the ten fields, then the job columns the README names, CRLF. */
const CSV_HEADER = 'id,time,source,device,campaign,phase,state,percent,message,raw,site,technician,customer,notes\r\n';

let dir: string;
let journal: Journal;
const events: UpgradeEvent[] = [];

const tricky = ['E_DOWNLOAD, retry later', 'said "no" twice', 'line one\nline two\r\nline three', '<script>alert(1)</script> & more', '', 'trailing comma,'];

function upgrade(partial: Partial<DeviceUpgrade>): DeviceUpgrade {
  return {
    key: 'tid-7:DOCK-A',
    tid: 'tid-7',
    gateway: 'DOCK-A',
    sn: 'DOCK-A',
    firmwareId: 'fw-1',
    fileName: 'dock_10.01.0008.bin',
    targetVersion: '10.01.0008',
    fromVersion: '10.00.0102',
    type: 'regular',
    step: 'download',
    percent: 0,
    status: 'sent',
    subStatus: '',
    verified: false,
    bytesServed: 0,
    fileSize: 1000,
    startedAt: '2025-06-02T07:59:30.000Z',
    updatedAt: '2025-06-02T07:59:30.000Z',
    ...partial,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-exports-'));
  journal = await Journal.open(dir, { segmentBytes: 4096 });
  for (let i = 0; i < 30; i++) events.push(makeEvent(i, { message: tricky[i % tricky.length]! }));
  events.push(makeEvent(30, { device: 'DOCK-A', campaign: 'tid-7', source: 'dji', phase: 'download', state: 'running', percent: 40, message: 'downloading' }));
  events.push(makeEvent(31, { device: 'DOCK-A', campaign: 'tid-7', source: 'dji', phase: 'done', state: 'succeeded', percent: 100, message: 'ok' }));
  events.push(
    makeEvent(32, {
      device: 'CAR-9',
      campaign: 'corr-9',
      source: 'aktualizr',
      phase: 'install',
      state: 'failed',
      percent: null,
      message: 'EcuInstallationCompleted success=false: flash <bad>',
      raw: { id: 'a"b' },
    }),
  );
  await journal.append({ kind: 'upgrade', upgrade: upgrade({}) });
  for (const e of events) await journal.append(eventRecord(e));
  await journal.append({ kind: 'upgrade', upgrade: upgrade({ status: 'ok', percent: 100, endedAt: '2025-06-02T08:31:00.000Z', updatedAt: '2025-06-02T08:31:00.000Z' }) });
  await journal.append({ kind: 'settings', settings: { theme: 'dark' } });
});

afterAll(async () => {
  await journal.close();
  rmSync(dir, { recursive: true, force: true });
});

async function capture(run: (out: PassThrough) => Promise<unknown>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await run(out);
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

describe('jsonl export', () => {
  it('writes every event once, all ten fields in order, equal to what was appended', async () => {
    const progress: Array<[number, number]> = [];
    const text = await capture((out) => exportJsonl(journal, out, { onProgress: (d, t) => progress.push([d, t]) }));
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toEqual(events);
    for (const l of lines) expect(Object.keys(JSON.parse(l))).toEqual(FIELD_ORDER);
    expect(progress.at(-1)).toEqual([events.length, events.length]);
    expect(progress.length).toBeGreaterThan(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0]);
  });

  it('filters by device and by time', async () => {
    const byDevice = (await capture((out) => exportJsonl(journal, out, { device: 'DEV-2' })))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(byDevice).toEqual(events.filter((e) => e.device === 'DEV-2'));
    const since = events[25]!.time;
    const recent = (await capture((out) => exportJsonl(journal, out, { since })))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(recent).toEqual(events.filter((e) => Date.parse(e.time) >= Date.parse(since)));
  });
});

describe('csv export', () => {
  it('is RFC 4180: header, CRLF rows, quoted commas, quotes and newlines, parsed back to the same fields', async () => {
    const text = await capture((out) => exportCsv(journal, out));
    expect(text.startsWith(CSV_HEADER)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text).toContain('"said ""no"" twice"');
    const rows = parse<Record<string, string>>(text, { columns: true, record_delimiter: '\r\n' });
    expect(rows).toHaveLength(events.length);
    rows.forEach((row, i) => {
      const e = events[i]!;
      expect(row).toEqual({
        id: e.id,
        time: e.time,
        source: e.source,
        device: e.device,
        campaign: e.campaign,
        phase: e.phase,
        state: e.state,
        percent: e.percent === null ? '' : String(e.percent),
        message: e.message,
        raw: JSON.stringify(e.raw),
        site: '',
        technician: '',
        customer: '',
        notes: '',
      });
    });
  });

  it('carries the job on every row, and in JSONL as a `job` after the ten fields', async () => {
    const job = { site: 'Pier 4', technician: 'R. Tech', customer: 'Harbour', notes: '=1+2 is not a formula' };
    const rows = parse<Record<string, string>>(await capture((out) => exportCsv(journal, out, job)), { columns: true, record_delimiter: '\r\n' });
    expect(rows).toHaveLength(events.length);
    for (const r of rows) expect([r.site, r.technician, r.customer, r.notes]).toEqual(['Pier 4', 'R. Tech', 'Harbour', "'=1+2 is not a formula"]);
    const lines = (await capture((out) => exportJsonl(journal, out, { site: 'Pier 4' })))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(events.length);
    for (const l of lines) expect(Object.keys(l)).toEqual([...FIELD_ORDER, 'job']);
    expect(lines[0].job).toEqual({ site: 'Pier 4' });
  });

  it('writes only the header when nothing matches', async () => {
    expect(await capture((out) => exportCsv(journal, out, { device: 'nobody' }))).toBe(CSV_HEADER);
  });
});

describe('html report', () => {
  it('has a row per device and campaign with file, MD5, firmware, outcome and reason in local time, the details, history, sign-off, and the timeline as inline SVG', async () => {
    const html = await capture((out) =>
      exportReport(journal, out, {
        site: 'North <pier>',
        technician: 'R. Tech',
        customer: 'Harbour & Co',
        notes: 'Dock A needed a second attempt',
        generatedAt: new Date('2025-06-02T09:00:00Z'),
        timeZone: 'Europe/Berlin',
      }),
    );
    expect(html.startsWith('<!doctype html>')).toBe(true);
    for (const device of ['DEV-0', 'DEV-1', 'DEV-2', 'DEV-3', 'DOCK-A', 'CAR-9']) expect(html).toContain(`<tr data-device="${device}">`);
    const dock = html.split('\n').find((l) => l.startsWith('<tr data-device="DOCK-A">'))!;
    expect(dock).toContain('<td>dock_10.01.0008.bin</td>');
    expect(dock).toContain('<td>10.00.0102</td><td>10.01.0008</td>');
    expect(dock).toContain('outcome-succeeded');
    expect(dock).toContain('<td>2025-06-02 09:59:30</td><td>2025-06-02 10:31:00</td><td>31m 30s</td>');
    expect(html).toContain('<dt>Times</dt><dd>local to Europe/Berlin (UTC+02:00)</dd>');
    const car = html.split('\n').find((l) => l.startsWith('<tr data-device="CAR-9">'))!;
    expect(car).toContain('outcome-failed');
    expect(car).toContain('flash &#60;bad&#62;');
    expect(html).toContain('North &#60;pier&#62;');
    expect(html).toContain('Harbour &#38; Co');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<pier>');
    expect(html).toMatch(/<main>[\s\S]*<\/main>/);
    expect(html).toContain('<h2 id="history">Upgrade history of each DJI device</h2>');
    expect(html).toContain('<table data-history="DOCK-A">');
    expect(html).toContain('<h2 id="signoff">Sign-off</h2>');
    // A static file: no script of any kind, and its own CSP forbids one.
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    const svg = /<svg class="timeline"[^>]*role="img" aria-label="Upgrade timeline per device">.*?<\/svg>/s.exec(html)?.[0];
    expect(svg).toBeDefined();
    const bars = [...svg!.matchAll(/<rect class="bar" data-outcome="(\w+)"[^>]*><title>([^<]*)<\/title>/g)].map((m) => [m[2]!, m[1]]);
    expect(bars.find(([label]) => label!.startsWith('DOCK-A · batch started 2025-06-02 09:59:30'))?.[1]).toBe('succeeded');
    expect(bars.find(([label]) => label!.startsWith('CAR-9'))?.[1]).toBe('failed');
  });

  it('narrows to one device', async () => {
    const html = await capture((out) => exportReport(journal, out, { device: 'DOCK-A' }));
    expect(html).toContain('<tr data-device="DOCK-A">');
    expect(html).not.toContain('<tr data-device="DEV-0">');
  });
});
