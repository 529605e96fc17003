// Every simulator scenario end to end through `dockside upgrade`: a real broker, the real CLI process,
// a real HTTP download of the firmware from our file server and a real MD5 check in the simulated dock.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpgradeEventSchema, type UpgradeEvent } from '../../preload/api';
import { startDockSim, type DockSim } from '../../sim/dji-dock/dock-sim';
import type { ScenarioName } from '../../sim/dji-dock/scenarios';
import { freePort, startAedes, startMosquitto, type TestBroker } from '../../test-support/brokers';
import { runDockside } from './testing/dockside-cli';

let dir: string;
let firmware: string;
let broker: TestBroker;
const sims: DockSim[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-upgrade-'));
  firmware = join(dir, 'EvoNest-V10.01.1700-20261120101010.Encrypt.uav');
  writeFileSync(firmware, randomBytes(3 * 1024 * 1024 + 17));
  broker = await startAedes();
});

afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The command as a technician runs it, writing to this file's data folder. */
const dockside = (args: string[], timeoutMs?: number) => runDockside(args, { env: { DOCKSIDE_DATA: join(dir, 'data') }, ...(timeoutMs ? { timeoutMs } : {}) });

async function sim(gateway: string, scenario: ScenarioName, extra: { drone?: string; brokerUrl?: string } = {}): Promise<DockSim> {
  const s = await startDockSim({ brokerUrl: extra.brokerUrl ?? broker.url, gateway, scenario, progressIntervalMs: 40, stateIntervalMs: 200, ...(extra.drone ? { drone: extra.drone } : {}) });
  sims.push(s);
  return s;
}

const upgradeArgs = (gateway: string, devices: string[], more: string[] = [], url = broker.url, file = firmware) => [
  'upgrade',
  '--broker',
  url,
  '--gateway',
  gateway,
  ...devices.flatMap((d) => ['--device', d]),
  '--file',
  file,
  '--serve-host',
  '127.0.0.1',
  '--timeout',
  '10',
  '--verify-timeout',
  '10',
  ...more,
];

function events(stdout: string): UpgradeEvent[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => UpgradeEventSchema.parse(JSON.parse(line)));
}

