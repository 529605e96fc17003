// `dockside upgrade` against docks behaving the way the DJI documents allow, not the way our first
// simulator did: fresh tids, restarts with no ok, no sub_status, an ok that changes nothing, health alerts,
// and refusals that follow from the dock's own telemetry. Real mosquitto, the real CLI process.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpgradeEventSchema, type UpgradeEvent } from '../../preload/api';
import { startDockSim, type DockSim, type DockSimOptions } from '../../sim/dji-dock/dock-sim';
import { startMosquitto, type TestBroker } from '../../test-support/brokers';
import { runDockside } from './testing/dockside-cli';

let dir: string;
let dockFile: string;
let droneFile: string;
let broker: TestBroker;
const sims: DockSim[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-field-'));
  dockFile = join(dir, 'Dock2_V10.01.1700.bin');
  droneFile = join(dir, 'M3D_V10.01.1710.bin');
  writeFileSync(dockFile, randomBytes(400_000));
  writeFileSync(droneFile, randomBytes(300_000));
  broker = await startMosquitto();
});

afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function dock(gateway: string, opts: Partial<DockSimOptions> = {}): Promise<DockSim> {
  const s = await startDockSim({ brokerUrl: broker.url, gateway, progressIntervalMs: 40, stateIntervalMs: 200, reconnectPeriodMs: 200, ...opts });
  sims.push(s);
  return s;
}

function upgrade(gateway: string, devices: string[], more: string[] = []) {
  const args = [
    'upgrade',
    '--broker',
    broker.url,
    '--gateway',
    gateway,
    ...devices.flatMap((d) => ['--device', d]),
    '--serve-host',
    '127.0.0.1',
    '--timeout',
    '2',
    '--verify-timeout',
    '5',
    '--json',
    ...more,
  ];
  return runDockside(args, { env: { DOCKSIDE_DATA: join(dir, 'data') } });
}

const events = (stdout: string): UpgradeEvent[] =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => UpgradeEventSchema.parse(JSON.parse(l)));

describe('dockside upgrade against docks as the documents describe them', () => {
  it.each(['fresh', 'same'] as const)('follows a dock that puts a %s tid on its progress, by the task bid, to a verified end', async (tidMode) => {
    const gw = `FIELD-TID-${tidMode.toUpperCase()}`;
    await dock(gw, { tidMode });
    const run = await upgrade(gw, [`${gw}=${dockFile}`]);
    expect(run.stderr).toContain(`${gw}: ok, verified firmware 10.01.1700`);
    expect(run.code).toBe(0);
    expect(events(run.stdout).filter((e) => e.device === gw && e.message.startsWith('not applied'))).toEqual([]);
  });

  it('a dock that restarts for longer than --timeout and comes back on the new version, with no ok, is upgraded', async () => {
    const gw = 'FIELD-REBOOT';
    const d = await dock(gw, { reboot: { offlineMs: 4_000 } });
    const rebooted = new Promise<void>((resolve) => d.on('ota', (e) => e.kind === 'reboot' && resolve()));
    const run = await upgrade(gw, [`${gw}=${dockFile}`], ['--reboot-timeout', '30']);
    await rebooted;
    expect(run.stderr).toContain(`${gw}: ok, verified firmware 10.01.1700`);
    expect(run.code).toBe(0);
    const evs = events(run.stdout);
    expect(evs.some((e) => e.message.includes('"ok"') || e.message.startsWith('ok ('))).toBe(false);
    expect(evs.at(-1)!.message).toBe(`verified: ${gw} reports firmware_version 10.01.1700 (no ok event needed: the device itself says so)`);
  });

  it('a dock that sends no sub_status reads from its step, never as waiting for a reply', async () => {
    const gw = 'FIELD-NOSUB';
    await dock(gw, { subStatus: false });
    const run = await upgrade(gw, [`${gw}=${dockFile}`]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`${gw} in_progress download \\d+%\\n`));
    expect(run.stderr).toMatch(new RegExp(`${gw} in_progress upgrade \\d+%\\n`));
    expect(run.stderr).not.toContain('waiting for the dock to reply');
  });

  it('a dock that says ok but keeps its old version ends "not verified", exit 1', async () => {
    const gw = 'FIELD-STALE';
    await dock(gw, { scenario: 'stale-version' });
    const run = await upgrade(gw, [`${gw}=${dockFile}`]);
    expect(run.stderr).toContain(`${gw}: not verified — reports firmware_version 10.01.1612, expected 10.01.1700`);
    expect(run.code).toBe(1);
    expect(events(run.stdout).at(-1)).toMatchObject({ state: 'failed', message: expect.stringContaining('not verified') });
  });

  it('health alerts raised during the upgrade are in the log with code and level', async () => {
    const gw = 'FIELD-HMS';
    await dock(gw, { scenario: 'hms' });
    const run = await upgrade(gw, [`${gw}=${dockFile}`]);
    expect(run.code).toBe(0);
    const alerts = events(run.stdout).filter((e) => e.message.startsWith(`health alert from ${gw}`));
    expect(alerts.length).toBeGreaterThan(0);
    // The simulator's dock alert: level 0 (a notice), module 3 (hms), about device 3-2-0, a Dock 2.
    for (const a of alerts) expect(a.message).toMatch(/^health alert from FIELD-HMS: notice 0x1B0A0001 \(module hms, device (DJI Dock 2|3-2-0)\)$/);
  });

  it.each([
    ['no-aircraft', 'aircraft in the dock (drone_in_dock 0; a dock answers 312027)'],
    ['aircraft-off', 'aircraft powered on and paired (device_online_status 0, device_paired 1; a dock answers 312022)'],
    ['low-battery', 'aircraft battery at least 20% (capacity_percent 12 (12%); a dock answers 312704)'],
  ] as const)('%s: the aircraft is held back by its gate; the dock itself goes on', async (scenario, gate) => {
    const gw = `FIELD-${scenario.toUpperCase()}`;
    const uav = `${gw}-UAV`;
    const d = await dock(gw, { scenario, drone: uav });
    const run = await upgrade(gw, [`${gw}=${dockFile}`, `${uav}=${droneFile}`]);
    expect(run.stderr).toContain(`${uav}: refused — held back: ${gate}`);
    expect(run.stderr).toContain(`${gw}: ok, verified firmware 10.01.1700`);
    expect(run.code).toBe(1);
    const sent = d
      .received()
      .filter((m) => m.envelope.method === 'ota_create')
      .map((m) => (m.envelope.data as { devices: { sn: string }[] }).devices.map((x) => x.sn));
    expect(sent).toEqual([[gw]]);
  });

  it('emergency stop pressed: nothing goes to the dock', async () => {
    const gw = 'FIELD-ESTOP';
    const d = await dock(gw, { scenario: 'emergency-stop' });
    const run = await upgrade(gw, [`${gw}=${dockFile}`]);
    expect(run.stderr).toContain(`${gw}: refused — held back: emergency stop released (emergency_stop_state 1 (pressed); a dock answers 312023)`);
    expect(run.code).toBe(1);
    expect(d.received().filter((m) => m.envelope.method === 'ota_create')).toEqual([]);
  });
});
