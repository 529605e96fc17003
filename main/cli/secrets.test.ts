// A password planted in a broker URL (`--broker mqtt://user:pass@…`, and the same URL typed into the
// Connection view) is used to log in and then found nowhere: not on stdout or stderr of any command,
// not in connection.get, not in the data folder, not in any export.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDockSim } from '../../sim/dji-dock/dock-sim';
import { freePort, MOSQUITTO, waitForPort } from '../../test-support/brokers';
import { callOverSocket } from '../../test-support/web-session';

const BIN = join(import.meta.dirname, '../../bin/dockside.mjs');
const PASSWORD = `Planted-${randomBytes(9).toString('hex')}`;
const USER = 'tech';

let dir: string;
let port: number;
let mosquitto: ReturnType<typeof spawn>;
const printed: string[] = [];

/** Debian's mosquitto with one user and no anonymous access. */
async function startBrokerWithPassword(): Promise<void> {
  const passwords = join(dir, 'broker', 'passwd');
  mkdirSync(join(dir, 'broker'));
  writeFileSync(passwords, '');
  const made = spawnSync('mosquitto_passwd', ['-b', passwords, USER, PASSWORD]);
  if (made.status !== 0) throw new Error(`mosquitto_passwd failed: ${String(made.stderr)}`);
  port = await freePort();
  // Started as root, mosquitto drops to its own user, which cannot read our private temp folder: it keeps ours.
  const conf = [`listener ${port} 127.0.0.1`, 'allow_anonymous false', `password_file ${passwords}`, 'persistence false', 'log_dest none', 'user root', ''];
  writeFileSync(join(dir, 'broker', 'mosquitto.conf'), conf.join('\n'));
  mosquitto = spawn(MOSQUITTO, ['-c', join(dir, 'broker', 'mosquitto.conf')], { stdio: 'ignore' });
  await waitForPort(port, () => mosquitto.exitCode === null);
}

function brokerUrl(password = PASSWORD): string {
  return `mqtt://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
}

function dockside(args: string[], timeoutMs = 60_000): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dockside ${args[0]} did not end in ${timeoutMs} ms\n${out}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      printed.push(out);
      resolve({ code: code ?? -1, out });
    });
  });
}

/** Every file under a folder, as bytes. */
function filesUnder(folder: string): { path: string; bytes: Buffer }[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => join(folder, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, bytes: readFileSync(path) }));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-secrets-'));
  await startBrokerWithPassword();
});

afterAll(async () => {
  if (mosquitto.exitCode === null) {
    const exited = new Promise((r) => mosquitto.once('exit', r));
    mosquitto.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

it('logs in with the planted password and then shows, returns, stores and exports it nowhere', async () => {
  const firmware = join(dir, 'EvoNest-V10.01.1700-20261120101010.Encrypt.uav');
  writeFileSync(firmware, randomBytes(256 * 1024));
  const dock = await startDockSim({ brokerUrl: brokerUrl(), gateway: 'SECRETDOCK', scenario: 'ok', progressIntervalMs: 40, stateIntervalMs: 200 });
  const cliData = join(dir, 'cli-data');
  const webData = join(dir, 'web-data');
  try {
    // 1. The CLI: a whole upgrade, logged in with the URL's userinfo.
    const upgrade = await dockside([
      'upgrade',
      '--broker',
      brokerUrl(),
      '--gateway',
      'SECRETDOCK',
      '--device',
      'SECRETDOCK',
      '--file',
      firmware,
      '--serve-host',
      '127.0.0.1',
      '--data',
      cliData,
      '--timeout',
      '20',
      '--json',
    ]);
    expect(upgrade.code, upgrade.out).toBe(0);
    expect(upgrade.out).toContain(`connected to mqtt://127.0.0.1:${port}`);

    // 2. A wrong password: refused in one line that does not echo it either.
    const wrong = `Wrong-${randomBytes(6).toString('hex')}`;
    const refused = await dockside(['upgrade', '--broker', brokerUrl(wrong), '--gateway', 'SECRETDOCK', '--device', 'SECRETDOCK', '--file', firmware, '--data', join(dir, 'refused-data')]);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/cannot connect to mqtt:\/\/127\.0\.0\.1:\d+: (not authorised|bad username or password)/);
    expect(refused.out).not.toContain(wrong);

    // 3. The web host started with it, then the same URL typed into the Connection view.
    const web = spawn(process.execPath, [BIN, 'web', '--port', '0', '--data', webData, '--broker', brokerUrl()]);
    let webOut = '';
    web.stderr.on('data', (d: Buffer) => (webOut += d.toString()));
    const lines = createInterface({ input: web.stdout });
    let pageUrl = '';
    for await (const line of lines) {
      webOut += `${line}\n`;
      pageUrl = /^Dockside web host: (\S+)$/.exec(line)?.[1] ?? pageUrl;
      if (line.startsWith('broker: ')) break;
    }
    const exited = new Promise<void>((r) => web.once('exit', () => r()));
    try {
      expect(webOut).toContain(`broker: mqtt://127.0.0.1:${port}\n`);
      const status = (await callOverSocket(pageUrl, 'connection.get', {})).res as { state: string; url: string };
      expect(status.url).toBe(`mqtt://127.0.0.1:${port}`);
      const typed = (await callOverSocket(pageUrl, 'connection.connect', { url: brokerUrl() })).res as { state: string; url: string };
      expect(typed).toMatchObject({ state: 'connected', url: `mqtt://127.0.0.1:${port}` });
      expect(JSON.stringify(typed)).not.toContain(PASSWORD);
      expect((await callOverSocket(pageUrl, 'export.start', { format: 'jsonl' })).res).toMatchObject({ exportId: expect.any(String) });
    } finally {
      web.kill('SIGTERM');
      await exited;
      printed.push(webOut);
    }

    // 4. Every export format of both data folders.
    for (const data of [cliData, webData]) {
      for (const format of ['csv', 'jsonl', 'html']) {
        const out = join(data, '..', `${data.split('/').pop()}.${format}`);
        const exported = await dockside(['export', '--data', data, '--format', format, '--out', out]);
        expect(exported.code, exported.out).toBe(0);
      }
    }
  } finally {
    await dock.stop();
  }

  // The CLI's journal holds the upgrade (so the exports are not empty), and the password is nowhere.
  expect(readFileSync(join(dir, 'cli-data.jsonl'), 'utf8')).toContain('ota_create');
  const everywhere = [...printed.map((text, i) => ({ path: `output ${i}`, bytes: Buffer.from(text) })), ...filesUnder(cliData), ...filesUnder(webData), ...filesUnder(join(dir, 'refused-data'))];
  for (const format of ['csv', 'jsonl', 'html']) for (const data of ['cli-data', 'web-data']) everywhere.push({ path: `${data}.${format}`, bytes: readFileSync(join(dir, `${data}.${format}`)) });
  expect(everywhere.length).toBeGreaterThan(10);
  const holding = everywhere.filter(({ bytes }) => bytes.includes(PASSWORD) || bytes.includes(encodeURIComponent(PASSWORD)));
  expect(holding.map((f) => f.path)).toEqual([]);
}, 120_000);
