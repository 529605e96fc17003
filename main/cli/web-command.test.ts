import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAedes, type TestBroker } from '../../test-support/brokers';
import { callOverSocket } from '../../test-support/web-session';
import { createMemoryBackend } from '../../test-support/memory-backend';
import { Journal } from '../journal/journal';
import { UsageError, UserError } from '../app/user-errors';
import { lanAddresses } from '../firmware/lan-address';
import { runWebHost, webCommand } from './web-command';

let dir: string;
let broker: TestBroker | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-webcmd-'));
});

afterEach(async () => {
  await broker?.stop();
  broker = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function memoryCore() {
  const backend = createMemoryBackend();
  return Object.assign(backend, { httpHandler: () => false, close: async () => undefined, setHttpUrl: () => undefined });
}

describe('dockside web: flags', () => {
  it.each([
    [['--port', 'eighty']],
    [['--broker', 'http://127.0.0.1:1883']],
    [['--colour', 'blue']],
    [['--host', '0.0.0.0', '--port', '0']],
    [['--ingest-token', 'short', '--port', '0']],
    [['--dji-app-id', '100417']],
    [['--dji-app-id', 'abc', '--dji-app-key', 'k', '--dji-app-license', 'l']],
  ])('%j is a usage error', async (argv) => {
    await expect(webCommand.run(argv)).rejects.toBeInstanceOf(UsageError);
  });

  it('refuses to open the ingest beyond loopback without a token, in one line naming the flag', async () => {
    await expect(runWebHost({ host: '0.0.0.0', port: 0, dataDir: dir, print: () => undefined }, async () => memoryCore())).rejects.toThrow(
      '--host 0.0.0.0 opens the vehicle ingest to the network: give it a token with --ingest-token (or $DOCKSIDE_INGEST_TOKEN)',
    );
  });
});

describe('runWebHost', () => {
  it('serves the UI and the API with the real core on a real broker, and prints both URLs', async () => {
    broker = await startAedes();
    const lines: string[] = [];
    const host = await runWebHost({ host: '127.0.0.1', port: 0, dataDir: dir, brokerUrl: broker.url, print: (l) => lines.push(l) });
    try {
      expect(lines).toEqual([`Dockside web host: http://127.0.0.1:${host.port}/`, `broker: ${broker.url}`]);
      expect((await fetch(host.url)).status).toBe(200);
      const reply = await callOverSocket(host.url, 'app.info', {});
      expect(reply.res).toMatchObject({ name: 'Dockside', host: 'web', dataDir: dir, apiVersion: 1 });
    } finally {
      await host.close();
    }
  });

  it('with the built-in broker, prints the dock login to type into a dock on each LAN address, and never the licence', async () => {
    const lines: string[] = [];
    const licence = { appId: '100417', appKey: 'f3a9c0de57b14e2a9d6c1b0e8a7f5d43', appLicense: 'UExBTlRFRC1MSUNFTkNF' };
    const host = await runWebHost({ host: '127.0.0.1', port: 0, dataDir: dir, djiLicence: licence, print: (l) => lines.push(l) });
    try {
      const port = Number(/:(\d+)$/.exec(lines[1]!)![1]);
      const { dockLogin } = (await callOverSocket(host.url, 'dockAccess.get', {})).res as { dockLogin: { username: string; password: string } };
      expect(lines.slice(1)).toEqual([
        `broker: mqtt://127.0.0.1:${port}`,
        ...lanAddresses().map((a) => `dock login: mqtt://${a}:${port} username ${dockLogin.username} password ${dockLogin.password}`),
      ]);
      expect(lines.join('\n')).not.toContain(licence.appKey);
      expect(lines.join('\n')).not.toContain(licence.appLicense);
    } finally {
      await host.close();
    }
  });

  it('beyond loopback, takes vehicle reports only with the ingest token', async () => {
    broker = await startAedes();
    const token = 'site-lan-token-0123456789';
    const host = await runWebHost({ host: '0.0.0.0', port: 0, dataDir: dir, brokerUrl: broker.url, ingestToken: token, print: () => undefined });
    try {
      const post = (headers: Record<string, string>) =>
        fetch(`http://127.0.0.1:${host.port}/events?device=VIN-LAN`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify([{ id: 'e1', deviceTime: '2025-06-02T08:00:00Z', eventType: { id: 'EcuDownloadStarted', version: 0 }, event: { correlationId: 'c1', ecu: 'ecu1' } }]),
        });
      expect((await post({})).status).toBe(401);
      expect((await post({ authorization: 'Bearer not-the-site-token-xx' })).status).toBe(401);
      expect((await post({ authorization: `Bearer ${token}` })).status).toBe(204);
      expect((await callOverSocket(host.url, 'log.query', { device: 'VIN-LAN' })).res).toMatchObject({ total: 1 });
    } finally {
      await host.close();
    }
  });

  it('answers / and holds ingest with 503 while the core is still starting', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const lines: string[] = [];
    const starting = runWebHost({ host: '127.0.0.1', port: 0, dataDir: dir, print: (l) => lines.push(l) }, async () => {
      await gate;
      return memoryCore();
    });
    while (lines.length === 0) await new Promise((r) => setTimeout(r, 10));
    const url = lines[0]!.replace('Dockside web host: ', '');
    expect((await fetch(url)).status).toBe(200);
    const ingest = await fetch(`${url}ingest/oem`, { method: 'POST', body: '{}' });
    expect(ingest.status).toBe(503);
    release();
    const host = await starting;
    expect(lines[1]).toMatch(/^broker: /);
    await host.close();
  });

  it('turns a taken port into one UserError line', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = runWebHost({ host: '127.0.0.1', port, dataDir: dir, print: () => undefined }, async () => memoryCore());
      await expect(run).rejects.toBeInstanceOf(UserError);
      await expect(run).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use (try --port 0)`);
    } finally {
      blocker.close();
    }
  });

  it('reports a core that cannot start as a UserError and frees the port', async () => {
    const lines: string[] = [];
    const run = runWebHost({ host: '127.0.0.1', port: 0, dataDir: dir, print: (l) => lines.push(l) }, async () => {
      throw new Error('the journal is locked by another Dockside');
    });
    await expect(run).rejects.toThrow('could not start: the journal is locked by another Dockside');
    const url = lines[0]!.replace('Dockside web host: ', '');
    await expect(fetch(url)).rejects.toThrow();
  });
});

describe('dockside web as a process', () => {
  it('prints its URLs, answers, and exits 0 on SIGTERM', async () => {
    broker = await startAedes();
    const child = spawn(process.execPath, ['bin/dockside.mjs', 'web', '--port', '0', '--data', dir, '--broker', broker.url], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr: string[] = [];
    child.stderr.on('data', (c) => stderr.push(String(c)));
    const lines = createInterface({ input: child.stdout });
    const seen: string[] = [];
    for await (const line of lines) {
      seen.push(line);
      if (line.startsWith('broker: ')) break;
    }
    expect(seen[0]).toMatch(/^Dockside web host: http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(seen[1]).toBe(`broker: ${broker.url}`);
    expect((await fetch(seen[0]!.replace('Dockside web host: ', ''))).status).toBe(200);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr.join('')).toBe('');
  });

  it('says on stderr and in the Log that it set a torn journal tail aside', async () => {
    broker = await startAedes();
    const journal = await Journal.open(dir);
    await journal.append({ kind: 'settings', settings: { before: 'the crash' } });
    await journal.close();
    const segment = readdirSync(join(dir, 'journal')).find((n) => n.endsWith('.jsonl'))!;
    appendFileSync(join(dir, 'journal', segment), '{"seq":2,"kind":"event","rec":{"event":{"id":"half');
    const child = spawn(process.execPath, ['bin/dockside.mjs', 'web', '--port', '0', '--data', dir, '--broker', broker.url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += String(c)));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      let pageUrl = '';
      for await (const line of createInterface({ input: child.stdout })) {
        pageUrl = /^Dockside web host: (\S+)$/.exec(line)?.[1] ?? pageUrl;
        if (line.startsWith('broker: ')) break;
      }
      expect(stderr).toMatch(new RegExp(`^dockside: journal: ${segment} ended with \\d+ bytes that were not a finished record .* set aside in .*corrupt`, 'm'));
      const logged = (await callOverSocket(pageUrl, 'log.query', { text: 'not a finished record' })).res as { total: number; events: { state: string; message: string }[] };
      expect(logged.total).toBe(1);
      expect(logged.events[0]).toMatchObject({ state: 'failed', message: expect.stringContaining(`journal: ${segment} ended with`) });
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