describe('dockside upgrade against the simulated dock', () => {
  it('ok: downloads over HTTP, verifies MD5, upgrades, and is verified by the new firmware_version', async () => {
    const dock = await sim('DOCK-OK-1', 'ok');
    const run = await dockside(upgradeArgs('DOCK-OK-1', ['DOCK-OK-1'], ['--json']));
    expect(run.stderr).toContain('DOCK-OK-1: ok, verified firmware 10.01.1700');
    expect(run.code).toBe(0);
    expect(dock.firmwareVersions()['DOCK-OK-1']).toBe('10.01.1700');
    const evs = events(run.stdout);
    expect(evs[0]).toMatchObject({ source: 'dji', device: 'DOCK-OK-1', state: 'pending', message: expect.stringContaining('ota_create sent') });
    const tid = evs[0]!.campaign;
    expect(evs.every((e) => e.campaign === tid)).toBe(true);
    expect(evs.some((e) => e.phase === 'download' && e.state === 'running')).toBe(true);
    expect(evs.some((e) => e.phase === 'verify')).toBe(true);
    expect(evs.some((e) => e.phase === 'install')).toBe(true);
    expect(evs.at(-1)).toMatchObject({ phase: 'done', state: 'succeeded', message: expect.stringContaining('verified') });
    const create = dock.received().find((m) => m.envelope.method === 'ota_create')!;
    expect(create.envelope.data).toMatchObject({ devices: [{ sn: 'DOCK-OK-1', product_version: '10.01.1700', file_size: 3 * 1024 * 1024 + 17, firmware_upgrade_type: 3 }] });

    // The same history is in the data folder: what --json printed, dockside export gives back.
    const exported = await dockside(['export', '--data', join(dir, 'data'), '--format', 'jsonl', '--device', 'DOCK-OK-1']);
    expect(exported.code).toBe(0);
    expect(events(exported.stdout).map((e) => e.id)).toEqual(evs.map((e) => e.id));
  });

  it('drone: the dock and its aircraft each get their own package in one ota_create, both verified', async () => {
    const dockFile = join(dir, 'Dock2_V10.01.1700.bin');
    const droneFile = join(dir, 'M3D_V10.01.1710.bin');
    writeFileSync(dockFile, randomBytes(200_000));
    writeFileSync(droneFile, randomBytes(150_000));
    const dock = await sim('DOCK-DR-1', 'drone', { drone: 'DRONE-DR-1' });
    const run = await dockside(upgradeArgs('DOCK-DR-1', [`DOCK-DR-1=${dockFile}`, `DRONE-DR-1=${droneFile}`]));
    expect(run.stdout).toContain('DOCK-DR-1: ok, verified firmware 10.01.1700');
    expect(run.stdout).toContain('DRONE-DR-1: ok, verified firmware 10.01.1710');
    expect(run.stdout).toContain('UPLOADING_DRONE');
    expect(run.code).toBe(0);
    const creates = dock.received().filter((m) => m.envelope.method === 'ota_create');
    expect(creates).toHaveLength(1);
    const sent = (creates[0]!.envelope.data as { devices: { sn: string; product_version: string; file_name: string; file_size: number }[] }).devices;
    expect(sent.map((d) => [d.sn, d.product_version, d.file_name, d.file_size])).toEqual([
      ['DOCK-DR-1', '10.01.1700', 'Dock2_V10.01.1700.bin', 200_000],
      ['DRONE-DR-1', '10.01.1710', 'M3D_V10.01.1710.bin', 150_000],
    ]);
  });

  it('refuses a package whose name plainly belongs to another model, and sends the rest', async () => {
    const dockFile = join(dir, 'Dock2_V10.01.1800.bin');
    writeFileSync(dockFile, randomBytes(100_000));
    const dock = await sim('DOCK-DR-2', 'drone', { drone: 'DRONE-DR-2' });
    const run = await dockside(upgradeArgs('DOCK-DR-2', ['DOCK-DR-2', 'DRONE-DR-2'], [], broker.url, dockFile));
    expect(run.stdout).toMatch(/DRONE-DR-2: refused — Dock2_V10\.01\.1800\.bin is for DJI Dock 2, not Matrice 3D/);
    expect(run.stdout).toContain('DOCK-DR-2: ok, verified firmware 10.01.1800');
    expect(run.code).toBe(1);
    const sent = dock
      .received()
      .filter((m) => m.envelope.method === 'ota_create')
      .map((m) => (m.envelope.data as { devices: { sn: string }[] }).devices.map((d) => d.sn));
    expect(sent).toEqual([['DOCK-DR-2']]);
  });

  it('consistency: only where the device asks for it', async () => {
    await sim('DOCK-CON-1', 'consistency', { drone: 'DRONE-CON-1' });
    const asked = await dockside(upgradeArgs('DOCK-CON-1', ['DRONE-CON-1'], ['--type', 'consistency']));
    expect(asked.stdout).toContain('DRONE-CON-1: ok, verified firmware 10.01.1700');
    expect(asked.code).toBe(0);
    // The dock sent its compatible_status (a state field, sent on change) before this command connected:
    // the gate is unknown, so it does not block, and the dock refuses as the gate would have.
    const notAsked = await dockside(upgradeArgs('DOCK-CON-1', ['DOCK-CON-1'], ['--type', 'consistency']));
    expect(notAsked.stdout).toContain('DOCK-CON-1: rejected — 312001: consistency upgrade sent, but the device did not ask for one');
    expect(notAsked.code).toBe(1);
  });

  it.each([
    ['download-fail', /failed — 312004: upgrade failed/],
    ['md5-mismatch', /failed — 31200\d: /],
    ['reject', /refused — held back: dock idle \(mode_code 4 \(working\); a dock answers 312015\)/],
    ['busy', /refused — held back: dock idle \(mode_code 3 \(upgrading firmware\); a dock answers 312015\)/],
  ] as const)('%s: exits 1 with the reason in words', async (scenario, reason) => {
    const gw = `DOCK-${scenario.toUpperCase()}`;
    await sim(gw, scenario);
    const run = await dockside(upgradeArgs(gw, [gw]));
    expect(run.stdout).toMatch(reason);
    expect(run.code).toBe(1);
  });

  it('--force sends despite the failed gate, the dock refuses as the gate said, and the override is in the journal', async () => {
    const dock = await sim('DOCK-FORCE', 'reject');
    const run = await dockside(upgradeArgs('DOCK-FORCE', ['DOCK-FORCE'], ['--force', '--json']));
    expect(run.stderr).toContain('DOCK-FORCE: rejected — 312015: dock busy — retry when idle');
    expect(run.code).toBe(1);
    expect(dock.received().filter((m) => m.envelope.method === 'ota_create')).toHaveLength(1);
    expect(events(run.stdout).some((e) => e.message.startsWith('sent despite failed gates, as the technician confirmed: dock idle (mode_code 4 (working)'))).toBe(true);
  });

  it('--canary 1: the other docks wait until the canary is verified; a failed canary holds them unsent', async () => {
    await sim('CAN-OK-1', 'ok');
    const second = await sim('CAN-OK-2', 'ok');
    const good = await dockside(upgradeArgs('CAN-OK-1', ['CAN-OK-1', 'CAN-OK-2'], ['--gateway', 'CAN-OK-2', '--canary', '1', '--json']));
    expect(good.stderr).toContain('CAN-OK-2: ok, verified');
    expect(good.code).toBe(0);
    const evs = events(good.stdout);
    const verifiedFirst = evs.findIndex((e) => e.device === 'CAN-OK-1' && e.message.startsWith('verified'));
    const secondSent = evs.findIndex((e) => e.device === 'CAN-OK-2' && e.message.startsWith('ota_create sent'));
    expect(verifiedFirst).toBeGreaterThanOrEqual(0);
    expect(secondSent).toBeGreaterThan(verifiedFirst);
    expect(second.firmwareVersions()['CAN-OK-2']).toBe('10.01.1700');

    await sim('CAN-BAD-1', 'download-fail');
    const held = await sim('CAN-BAD-2', 'ok');
    const bad = await dockside(upgradeArgs('CAN-BAD-1', ['CAN-BAD-1', 'CAN-BAD-2'], ['--gateway', 'CAN-BAD-2', '--canary', '1']));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('CAN-BAD-1: failed');
    expect(bad.stdout).toContain('CAN-BAD-2: held — held by rollout: canary CAN-BAD-1 failed; release to go on anyway, or cancel');
    expect(held.received().filter((m) => m.envelope.method === 'ota_create')).toHaveLength(0);
  });

  it('--stop-after-failures 1 with one dock at a time holds the rest once a device failed', async () => {
    await sim('STOP-1', 'md5-mismatch');
    const rest = await sim('STOP-2', 'ok');
    const run = await dockside(upgradeArgs('STOP-1', ['STOP-1', 'STOP-2'], ['--gateway', 'STOP-2', '--max-parallel', '1', '--stop-after-failures', '1']));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('STOP-2: held — held: 1 device of this batch ended without success (it stops after 1); release to go on, or cancel');
    expect(rest.received().filter((m) => m.envelope.method === 'ota_create')).toHaveLength(0);
  });

  it('stall: the watchdog times the device out', async () => {
    await sim('DOCK-STALL', 'stall');
    const run = await dockside(upgradeArgs('DOCK-STALL', ['DOCK-STALL']).map((a) => (a === '10' ? '2' : a)));
    expect(run.stdout).toMatch(/DOCK-STALL: timed out — no word from the dock for 2 s while downloading/);
    expect(run.code).toBe(1);
  });

  it('survives a broker restart mid-upgrade and follows the upgrade to the end', { timeout: 90_000 }, async () => {
    const m = await startMosquitto();
    try {
      const dock = await startDockSim({
        brokerUrl: m.url,
        gateway: 'DOCK-DROP',
        scenario: 'ok',
        progressIntervalMs: 150,
        stateIntervalMs: 200,
        reconnectPeriodMs: 200,
        downloadBytesPerSec: 1024 * 1024,
      });
      sims.push(dock);
      const running = dockside(upgradeArgs('DOCK-DROP', ['DOCK-DROP'], [], m.url).map((a) => (a === '10' ? '30' : a)));
      await new Promise<void>((resolve) => dock.on('ota', (e) => e.kind === 'progress' && e.percent >= 20 && resolve()));
      await m.stop();
      await new Promise((r) => setTimeout(r, 500));
      const again = await startMosquitto(m.port);
      try {
        const run = await running;
        expect(run.stdout).toContain('broker connection lost');
        expect(run.stdout).toContain('DOCK-DROP: ok, verified firmware 10.01.1700');
        expect(run.code).toBe(0);
      } finally {
        await again.stop();
      }
    } finally {
      await m.stop().catch(() => undefined);
    }
  });
});

