// `dockside sim dock`: flag errors in-process and through bin/dockside.mjs (exit 2, one line), and the real
// command in a child process: connects, answers an upgrade, exits 0 on SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '../../sim/dji-dock/scenarios';
import { isEnd, outputOf, startCloudClient } from '../../test-support/cloud-client';
import { startFirmwareServer, type FirmwareServer } from '../../test-support/firmware-server';
import { startAedes, type TestBroker } from '../../test-support/brokers';
import { UsageError } from '../app/user-errors';
import { simCommand } from './sim-command';

const BIN = fileURLToPath(new URL('../../bin/dockside.mjs', import.meta.url));

describe('dockside sim: usage errors', () => {
  it.each([
    [[], /which simulator/],
    [['boat'], /unknown simulator "boat"/],
    [['dock', '--gateway', 'G1'], /--broker URL is required/],
    [['dock', '--broker', 'http://127.0.0.1:1883', '--gateway', 'G1'], /mqtt:\/\//],
    [['dock', '--broker', 'not a url', '--gateway', 'G1'], /not a URL/],
    [['dock', '--broker', 'mqtt://127.0.0.1:1883'], /--gateway SN is required/],
    [['dock', '--broker', 'mqtt://127.0.0.1:1883', '--gateway', 'a/b'], /serial number/],
    [['dock', '--broker', 'mqtt://127.0.0.1:1883', '--gateway', 'G1', '--scenario', 'explode'], /--scenario must be one of ok, download-fail/],
    [['dock', '--broker', 'mqtt://127.0.0.1:1883', '--gateway', 'G1', '--interval', 'fast'], /--interval must be a whole number/],
    [['dock', '--broker', 'mqtt://127.0.0.1:1883', '--gateway', 'G1', '--variant', 'xml'], /--variant must be one of/],
    [['dock', '--broker', 'mqtt://127.0.0.1:1883', '--gateway', 'G1', '--colour', 'red'], /colour/],
    [['dock', '--broker', 'mqtt://127.0.0.1:1883', '--gateway', 'G1', '--tid-mode', 'random'], /--tid-mode must be fresh or same, got "random"/],
    [['dock', '--broker', 'mqtt://127.0.0.1:1883', '--gateway', 'G1', '--reboot', 'soon'], /--reboot must be a whole number/],
    [['dock', '--broker', 'mqtt://127.0.0.1:1883', '--gateway', 'G1', '--reboot', '7200'], /--reboot must be between 0 and 3600/],
    [['dock', '--broker', 'mqtt://127.0.0.1:1883', '--gateway', 'G1', '--reboot-ok'], /--reboot-ok needs --reboot SECONDS or --scenario reboot/],
    [['dock', '--broker', 'mqtt://127.0.0.1:1883', '--gateway', 'G1', '--hms=yes'], /hms/],
    [['dock', '--broker', 'mqtt://127.0.0.1:1883', '--gateway', 'G1', '--sub-device-key', 'model'], /--sub-device-key must be product_type or device_model_key/],
  ])('%j → UsageError', async (argv, message) => {
    const run = simCommand.run(argv);
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(message);
  });

  it('--help lists both simulators and names every dock scenario', () => {
    expect(simCommand.name).toBe('sim');
    expect(simCommand.usage).toMatch(/^ {2}dock {5}/m);
    expect(simCommand.usage).toMatch(/^ {2}vehicle {2}/m);
    // The scenarios DESIGN.md's headless interface promises, and every one the simulator knows.
    for (const s of ['ok', 'download-fail', 'md5-mismatch', 'reject', 'busy', 'stall', 'drone']) expect(SCENARIO_NAMES).toContain(s);
    for (const s of SCENARIO_NAMES) expect(simCommand.usage).toContain(`  ${s} `);
    for (const flag of ['--tid-mode fresh|same', '--reboot SECONDS', '--reboot-ok', '--no-sub-status', '--hms', '--sub-device-key']) expect(simCommand.usage).toContain(flag);
  });
});

describe('dockside sim dock: through bin/dockside.mjs', () => {
  it.each([
    [['--scenario', 'explode'], /^dockside sim: --scenario must be one of [^\n]+\n$/],
    [['--tid-mode', 'x'], /^dockside sim: --tid-mode must be fresh or same, got "x"\n$/],
  ])('%j exits 2 with one line on stderr', (args, line) => {
    const r = spawnSync(process.execPath, [BIN, 'sim', 'dock', '--broker', 'mqtt://127.0.0.1:1883', '--gateway', 'G1', ...args], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(line);
  });
});

describe('dockside sim dock: running', () => {
  let broker: TestBroker;
  let files: FirmwareServer;

  beforeEach(async () => {
    broker = await startAedes();
    files = await startFirmwareServer();
  });

  afterEach(async () => {
    await files.close();
    await broker.stop();
  });

  /** `dockside sim dock …` in a child process, its stdout lines kept. */
  function runSimDock(args: string[]) {
    const child = spawn(process.execPath, [BIN, 'sim', 'dock', '--broker', broker.url, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (l) => lines.push(l));
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const ready = () => expect.poll(() => lines.some((l) => l.includes('ready')), { timeout: 20_000 }).toBe(true);
    return { child, lines, exited, ready, stderr: () => stderr };
  }

  it('prints what happens, upgrades for real, and exits 0 on SIGTERM', async () => {
    const fw = files.addFile('dock.bin', 100_000);
    const cloud = await startCloudClient(broker.url);
    const run = runSimDock(['--gateway', 'CLIDOCK1', '--interval', '20', '--firmware-version', '01.00.0001']);
    const { child, lines } = run;
    try {
      await run.ready();
      expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} dock CLIDOCK1: connected to mqtt:\/\/127\.0\.0\.1:\d+ as dock-CLIDOCK1$/);
      const task = await cloud.sendOtaCreate('CLIDOCK1', [{ sn: 'CLIDOCK1', product_version: '01.00.0002', file_url: files.url('dock.bin'), md5: fw.md5, file_size: fw.size }]);
      const end = await cloud.waitFor(isEnd(task), 'the end');
      expect(outputOf(end).status).toBe('ok');
      await expect.poll(() => lines.some((l) => l.includes('now 01.00.0002'))).toBe(true);
      expect(lines.some((l) => l.includes(`ota_create ${task.tid} received`))).toBe(true);
      expect(lines.some((l) => /DOWNLOADING step 1 \d+%/.test(l))).toBe(true);
      child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(lines.at(-1)).toMatch(/stopped$/);
      expect(run.stderr()).toBe('');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await cloud.close();
    }
  });

  it('--scenario reboot --reboot 1 --reboot-ok --tid-mode same --no-sub-status --hms: the field behaviours, from the command line', async () => {
    const fw = files.addFile('dock.bin', 100_000);
    const cloud = await startCloudClient(broker.url);
    const run = runSimDock(['--gateway', 'CLIDOCK2', '--interval', '20', '--scenario', 'reboot', '--reboot', '1', '--reboot-ok', '--tid-mode', 'same', '--no-sub-status', '--hms']);
    try {
      await run.ready();
      const task = await cloud.sendOtaCreate('CLIDOCK2', [{ sn: 'CLIDOCK2', product_version: '01.00.0002', file_url: files.url('dock.bin'), md5: fw.md5, file_size: fw.size }]);
      const end = await cloud.waitFor(isEnd(task), 'ok after the restart', 15_000);
      expect(outputOf(end).status).toBe('ok');
      const events = cloud.progress(task);
      expect(events.every((e) => e.envelope!.tid === task.tid && !('sub_status' in outputOf(e)))).toBe(true);
      expect(cloud.hms().length).toBeGreaterThan(0);
      expect(run.lines.some((l) => l.includes('restarting to apply the firmware: off MQTT for 1 s'))).toBe(true);
      expect(run.lines.some((l) => l.includes('reconnected'))).toBe(true);
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      await cloud.close();
    }
  });
});
