import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDockside } from './testing/dockside-cli';
import { Journal } from '../journal/journal';
import { eventRecord, makeEvent } from '../../test-support/upgrade-events';

const dockside = (args: string[], env: NodeJS.ProcessEnv = {}) => runDockside(args, { env });

let root: string;
let data: string;
let segment: string;
const TORN = '{"seq":13,"kind":"event","t":1,"rec":{"kind":"ev';
const events = Array.from({ length: 12 }, (_, i) => makeEvent(i, { message: i === 4 ? 'bad, "quoted"\nreason' : `step ${i}` }));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dockside-export-cli-'));
  data = join(root, 'data');
  const journal = await Journal.open(data);
  for (const e of events) await journal.append(eventRecord(e));
  await journal.close();
  segment = join(data, 'journal', '000001.jsonl');
  // As if the laptop died halfway through writing the next record.
  appendFileSync(segment, TORN);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('dockside export', () => {
  it('writes CSV to stdout from a folder left mid-write, reports the torn tail on stderr and leaves it in place', async () => {
    const before = statSync(segment).size;
    const run = await dockside(['export', '--data', data, '--format', 'csv']);
    expect(run.code).toBe(0);
    const rows = parse<Record<string, string>>(run.stdout, { columns: true });
    expect(rows.map((r) => r.id)).toEqual(events.map((e) => e.id));
    expect(rows[4]!.message).toBe('bad, "quoted"\nreason');
    expect(run.stderr).toContain(`000001.jsonl ends with ${TORN.length} bytes that are not a finished record`);
    expect(statSync(segment).size).toBe(before);
    expect(existsSync(join(data, 'journal', 'corrupt'))).toBe(false);
  });

  it('writes JSON Lines and the HTML report to --out, filtered by device and time, taking DOCKSIDE_DATA', async () => {
    const jsonl = join(root, 'dev1.jsonl');
    const html = join(root, 'report.html');
    const [a, b] = await Promise.all([
      dockside(['export', '--format', 'jsonl', '--device', 'DEV-1', '--since', events[3]!.time, '--out', jsonl], { DOCKSIDE_DATA: data }),
      dockside(['export', '--data', data, '--format', 'html', '--out', html, '--site', 'Quay <3>', '--technician', 'R. Tech', '--customer', 'Harbour']),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const lines = readFileSync(jsonl, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual(events.filter((e, i) => e.device === 'DEV-1' && i >= 3));
    expect(a.stderr).toContain(`exported ${lines.length} events to dev1.jsonl`);
    const report = readFileSync(html, 'utf8');
    expect(report).toContain('Quay &#60;3&#62;');
    expect(report).toContain('<tr data-device="DEV-3">');
    expect(readdirSync(root).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('reads a folder while the app holds its lock', async () => {
    const live = mkdtempSync(join(root, 'live-'));
    const journal = await Journal.open(live);
    await journal.append(eventRecord(makeEvent(1)));
    const run = await dockside(['export', '--data', live, '--format', 'jsonl']);
    await journal.close();
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(makeEvent(1));
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['an unknown format', ['--format', 'pdf'], /--format must be csv, jsonl or html, got "pdf"/],
    ['no format', [], /--format csv\|jsonl\|html is required/],
    ['a date that is not one', ['--format', 'csv', '--since', 'last tuesday'], /--since must be an ISO 8601 date/],
    ['an impossible date', ['--format', 'csv', '--since', '2025-13-45'], /--since must be an ISO 8601 date/],
    ['an unknown option', ['--format', 'csv', '--colour'], /Unknown option '--colour'/],
  ];
  it('exits 2 with one line for bad usage', async () => {
    const runs = await Promise.all(usage.map(([, args]) => dockside(['export', '--data', data, ...args])));
    runs.forEach((run, i) => {
      const [what, , message] = usage[i]!;
      expect({ what, code: run.code, stdout: run.stdout }).toEqual({ what, code: 2, stdout: '' });
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    });
  });

  it('exits 1 with one line when the data folder is missing or holds no journal, or --out cannot be written', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const [missing, noJournal, badOut] = await Promise.all([
      dockside(['export', '--data', join(root, 'nowhere'), '--format', 'csv']),
      dockside(['export', '--data', empty, '--format', 'csv']),
      dockside(['export', '--data', data, '--format', 'csv', '--out', join(root, 'no-such-folder', 'x.csv')]),
    ]);
    expect(badOut.code).toBe(1);
    expect(badOut.stderr.trim().split('\n').at(-1)).toBe(`dockside export: cannot write ${join(root, 'no-such-folder', 'x.csv')}: its folder does not exist`);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`dockside export: data folder ${join(root, 'nowhere')} does not exist`);
    expect(noJournal.code).toBe(1);
    expect(noJournal.stderr).toMatch(/holds no journal/);
    expect(noJournal.stderr.trim().split('\n')).toHaveLength(1);
  });
});