describe('dockside upgrade: bad usage and bad surroundings', () => {
  it.each([
    [['upgrade'], '--broker URL is required'],
    [['upgrade', '--broker', 'http://x'], 'must be an mqtt://'],
    [['upgrade', '--broker', 'mqtt://127.0.0.1:1', '--gateway', 'G'], 'at least one --device'],
    [['upgrade', '--broker', 'mqtt://127.0.0.1:1', '--gateway', 'G', '--device', 'A', '--device', 'B', '--device', 'C', '--file', 'f'], 'at most two --device'],
    [['upgrade', '--broker', 'mqtt://127.0.0.1:1', '--gateway', 'G', '--device', 'A', '--file', 'f', '--type', 'weird'], '--type must be regular or consistency'],
    [['upgrade', '--broker', 'mqtt://127.0.0.1:1', '--gateway', 'G', '--device', 'A', '--file', 'f', '--timeout', 'soon'], '--timeout must be a whole number'],
    [['upgrade', '--bogus'], "Unknown option '--bogus'"],
  ])('%j exits 2 with one line', async (args, message) => {
    const run = await dockside(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a missing file exits 1 with one line', async () => {
    const run = await dockside(['upgrade', '--broker', 'mqtt://127.0.0.1:1', '--gateway', 'G', '--device', 'G', '--file', join(dir, 'nope.bin')]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^dockside upgrade: cannot read .*nope\.bin: no such file$/);
  });

  it('a file without a version in its name asks for --firmware-version (exit 2)', async () => {
    const plain = join(dir, 'firmware.bin');
    writeFileSync(plain, 'x'.repeat(100));
    const run = await dockside(['upgrade', '--broker', 'mqtt://127.0.0.1:1', '--gateway', 'G', '--device', 'G', '--file', plain]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pass --firmware-version');
  });

  it('a broker that refuses the connection exits 1 with a clear line and no stack trace', async () => {
    const port = await freePort();
    const run = await dockside(upgradeArgs('G', ['G']).map((a) => (a === broker.url ? `mqtt://127.0.0.1:${port}` : a)));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/dockside upgrade: cannot connect to mqtt:\/\/127\.0\.0\.1:\d+: connection refused/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help prints the usage and exits 0', async () => {
    const run = await dockside(['upgrade', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: dockside upgrade --broker URL --gateway SN');
  });
});
