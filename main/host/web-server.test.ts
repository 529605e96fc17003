import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryBackend, type MemoryBackend } from '../../test-support/memory-backend';
import { startWebServer, type WebServer } from './web-server';

let dir: string;
let rendererDir: string;
let backend: MemoryBackend;
let server: WebServer;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Raw node:http, so paths like /../x reach the server unnormalised. */
function send(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function start(extra: Partial<Parameters<typeof startWebServer>[0]> = {}): Promise<void> {
  server = await startWebServer({ host: '127.0.0.1', port: 0, backend, rendererDir, uploadDir: join(dir, 'uploads'), log: () => undefined, ...extra });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-web-'));
  rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Dockside</title>');
  writeFileSync(join(rendererDir, 'assets', 'app-1a2b.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, 'assets', 'app-1a2b.css'), 'body{}');
  writeFileSync(join(dir, 'secret.txt'), 'not for the browser');
  backend = createMemoryBackend();
});

afterEach(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('startWebServer: the renderer', () => {
  it('serves files with their content types and the security headers on every answer', async () => {
    await start();
    const html = await send('GET', '/');
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(html.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(html.headers['x-content-type-options']).toBe('nosniff');
    expect(html.headers['referrer-policy']).toBe('no-referrer');
    const js = await send('GET', '/assets/app-1a2b.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body.toString()).toBe('console.log(1)');
    expect((await send('GET', '/assets/app-1a2b.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const missing = await send('GET', '/assets/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers client routes with index.html, and never lists a folder', async () => {
    await start();
    for (const path of ['/devices', '/progress/abc', '/assets/', '/assets', '/index.html']) {
      const r = await send('GET', path);
      expect(r.status, path).toBe(200);
      expect(r.body.toString(), path).toBe(`<!doctype html><meta name="dockside-session" content="${server.sessionToken}"><title>Dockside</title>`);
      expect(r.headers['cache-control'], path).toBe('no-store');
    }
  });

  it('hands its window a per-start session token, but not to a page reached by a foreign name (DNS rebinding)', async () => {
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>Dockside</title></head></html>');
    await start();
    expect(server.sessionToken).toMatch(/^[0-9a-f]{64}$/);
    const page = (await send('GET', '/')).body.toString();
    expect(page).toBe(`<!doctype html><html><head><meta name="dockside-session" content="${server.sessionToken}"><title>Dockside</title></head></html>`);
    const rebound = (await send('GET', '/', undefined, { host: `evil.example:${server.port}` })).body.toString();
    expect(rebound).not.toContain(server.sessionToken);
    const first = server.sessionToken;
    await server.close();
    await start();
    expect(server.sessionToken).not.toBe(first);
  });

  it('serves no window, and so hands out no token, without a renderer folder (the desktop app)', async () => {
    await start({ rendererDir: undefined });
    const r = await send('GET', '/');
    expect(r.status).toBe(404);
    expect(r.body.toString()).not.toContain(server.sessionToken);
  });

  it('refuses traversal, encoded or not, and symlinks leading out', async () => {
    symlinkSync(join(dir, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
    await start();
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/link.txt', '/%00.js', '/a%5c..%5c..%5csecret.txt', '/%E0%A4%A.js']) {
      const r = await send('GET', path);
      expect(r.status, path).toBe(404);
      expect(r.body.toString(), path).not.toContain('not for the browser');
    }
  });

  it('answers / before the renderer is built, with how to build it', async () => {
    rmSync(rendererDir, { recursive: true });
    await start();
    const r = await send('GET', '/');
    expect(r.status).toBe(200);
    expect(r.body.toString()).toContain('npm run build');
  });

  it('answers /healthz, refuses other methods on files, and hands other routes to extraHandler first', async () => {
    await start({
      extraHandler: (req, res) => {
        if (!req.url?.startsWith('/ingest/')) return false;
        res.writeHead(204).end();
        return true;
      },
    });
    expect((await send('GET', '/healthz')).body.toString()).toBe('ok\n');
    expect((await send('DELETE', '/index.html')).status).toBe(405);
    expect((await send('POST', '/ingest/oem', Buffer.from('{}'))).status).toBe(204);
    expect((await send('GET', '/api/ws')).status).toBe(426);
  });

  it('fails to start with EADDRINUSE when the port is taken', async () => {
    await start();
    await expect(startWebServer({ host: '127.0.0.1', port: server.port, backend, rendererDir, uploadDir: dir })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('startWebServer: firmware upload', () => {
  const session = () => ({ 'x-dockside-session': server.sessionToken });

  it('streams the body into uploads/ and adds it through firmware.addPath', async () => {
    await start();
    const body = randomBytes(300_000);
    const r = await send('POST', '/api/firmware?name=..%2F..%2Fdock%20v1.2.bin&version=01.02.0300', body, { 'content-type': 'application/octet-stream', ...session() });
    expect(r.status).toBe(201);
    const info = JSON.parse(r.body.toString());
    expect(info).toMatchObject({ fileName: 'dock v1.2.bin', size: body.length, version: '01.02.0300', md5: createHash('md5').update(body).digest('hex') });
    expect(readFileSync(join(dir, 'uploads', 'dock v1.2.bin')).equals(body)).toBe(true);
    expect(backend.calls.at(-1)).toEqual({ name: 'firmware.addPath', req: { path: join(dir, 'uploads', 'dock v1.2.bin'), version: '01.02.0300' } });

    const again = await send('POST', '/api/firmware?name=dock%20v1.2.bin', Buffer.from('second'), session());
    expect(JSON.parse(again.body.toString()).fileName).toBe('dock v1.2-1.bin');
  });

  it('refuses a missing name, an oversized body and a foreign origin, leaving nothing behind', async () => {
    await start({ maxUploadBytes: 1000 });
    const noName = await send('POST', '/api/firmware', Buffer.from('x'), session());
    expect(noName.status).toBe(400);
    expect(JSON.parse(noName.body.toString()).error.message).toMatch(/name=/);
    const big = await send('POST', '/api/firmware?name=big.bin', randomBytes(5000), session());
    expect(big.status).toBe(413);
    const chunked = await send('POST', '/api/firmware?name=big.bin', randomBytes(5000), { 'transfer-encoding': 'chunked', ...session() });
    expect(chunked.status).toBe(413);
    const foreign = await send('POST', '/api/firmware?name=a.bin', Buffer.from('x'), { origin: 'http://evil.example', ...session() });
    expect(foreign.status).toBe(403);
    expect(readdirSync(join(dir, 'uploads'))).toEqual([]);
    expect(backend.calls.filter((c) => c.name === 'firmware.addPath')).toEqual([]);
  });

  it("accepts exactly the window's origin with this start's token, and nothing less", async () => {
    await start();
    const own = `http://127.0.0.1:${server.port}`;
    const refused: [string, Record<string, string>][] = [
      ['no token', { origin: own }],
      ['a wrong token', { origin: own, 'x-dockside-session': 'a'.repeat(64) }],
      ['another port on the same host', { origin: `http://127.0.0.1:${server.port + 1}`, ...session() }],
      ['localhost on another port', { origin: 'http://localhost:1', ...session() }],
      ['https on the same host and port', { origin: `https://127.0.0.1:${server.port}`, ...session() }],
      ['an opaque origin', { origin: 'null', ...session() }],
    ];
    for (const [why, headers] of refused) expect((await send('POST', '/api/firmware?name=a.bin', Buffer.from('x'), headers)).status, why).toBe(403);
    expect(backend.calls.filter((c) => c.name === 'firmware.addPath')).toEqual([]);
    expect((await send('POST', '/api/firmware?name=a.bin', Buffer.from('x'), { origin: own, ...session() })).status).toBe(201);
    // A local tool (no Origin) with the token, as `curl -H "x-dockside-session: …"` would send.
    expect((await send('POST', '/api/firmware?name=b.bin', Buffer.from('x'), session())).status).toBe(201);
  });
});
