// The page's WebSocket client against the real web host (node:http + ws) and a memory backend.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createMemoryBackend, type MemoryBackend } from '../test-support/memory-backend';
import { startWebServer, type WebServer } from '../main/host/web-server';
import type { HostLink } from './api-error';
import { createSessionSource } from './session';
import { createWebSocketClient, type WebSocketLike } from './ws-client';

let dir: string;
let backend: MemoryBackend;
let server: WebServer;
let client: ReturnType<typeof createWebSocketClient> | undefined;

async function serve(port = 0) {
  server = await startWebServer({ host: '127.0.0.1', port, backend, rendererDir: join(dir, 'r'), uploadDir: join(dir, 'u'), log: () => undefined });
}

/** The page's session as main.tsx builds it: this start's token, renewed from the host's `/`. */
function pageSession() {
  return createSessionSource(server.sessionToken, () => fetch(server.url).then((r) => r.text()));
}

function open(timeoutMs?: number, session = pageSession()) {
  client = createWebSocketClient({
    url: `ws://127.0.0.1:${server.port}/api/ws`,
    WebSocket: WebSocket as unknown as new (url: string, protocols?: string[]) => WebSocketLike,
    session,
    timeoutMs,
    backoffMs: 20,
    maxBackoffMs: 50,
  });
  return client;
}

function linkBecomes(c: ReturnType<typeof createWebSocketClient>, state: HostLink): Promise<void> {
  if (c.link() === state) return Promise.resolve();
  return new Promise((resolve) => {
    const off = c.onLink((l) => {
      if (l === state) {
        off();
        resolve();
      }
    });
  });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-wsclient-'));
  mkdirSync(join(dir, 'r'));
  writeFileSync(join(dir, 'r', 'index.html'), '<!doctype html><html><head><title>Dockside</title></head><body></body></html>');
  backend = createMemoryBackend();
  await serve();
});

afterEach(async () => {
  client?.close();
  client = undefined;
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('createWebSocketClient', () => {
  it('sends calls made before the socket opens, and resolves them', async () => {
    const c = open();
    expect(c.link()).toBe('connecting');
    const status = await c.call('connection.connect', { url: 'mqtt://127.0.0.1:1884' });
    expect(status.url).toBe('mqtt://127.0.0.1:1884');
    expect(c.link()).toBe('open');
  });

  it('rejects with the host error code and message', async () => {
    const c = open();
    await expect(c.call('firmware.setVersion', { id: 'missing', version: '1' })).rejects.toMatchObject({ name: 'ApiCallError', code: 'not-found', message: 'no firmware missing' });
    await expect(c.call('connection.connect', { url: 'nope' })).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('unpacks stream batches to the listeners of each stream', async () => {
    const c = open();
    await linkBecomes(c, 'open');
    const got: string[] = [];
    c.on('firmwareRemoved', (p) => got.push(p.id));
    const done = new Promise<void>((resolve) => c.on('connection', () => resolve()));
    backend.emit('firmwareRemoved', { id: 'a' });
    backend.emit('firmwareRemoved', { id: 'b' });
    backend.emit('connection', { state: 'connected', url: 'mqtt://h', clientId: 'c', since: 't' });
    await done;
    expect(got).toEqual(['a', 'b']);
  });

  it('times out a call the host never answers', async () => {
    backend.handle = (() => new Promise(() => undefined)) as never;
    const c = open(200);
    await expect(c.call('devices.list', {})).rejects.toMatchObject({ code: 'timeout', message: 'devices.list: no answer from the Dockside host within 0 s' });
  });

  it('shows the host as lost while it is away, fails calls on the wire, refuses new ones, and reconnects', async () => {
    const c = open();
    await linkBecomes(c, 'open');
    backend.handle = (() => new Promise(() => undefined)) as never;
    const onWire = c.call('devices.list', {}).catch((e: unknown) => e);
    const port = server.port;
    await server.close();
    await linkBecomes(c, 'lost');
    expect(await onWire).toMatchObject({ code: 'unavailable', message: 'devices.list: the connection to the Dockside host was lost' });
    // A press while the host is away is refused at once and never reaches the host once it is back.
    await expect(c.call('app.info', {})).rejects.toMatchObject({ code: 'unavailable', message: 'app.info: the Dockside host is not reachable; nothing was sent' });
    backend = createMemoryBackend();
    const before = server.sessionToken;
    await serve(port);
    // The host came back with a new session token: the client read it from the host's page.
    expect(server.sessionToken).not.toBe(before);
    await linkBecomes(c, 'open');
    expect(backend.calls).toEqual([]);
    expect((await c.call('app.info', {})).name).toBe('Dockside');
  });

  it('offers the session as a subprotocol and stays out while it has a wrong one', async () => {
    const wrong = createSessionSource('0'.repeat(64), () => Promise.resolve('<html>no token here</html>'));
    const c = open(300, wrong);
    await expect(c.call('devices.list', {})).rejects.toMatchObject({ code: 'unavailable' });
    expect(c.link()).toBe('lost');
    expect(backend.calls).toEqual([]);
  });
});
