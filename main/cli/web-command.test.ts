import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startAedes, type TestBroker } from '../../test-support/brokers';
import { createMemoryBackend } from '../host/memory-backend';
import { UsageError, UserError } from './command';
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

function call(port: number, name: string, req: unknown): Promise<any> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`);
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ v: 1, id: 1, call: name, req })));
    // Stream batches may arrive first (connection, devices): wait for the frame answering our id.
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.id !== 1) return;
      ws.close();
      resolve(frame);
    });
  });
}

describe('dockside web: flags', () => {
  it.each([
    [['--port', 'eighty']],
    [['--broker', 'http://127.0.0.1:1883']],
    [['--colour', 'blue']],
    [['--dji-app-id', '100417']],
    [['--dji-app-id', 'abc', '--dji-app-key', 'k', '--dji-app-license', 'l']],
  ])('%j is a usage error', async (argv) => {
    await expect(webCommand.run(argv)).rejects.toBeInstanceOf(UsageError);
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
      const reply = await call(host.port, 'app.info', {});
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
      const { dockLogin } = (await call(host.port, 'dockAccess.get', {})).res;
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
});
