import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DeviceUpgrade } from '../../preload/api';
import { createMemoryBackend, type MemoryBackend } from '../../test-support/memory-backend';
import { startWebServer, type WebServer } from './web-server';

let dir: string;
let backend: MemoryBackend;
let server: WebServer;
const logged: string[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-ws-'));
  backend = createMemoryBackend();
  logged.length = 0;
  server = await startWebServer({ host: '127.0.0.1', port: 0, backend, rendererDir: join(dir, 'renderer'), uploadDir: join(dir, 'uploads'), log: (l) => logged.push(l) });
});

afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Client {
  ws: WebSocket;
  frames: unknown[];
  next: (predicate: (frame: any) => boolean) => Promise<any>;
}

/** A socket as the window opens it: the API subprotocol and this start's session token. */
async function connect(headers: Record<string, string> = {}, session = server.sessionToken): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws`, ['dockside.v1', `dockside-session.${session}`], { headers });
  const frames: unknown[] = [];
  const waiters: { predicate: (f: unknown) => boolean; resolve: (f: unknown) => void }[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    frames.push(frame);
    for (const w of [...waiters])
      if (w.predicate(frame)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(frame);
      }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    next: (predicate) => {
      const seen = frames.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
  };
}

function upgradeRow(sn: string, percent: number): DeviceUpgrade {
  const t = new Date(0).toISOString();
  return {
    key: `tid-w:${sn}`,
    tid: 'tid-w',
    gateway: sn,
    sn,
    firmwareId: 'fw1',
    fileName: 'dock.bin',
    targetVersion: '2.0.0',
    type: 'regular',
    step: 'download',
    percent,
    status: 'in_progress',
    subStatus: 'DOWNLOADING',
    verified: false,
    bytesServed: percent,
    fileSize: 100,
    startedAt: t,
    updatedAt: t,
  };
}

describe('the WebSocket API at /api/ws', () => {
  it('answers a call with {id, res}', async () => {
    const c = await connect();
    c.ws.send(JSON.stringify({ v: 1, id: 'a1', call: 'connection.connect', req: { url: 'mqtt://127.0.0.1:1883' } }));
    const reply = await c.next((f) => f.id === 'a1');
    expect(reply.res).toMatchObject({ state: 'connected', url: 'mqtt://127.0.0.1:1883' });
    c.ws.close();
  });

  it('answers a bad request with {id, error} carrying the readable zod message', async () => {
    const c = await connect();
    c.ws.send(JSON.stringify({ v: 1, id: 7, call: 'connection.connect', req: { url: 'ftp://x' } }));
    expect(await c.next((f) => f.id === 7)).toEqual({
      id: 7,
      error: { code: 'bad-request', message: 'connection.connect: url: must be an mqtt://, mqtts://, ws:// or wss:// URL with a host' },
    });
    c.ws.close();
  });

  it('survives malformed messages: each gets an error reply and the socket keeps working', async () => {
    const c = await connect();
    c.ws.send('{not json');
    c.ws.send(JSON.stringify({ id: 'x2', call: 'devices.list' }));
    c.ws.send(JSON.stringify({ v: 99, id: 'x3', call: 'devices.list', req: {} }));
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    c.ws.send(JSON.stringify([1, 2]));
    c.ws.send(JSON.stringify({ v: 1, id: 'ok', call: 'devices.list', req: {} }));
    expect(await c.next((f) => f.id === 'ok')).toEqual({ id: 'ok', res: [] });
    const errors = c.frames.filter((f: any) => f.error);
    expect(errors).toHaveLength(5);
    expect(errors[0]).toMatchObject({ id: null, error: { code: 'bad-request', message: expect.stringMatching(/^not a JSON API message/) } });
    expect(errors[1]).toMatchObject({ id: 'x2', error: { message: expect.stringMatching(/^malformed API message: v: /) } });
    expect(errors[2]).toMatchObject({ id: 'x3', error: { message: 'API version 99 is not spoken here; this host speaks version 1' } });
    c.ws.close();
  });

  it('pushes streams in {batch} frames, the latest upgrade per key only, and drops pushes outside the contract', async () => {
    const c = await connect();
    for (let tick = 1; tick <= 5; tick += 1) for (let i = 0; i < 200; i += 1) backend.emit('upgrade', upgradeRow(`DK${i}`, tick * 20));
    backend.emitRaw('upgrade', { key: 'half a row' });
    backend.emit('firmwareRemoved', { id: 'fw9' });
    const frame = await c.next((f) => Array.isArray(f.batch) && f.batch.some((i: any) => i.stream === 'firmwareRemoved'));
    const upgrades = frame.batch.filter((i: any) => i.stream === 'upgrade');
    expect(upgrades).toHaveLength(200);
    expect(upgrades.every((i: any) => i.payload.percent === 100)).toBe(true);
    expect(logged.join('\n')).toContain('dropped a stream push outside the contract: upgrade:');
    c.ws.close();
  });

  it('refuses a page from another origin, another loopback port, and a rebinding Host; lets the window in', async () => {
    await expect(connect({ Origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(connect({ Host: 'evil.example:80', Origin: 'http://evil.example:80' })).rejects.toThrow(/403/);
    await expect(connect({ Origin: 'http://localhost:1' })).rejects.toThrow(/403/);
    await expect(connect({ Origin: `http://localhost:${server.port + 1}` })).rejects.toThrow(/403/);
    const ok = await connect({ Origin: `http://127.0.0.1:${server.port}` });
    // The API subprotocol is echoed, never the one carrying the token.
    expect(ok.ws.protocol).toBe('dockside.v1');
    ok.ws.close();
    const sameNameOtherSpelling = await connect({ Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}` });
    sameNameOtherSpelling.ws.close();
  });

  it("refuses a socket without this start's session token, even from the window's own origin", async () => {
    const own = { Origin: `http://127.0.0.1:${server.port}` };
    await expect(connect(own, '')).rejects.toThrow(/403/);
    await expect(connect(own, 'b'.repeat(64))).rejects.toThrow(/403/);
    const bare = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws`, { headers: own });
    await expect(
      new Promise((resolve, reject) => {
        bare.once('open', resolve);
        bare.once('error', reject);
      }),
    ).rejects.toThrow(/403/);
  });

  it('refuses the calls that open a path on this machine: the web host takes files by upload', async () => {
    const c = await connect();
    c.ws.send(JSON.stringify({ v: 1, id: 'p1', call: 'firmware.addPath', req: { path: '/etc/passwd' } }));
    c.ws.send(JSON.stringify({ v: 1, id: 'p2', call: 'ingest.importPath', req: { path: '/etc/passwd' } }));
    expect(await c.next((f) => f.id === 'p1')).toEqual({ id: 'p1', error: { code: 'bad-request', message: expect.stringMatching(/^firmware\.addPath: the web host does not open files by path/) } });
    expect(await c.next((f) => f.id === 'p2')).toMatchObject({ id: 'p2', error: { code: 'bad-request' } });
    expect(backend.calls.filter((call) => call.name === 'firmware.addPath' || call.name === 'ingest.importPath')).toEqual([]);
    c.ws.close();
  });

  it('refuses sockets on any other path', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/other`);
    await expect(
      new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      }),
    ).rejects.toThrow(/404/);
  });
});
