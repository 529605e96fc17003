// Exports are safe to open: no live spreadsheet formulas in CSV, no firmware file tokens in any format.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpgradeEvent } from '../../preload/api';
import { exportCsv } from './export-csv';
import { exportJsonl } from './export-jsonl';
import { exportReport } from './export-report';
import { Journal } from './journal';
import { eventRecord, makeEvent } from '../../test-support/upgrade-events';

const TOKEN = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const URL_WITH_TOKEN = `http://192.0.2.10:40123/fw/${TOKEN}/dock_10.01.0008.bin?device=DOCK-A`;

const FORMULAS = ['=HYPERLINK("http://example.invalid","click")', "=cmd|' /C calc'!A0", '+1+1', '-2+3', '@SUM(A1:A2)', '\t=1', '\r=1'];

let dir: string;
let journal: Journal;
const events: UpgradeEvent[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-export-safety-'));
  journal = await Journal.open(dir);
  FORMULAS.forEach((formula, i) => events.push(makeEvent(i, { device: formula, campaign: formula, message: formula, raw: formula })));
  events.push(
    makeEvent(20, {
      device: 'DOCK-A',
      campaign: 'tid-1',
      source: 'dji',
      phase: 'queued',
      state: 'pending',
      message: 'sent ota_create',
      raw: { tid: 'tid-1', method: 'ota_create', data: { devices: [{ sn: 'DOCK-A', file_url: URL_WITH_TOKEN, md5: 'ab' }] } },
    }),
  );
  events.push(
    makeEvent(21, {
      device: 'DOCK-A',
      campaign: 'tid-1',
      source: 'dji',
      phase: 'download',
      state: 'failed',
      message: `download failed from ${URL_WITH_TOKEN}`,
      raw: { escaped: URL_WITH_TOKEN.replaceAll('/', '\\/') },
    }),
  );
  for (const e of events) await journal.append(eventRecord(e));
  await journal.append({
    kind: 'upgrade',
    upgrade: {
      key: 'tid-1:DOCK-A',
      tid: 'tid-1',
      gateway: 'DOCK-A',
      sn: 'DOCK-A',
      firmwareId: 'fw-1',
      fileName: 'dock_10.01.0008.bin',
      targetVersion: '10.01.0008',
      type: 'regular',
      step: 'download',
      percent: 10,
      status: 'failed',
      subStatus: 'DOWNLOAD_FAILED',
      verified: false,
      reason: `could not fetch ${URL_WITH_TOKEN}`,
      bytesServed: 0,
      fileSize: 10,
      startedAt: events[7]!.time,
      updatedAt: events[8]!.time,
      endedAt: events[8]!.time,
    },
  });
});

afterAll(async () => {
  await journal.close();
  rmSync(dir, { recursive: true, force: true });
});

async function capture(run: (out: Writable) => Promise<unknown>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await run(out);
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

describe('CSV formulas', () => {
  it('prefixes every cell that a spreadsheet would run with a quote, keeping RFC 4180 and the columns', async () => {
    const text = await capture((out) => exportCsv(journal, out));
    const rows = parse<Record<string, string>>(text, { columns: true, record_delimiter: '\r\n' });
    expect(Object.keys(rows[0]!)).toEqual(['id', 'time', 'source', 'device', 'campaign', 'phase', 'state', 'percent', 'message', 'raw', 'site', 'technician', 'customer', 'notes']);
    FORMULAS.forEach((formula, i) => {
      for (const column of ['device', 'campaign', 'message']) expect(rows[i]![column]).toBe(`'${formula}`);
      // raw is JSON text, starting with its quote: nothing to run.
      expect(JSON.parse(rows[i]!.raw!)).toBe(formula);
    });
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('file tokens', () => {
  it.each([
    ['csv', (out: Writable) => exportCsv(journal, out)],
    ['jsonl', (out: Writable) => exportJsonl(journal, out)],
    ['html', (out: Writable) => exportReport(journal, out, { generatedAt: new Date('2025-06-02T09:00:00Z') })],
  ])('are masked in the %s export', async (_format, run) => {
    const text = await capture(run);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('/fw/[token hidden]/');
    expect(text).toContain('dock_10.01.0008.bin');
  });

  it('stay in the journal itself (the running upgrade needs its URL)', async () => {
    const [found] = (await journal.query({ text: 'sent ota_create', order: 'asc', offset: 0, limit: 1 })).events;
    expect(JSON.stringify(found!.raw)).toContain(TOKEN);
  });
});
