// The export download route of the web host, behind the real web server: names it never made are
// refused plainly, and a malformed one is a 400, not a crash with a stack trace.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ExportProgress } from '../../preload/api';
import { createMemoryBackend } from '../../test-support/memory-backend';
import { startWebServer, type WebServer } from '../host/web-server';
import { Journal } from '../journal/journal';
import { eventRecord, makeEvent } from '../../test-support/upgrade-events';
import { ExportRunner, siteSlug } from './export-runner';

let dir: string;
let journal: Journal;
let runner: ExportRunner;
let server: WebServer;
const logged: string[] = [];
const pushed: ExportProgress[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-export-route-'));
  journal = await Journal.open(dir);
  await journal.append(eventRecord(makeEvent(1)));
  runner = new ExportRunner(dir, journal, (p) => pushed.push(p));
  server = await startWebServer({
    host: '127.0.0.1',
    port: 0,
    backend: createMemoryBackend(),
    uploadDir: join(dir, 'uploads'),
    extraHandler: (req, res) => runner.handle(req, res),
    log: (l) => logged.push(l),
  });
});

afterAll(async () => {
  await server.close();
  await journal.close();
  rmSync(dir, { recursive: true, force: true });
});

it('answers a malformed name 400 and an unknown one 404, logging nothing', async () => {
  const malformed = await fetch(`http://127.0.0.1:${server.port}/api/exports/%ZZ`);
  expect(malformed.status).toBe(400);
  expect(await malformed.json()).toEqual({ error: 'malformed export name (bad %-encoding)' });
  expect((await fetch(`http://127.0.0.1:${server.port}/api/exports/dockside-2025-06-02T08-00-00Z-00000000.csv`)).status).toBe(404);
  expect((await fetch(`http://127.0.0.1:${server.port}/api/exports/..%2Fjournal`)).status).toBe(404);
  expect(logged).toEqual([]);
});

it('serves a finished export by its generated name', async () => {
  runner.start({ format: 'jsonl' });
  while (!pushed.some((p) => p.url)) await new Promise((r) => setTimeout(r, 10));
  const done = pushed.find((p) => p.url)!;
  const res = await fetch(`http://127.0.0.1:${server.port}${done.url}`);
  expect(res.status).toBe(200);
  expect(JSON.parse((await res.text()).trim())).toMatchObject({ id: 'ev-1' });
});

it('names the file by site and date, and serves it by that name', async () => {
  expect(siteSlug('Depot Nörth <bay 4>')).toBe('depot-north-bay-4');
  runner.start({ format: 'html', site: 'Depot Nörth <bay 4>', timeZone: 'Europe/Berlin' });
  let done: ExportProgress | undefined;
  while (!(done = pushed.find((p) => p.format === 'html' && (p.url || p.error)))) await new Promise((r) => setTimeout(r, 10));
  expect(done.fileName).toMatch(/^dockside-depot-north-bay-4-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z-[0-9a-f]{8}\.html$/);
  const res = await fetch(`http://127.0.0.1:${server.port}${done.url}`);
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('Europe/Berlin (UTC');
});

it('says so when the time zone is not one', async () => {
  runner.start({ format: 'html', timeZone: 'Mars/Base' });
  let done: ExportProgress | undefined;
  while (!(done = pushed.find((p) => p.format === 'html' && p.error))) await new Promise((r) => setTimeout(r, 10));
  expect(done.error).toBe('export failed: unknown time zone "Mars/Base" (use an IANA name, e.g. Europe/Berlin)');
});
