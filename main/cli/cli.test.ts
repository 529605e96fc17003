// The `dockside` command as scripts meet it: a real child process, exit codes, one-line reasons.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lanAddresses } from '../firmware/lan-address';
import mqtt from 'mqtt';

const BIN = join(import.meta.dirname, '../../bin/dockside.mjs');

function dockside(args: string[], opts: { untilLine?: boolean } = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  const firstLine = opts.untilLine ? new Promise<string>((resolve) => child.stdout.on('data', () => stdout.includes('\n') && resolve(stdout.split('\n')[0]!))) : Promise.resolve('');
  return { child, done, firstLine, stdout: () => stdout };
}

describe('dockside', () => {
  it('--help lists every command of the contract and exits 0', async () => {
    const r = await dockside(['--help']).done;
    expect(r.code).toBe(0);
    for (const c of ['broker', 'sim', 'hash', 'upgrade', 'web', 'export']) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\s`, 'm'));
  });

  it.each(['broker', 'sim', 'hash', 'upgrade', 'web', 'export'])('%s --help prints its usage and exits 0', async (c) => {
    const r = await dockside([c, '--help']).done;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Usage: dockside ${c}`));
  });

  it.each([
    [[], 'dockside: no command given (try dockside --help)'],
    [['frob'], 'dockside: unknown command "frob" (try dockside --help)'],
    [['broker', '--port', 'x'], 'dockside broker: --port must be a whole number, got "x"'],
    [['broker', '--port', '70000'], 'dockside broker: --port must be between 0 and 65535, got 70000'],
  ])('%j exits 2 with one line on stderr', async (args, line) => {
    const r = await dockside(args).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${line}\n`);
  });

  it('broker prints its mqtt:// URL first, carries messages, and exits 0 on SIGTERM', async () => {
    const run = dockside(['broker', '--port', '0'], { untilLine: true });
    const url = await run.firstLine;
    expect(url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
    const got = new Promise<string>((resolve) => client.on('message', (_t, p) => resolve(p.toString())));
    await client.subscribeAsync('x/y', { qos: 1 });
    await client.publishAsync('x/y', 'over the embedded broker', { qos: 1 });
    expect(await got).toBe('over the embedded broker');
    await client.endAsync();
    run.child.kill('SIGTERM');
    expect((await run.done).code).toBe(0);
  });

  it("broker beyond loopback takes docks only with the data folder's dock login, and prints it per LAN address", async () => {
    const data = mkdtempSync(join(tmpdir(), 'dockside-broker-'));
    const run = dockside(['broker', '--port', '0', '--host', '0.0.0.0', '--data', data], { untilLine: true });
    try {
      const url = await run.firstLine;
      expect(url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
      const { dockLogin } = JSON.parse(readFileSync(join(data, 'dock-access.json'), 'utf8'));
      // A client on this machine without a login is the cloud side (dockside upgrade); a dock needs its login.
      const cloud = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
      const dock = await mqtt.connectAsync(url, { ...dockLogin, reconnectPeriod: 0 });
      await expect(mqtt.connectAsync(url, { username: dockLogin.username, password: 'wrong', reconnectPeriod: 0 })).rejects.toThrow(/Bad username or password/i);
      await Promise.all([cloud.endAsync(), dock.endAsync()]);
      await new Promise((r) => setTimeout(r, 100));
      const port = url.split(':')[2];
      expect(run.stdout().split('\n').slice(1, -1)).toEqual(lanAddresses().map((a) => `dock login: mqtt://${a}:${port} username ${dockLogin.username} password ${dockLogin.password}`));
    } finally {
      run.child.kill('SIGTERM');
      await run.done;
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('broker on a taken port exits 1 with one line', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await dockside(['broker', '--port', String(port)]).done;
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`dockside broker: port ${port} on 127.0.0.1 is already in use (try --port 0)\n`);
    } finally {
      blocker.close();
    }
  });

  it.each([
    ['web', ['--port', '0']],
    ['upgrade', ['--broker', 'mqtt://127.0.0.1:1', '--gateway', 'G', '--device', 'G', '--file', BIN]],
    ['export', ['--format', 'csv']],
  ])('%s --data pointing at a file exits 1 with one clear line', async (command, more) => {
    const file = join(mkdtempSync(join(tmpdir(), 'dockside-datafile-')), 'not-a-folder');
    writeFileSync(file, 'x');
    try {
      const r = await dockside([command, '--data', file, ...more]).done;
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^dockside ${command}: [^\\n]*${file}[^\\n]* is a file, not a folder: point --data \\(or DOCKSIDE_DATA\\) at a folder\\n$`));
    } finally {
      rmSync(join(file, '..'), { recursive: true, force: true });
    }
  });
});
