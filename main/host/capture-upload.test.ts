// The capture import route of the web host, end to end: real HTTP into the real core, whose decoders
// and journal take the file exactly as the desktop app's ingest.importPath does.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../app/app-core';
import { AKTUALIZR_DEVICE, aktualizrEvent, edgehogBson, EDGEHOG_DEVICE } from '../../test-support/vehicle-payloads';
import { startWebServer, type WebServer } from './web-server';

let dir: string;
let core: AppCore;
let server: WebServer;

/** A POST as the window sends it: with this start's session token unless the test says otherwise. */
function post(path: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path, headers: { 'x-dockside-session': server.sessionToken, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-import-'));
  core = await createAppCore({ dataDir: join(dir, 'data'), host: 'web', connectOnStart: false });
  server = await startWebServer({ host: '127.0.0.1', port: 0, backend: core, rendererDir: join(dir, 'r'), uploadDir: join(dir, 'data', 'uploads'), maxUploadBytes: 100_000, log: () => undefined });
});

afterEach(async () => {
  await server.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('POST /api/import', () => {
  it('stores a .jsonl capture in uploads/ and feeds every line through the decoders into the log', async () => {
    const lines = [JSON.stringify([aktualizrEvent(1), aktualizrEvent(2, 'EcuDownloadCompleted', { success: true })]), '{"not": "a payload"}'];
    const r = await post(`/api/import?name=${encodeURIComponent('site capture.jsonl')}&protocol=aktualizr&device=${AKTUALIZR_DEVICE}`, lines.join('\n'));
    expect(r).toEqual({ status: 200, body: { accepted: 2, rejected: 1 } });
    expect(readFileSync(join(dir, 'data', 'uploads', 'site capture.jsonl'), 'utf8')).toBe(lines.join('\n'));
    const log = await core.handle('log.query', { order: 'asc', offset: 0, limit: 10 });
    expect(log.total).toBe(3);
    expect(log.events.map((e) => [e.source, e.device, e.state])).toEqual([
      ['aktualizr', AKTUALIZR_DEVICE, 'running'],
      ['aktualizr', AKTUALIZR_DEVICE, 'succeeded'],
      ['aktualizr', '', 'failed'],
    ]);
    expect(log.events[2]!.message).toContain('site capture.jsonl');
  });

  it('takes binary .bson as it is, the device from the query', async () => {
    const bytes = Buffer.concat([edgehogBson('Downloading', 10), edgehogBson('Downloading', 60)]);
    const r = await post(`/api/import?name=ota.bson&device=${EDGEHOG_DEVICE}`, bytes, { 'content-type': 'application/octet-stream' });
    expect(r).toEqual({ status: 200, body: { accepted: 2, rejected: 0 } });
    const { vehicles } = await core.handle('vehicles.list', {});
    expect(vehicles.map((v) => [v.source, v.device, v.percent])).toEqual([['edgehog', EDGEHOG_DEVICE, 60]]);
  });

  it('refuses a bad protocol, a missing name and an oversized body, leaving no partial file', async () => {
    const bad = await post('/api/import?name=a.json&protocol=mqtt', '[]');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'bad-request', message: expect.stringContaining('protocol') } });
    expect(existsSync(join(dir, 'data', 'uploads', 'a.json'))).toBe(false);
    const noName = await post('/api/import', '[]');
    expect(noName).toMatchObject({ status: 400, body: { error: { message: 'add ?name=<file name> with the capture file name' } } });
    const big = await post('/api/import?name=big.jsonl', 'x'.repeat(200_000));
    expect(big.status).toBe(413);
    const chunked = await post('/api/import?name=big.jsonl', 'x'.repeat(200_000), { 'transfer-encoding': 'chunked' });
    expect(chunked.status).toBe(413);
    expect(readdirSync(join(dir, 'data', 'uploads'))).toEqual([]);
    expect((await core.handle('log.query', { limit: 10 })).total).toBe(0);
  });

  it('refuses a .json or .jsonl capture that is not valid UTF-8 with 400, logging nothing from it', async () => {
    const invalid = Buffer.concat([Buffer.from('[{"eventType": {"id": "EcuDownloadStarted"}, "x": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}]')]);
    for (const name of ['bad.json', 'bad.jsonl']) {
      const r = await post(`/api/import?name=${name}&protocol=aktualizr&device=${AKTUALIZR_DEVICE}`, invalid);
      expect(r.status, name).toBe(400);
      expect(r.body, name).toMatchObject({ error: { code: 'bad-request', message: expect.stringMatching(new RegExp(`${name}: not valid UTF-8 text`)) } });
    }
    expect((await core.handle('log.query', { limit: 10 })).total).toBe(0);
  });

  it("refuses an import without this start's session token, storing and logging nothing", async () => {
    const r = await post(`/api/import?name=x.json&protocol=aktualizr&device=${AKTUALIZR_DEVICE}`, JSON.stringify([aktualizrEvent(1)]), { 'x-dockside-session': '' });
    expect(r).toMatchObject({ status: 403, body: { error: { code: 'bad-request' } } });
    expect(existsSync(join(dir, 'data', 'uploads'))).toBe(false);
    expect((await core.handle('log.query', { limit: 10 })).total).toBe(0);
  });

  it('answers only POST', async () => {
    const r = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: server.port, method: 'GET', path: '/api/import' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(r).toBe(405);
  });
});
