// The attacks of issue 12, in Chromium: a page of another origin (another port on localhost) posts
// vehicle events "no-cors", opens the API socket and tries to read the host's page and upload; and a
// call naming a path on this machine (firmware.addPath("/etc/passwd")) reaches the web host. None of
// it gets in.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { callOverSocket } from '../test-support/web-session';
import { expect, test } from './support/fixtures';

test.use({ webHostOptions: {} });

/** A real page on another loopback port: the same machine, another origin. */
async function startElsewhere(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>somewhere else</title>'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

test('a page from another origin plants nothing, opens no API socket, reads no session and uploads nothing', async ({ page, webHost }) => {
  const elsewhere = await startElsewhere();
  const blocked: string[] = [];
  const consoleErrors: string[] = [];
  page.on('requestfailed', (r) => blocked.push(`${r.method()} ${new URL(r.url()).pathname} ${r.failure()?.errorText}`));
  page.on('console', (m) => consoleErrors.push(m.text()));
  try {
    await page.goto(elsewhere.url);
    const outcome = await page.evaluate(async (base) => {
      const report = JSON.stringify([{ id: 'planted-1', deviceTime: '2025-06-02T08:00:00Z', eventType: { id: 'EcuDownloadStarted', version: 0 }, event: { correlationId: 'planted', ecu: 'ecu1' } }]);
      // A no-cors POST goes out without asking (text/plain needs no preflight); the page never sees the answer.
      for (const path of ['events?device=PLANTED', 'ingest/aktualizr?device=PLANTED']) {
        await fetch(base + path, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: report }).catch(() => undefined);
      }
      const socket = (protocols?: string[]) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`${base.replace(/^http/, 'ws')}api/ws`, protocols);
          ws.onopen = () => {
            ws.close();
            resolve('open');
          };
          ws.onerror = () => resolve('refused');
        });
      return {
        socket: await socket(),
        socketWithGuess: await socket(['dockside.v1', `dockside-session.${'0'.repeat(64)}`]),
        readPage: await fetch(base)
          .then((r) => r.text())
          .then(
            () => 'read',
            () => 'blocked',
          ),
        upload: await fetch(`${base}api/firmware?name=x.bin`, { method: 'POST', headers: { 'x-dockside-session': 'guess' }, body: 'x' }).then(
          (r) => String(r.status),
          () => 'blocked',
        ),
      };
    }, webHost.url);
    expect(outcome).toEqual({ socket: 'refused', socketWithGuess: 'refused', readPage: 'blocked', upload: 'blocked' });
    // The POSTs reached the host, whose answers the browser then kept from the page.
    expect(blocked.filter((b) => b.startsWith('POST /events') || b.startsWith('POST /ingest/'))).toEqual([
      'POST /events net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin',
      'POST /ingest/aktualizr net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin',
    ]);
    // Both sockets were refused by the host itself, in its handshake answer.
    expect(consoleErrors.filter((e) => /WebSocket handshake: Unexpected response code: 403/.test(e))).toHaveLength(2);
  } finally {
    await elsewhere.close();
  }

  // Through the window's own session: nothing was planted, nothing uploaded.
  expect((await callOverSocket(webHost.url, 'log.query', { device: 'PLANTED' })).res).toMatchObject({ total: 0 });
  expect((await callOverSocket(webHost.url, 'log.query', { text: 'planted' })).res).toMatchObject({ total: 0 });
  expect((await callOverSocket(webHost.url, 'firmware.list', {})).res).toEqual([]);
});

test('the window itself cannot make the web host open a path: firmware.addPath("/etc/passwd") is refused', async ({ page, webHost }) => {
  await page.goto(webHost.url);
  const reply = await page.evaluate(async () => {
    const token = document.querySelector<HTMLMetaElement>('meta[name="dockside-session"]')!.content;
    const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/api/ws`, ['dockside.v1', `dockside-session.${token}`]);
    return new Promise<unknown>((resolve, reject) => {
      ws.onerror = () => reject(new Error('the window could not open its own socket'));
      ws.onopen = () => ws.send(JSON.stringify({ v: 1, id: 'p', call: 'firmware.addPath', req: { path: '/etc/passwd' } }));
      ws.onmessage = (m) => {
        const frame = JSON.parse(String(m.data));
        if (frame.id === 'p') resolve(frame);
      };
    });
  });
  expect(reply).toEqual({ id: 'p', error: { code: 'bad-request', message: expect.stringMatching(/^firmware\.addPath: the web host does not open files by path/) } });
  expect((await callOverSocket(webHost.url, 'firmware.list', {})).res).toEqual([]);
});
