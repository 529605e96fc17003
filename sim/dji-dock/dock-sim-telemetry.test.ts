// The simulated dock's telemetry over a real broker, and refusals that follow from it: each scenario's state shows
// on osd/state as the Dock 2 property document puts it, and the ota_create answer is the code a dock in that state
// gives. setTelemetry changes both, as a technician at the dock would.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScenarioName } from './scenarios';
import { isEnd, outputOf, replyTo, resultOf, type Task, type Uplink } from '../../test-support/cloud-client';
import { latest, startDockHarness, stateWith, type DockHarness } from './testing/dock-harness';

const GW = 'DOCKTEL0001';
const UAV = 'UAVTEL0001';

let h: DockHarness;
beforeEach(async () => {
  h = await startDockHarness();
});
afterEach(() => h.close());

const osdOf = (sn: string) => (u: Uplink) => u.kind === 'osd' && u.sn === sn;
const answer = async (task: Task) => resultOf(await h.cloud.waitFor(replyTo(task), `the reply to ${task.tid}`));
const uplinksAfter = (marker: number) => h.cloud.uplinks.slice(marker);

describe('telemetry on osd and state', () => {
  it('reports the Dock 2 osd properties on osd, the upgrade properties on state, and the aircraft on its own topics', async () => {
    await h.dock({ gateway: GW, drone: UAV });
    // osd goes at QoS 0, state at QoS 1: they may arrive in either order.
    for (const [kind, sn] of [
      ['osd', GW],
      ['osd', UAV],
      ['state', GW],
      ['state', UAV],
    ] as const)
      await h.cloud.waitFor((u) => u.kind === kind && u.sn === sn, `${kind} of ${sn}`);
    expect(latest(h.cloud, 'osd', GW)).toMatchObject({
      mode_code: 0,
      drone_in_dock: 1,
      drone_charge_state: { state: 0, capacity_percent: 86 },
      emergency_stop_state: 0,
      sub_device: { device_sn: UAV, product_type: '0-91-0', device_online_status: 1, device_paired: 1 },
      network_state: { type: 2, quality: 5, rate: 5120 },
    });
    expect(latest(h.cloud, 'osd', GW)).not.toHaveProperty('firmware_upgrade_status');
    expect(latest(h.cloud, 'state', GW)).toEqual({ firmware_version: '10.01.1612', firmware_upgrade_status: 0, compatible_status: 0 });
    expect(latest(h.cloud, 'osd', UAV)).toEqual({ mode_code: 0, battery: { capacity_percent: 86 } });
    expect(latest(h.cloud, 'state', UAV)).toEqual({ firmware_version: '10.01.1608', firmware_upgrade_status: 0, compatible_status: 0 });
  });

  it('names the aircraft model device_model_key when asked to (the current Dock 2/3 documents)', async () => {
    await h.dock({ gateway: GW, drone: UAV, subDeviceModelKey: 'device_model_key' });
    const osd = await h.cloud.waitFor(osdOf(GW), 'osd');
    expect((osd.json.data as { sub_device: object }).sub_device).toEqual({ device_sn: UAV, device_model_key: '0-91-0', device_online_status: 1, device_paired: 1 });
  });

  it('pushes osd at the documented 0.5 Hz by default, state only on change', async () => {
    await h.dock({ gateway: GW, stateIntervalMs: undefined });
    await h.cloud.waitFor(() => h.cloud.uplinks.filter(osdOf(GW)).length >= 3, 'three osd frames', 10_000);
    // The dock's own send times, so delivery delays do not count.
    const sentAt = h.cloud.uplinks.filter(osdOf(GW)).map((u) => u.json.timestamp as number);
    expect(sentAt[2]! - sentAt[0]!).toBeGreaterThanOrEqual(3900);
    expect(h.cloud.uplinks.filter((u) => u.kind === 'state' && u.sn === GW)).toHaveLength(1);
  });

  it('shows a running upgrade: dock mode_code 3, each upgraded device firmware_upgrade_status 1, aircraft mode_code 13; idle again after', async () => {
    const s = await h.dock({ gateway: GW, drone: UAV, scenario: 'drone', progressIntervalMs: 60 });
    const task = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'dock.bin', '10.02.0001'), h.package(UAV, 'uav.bin', '10.02.0002')]);
    await h.cloud.waitFor((u) => osdOf(GW)(u) && (u.json.data as { mode_code: number }).mode_code === 3, 'osd in mode 3');
    await h.cloud.waitFor((u) => osdOf(UAV)(u) && (u.json.data as { mode_code: number }).mode_code === 13, 'aircraft osd in mode 13');
    expect(s.telemetry()).toMatchObject({ mode_code: 3, firmware_upgrade_status: 1, aircraft: { firmware_upgrade_status: 1, mode_code: 13 } });
    await h.cloud.waitFor((u) => u.kind === 'state' && u.sn === UAV && (u.json.data as { firmware_upgrade_status: number }).firmware_upgrade_status === 1, 'the aircraft state saying it upgrades');
    await h.cloud.waitFor(isEnd(task), 'the end');
    await h.cloud.waitFor(stateWith(UAV, '10.02.0002'), 'the aircraft on its new version');
    expect(latest(h.cloud, 'state', UAV)).toMatchObject({ firmware_upgrade_status: 0 });
    await h.cloud.waitFor((u) => osdOf(GW)(u) && (u.json.data as { mode_code: number }).mode_code === 0, 'osd idle again');
  });
});

describe('refusals follow from the telemetry', () => {
  type Who = 'dock' | 'both';
  const cases: Array<[ScenarioName, Who, number, Record<string, unknown>]> = [
    ['reject', 'dock', 312015, { osd: { mode_code: 4 } }],
    ['busy', 'dock', 312014, { osd: { mode_code: 3 }, state: { firmware_upgrade_status: 1 } }],
    ['emergency-stop', 'dock', 312023, { osd: { emergency_stop_state: 1 } }],
    ['no-aircraft', 'both', 312027, { osd: { drone_in_dock: 0 } }],
    ['aircraft-off', 'both', 312022, { osd: { sub_device: { device_online_status: 0 } } }],
    ['low-battery', 'both', 312704, { osd: { drone_charge_state: { state: 1, capacity_percent: 12 } } }],
  ];

  it.each(cases)('%s (%s): the telemetry shows why, and ota_create is refused with %i; nothing is downloaded', async (scenario, who, code, shows) => {
    const s = await h.dock({ gateway: GW, scenario });
    await h.cloud.waitFor(osdOf(GW), 'osd');
    await h.cloud.waitFor((u) => u.kind === 'state' && u.sn === GW, 'state');
    expect(latest(h.cloud, 'osd', GW)).toMatchObject(shows.osd as object);
    if (shows.state) expect(latest(h.cloud, 'state', GW)).toMatchObject(shows.state);
    const devices = [h.package(GW, 'dock.bin', '10.02.0001'), ...(who === 'both' ? [h.package(s.drone!, 'uav.bin', '10.02.0002')] : [])];
    const task = await h.cloud.sendOtaCreate(GW, devices);
    const reply = await h.cloud.waitFor(replyTo(task), 'the reply');
    expect(reply.json.data).toEqual({ result: code, output: { status: 'rejected' } });
    expect(s.events.map((e) => e.kind)).toEqual(['create', 'reply']);
    expect(h.files.requests('dock.bin')).toEqual([]);
  });

  it.each([['no-aircraft'], ['aircraft-off'], ['low-battery']] as const)('%s: an upgrade of the dock alone goes ahead', async (scenario) => {
    await h.dock({ gateway: GW, scenario });
    const task = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'dock.bin', '10.02.0001')]);
    expect(outputOf(await h.cloud.waitFor(isEnd(task), 'the end')).status).toBe('ok');
  });

  it('no-aircraft / aircraft-off: the powered-off aircraft leaves the topology, and comes back when switched on', async () => {
    const s = await h.dock({ gateway: GW, scenario: 'aircraft-off' });
    const topo = await h.cloud.waitFor((u) => u.kind === 'status', 'update_topo');
    expect((topo.json.data as { sub_devices: unknown[] }).sub_devices).toEqual([]);
    expect(h.cloud.uplinks.some((u) => u.sn === s.drone)).toBe(false);
    const marker = h.cloud.uplinks.length;
    s.setTelemetry({ sub_device: { device_online_status: 1 }, aircraft: { mode_code: 0 } });
    const back = await h.cloud.waitFor((u) => uplinksAfter(marker).includes(u) && u.kind === 'status', 'update_topo with the aircraft');
    expect((back.json.data as { sub_devices: Array<{ sn: string }> }).sub_devices.map((d) => d.sn)).toEqual([s.drone]);
    await h.cloud.waitFor(stateWith(s.drone!, '10.01.1608'), 'the aircraft state');
  });

  it('setTelemetry: the aircraft put back in the dock shows on the next osd frame, and the next ota_create is taken', async () => {
    const s = await h.dock({ gateway: GW, scenario: 'no-aircraft' });
    const both = () => [h.package(GW, 'dock.bin', '10.02.0001'), h.package(s.drone!, 'uav.bin', '10.02.0002')];
    expect(await answer(await h.cloud.sendOtaCreate(GW, both()))).toBe(312027);
    const marker = h.cloud.uplinks.length;
    s.setTelemetry({ drone_in_dock: 1, sub_device: { device_online_status: 1 }, aircraft: { mode_code: 0 } });
    // A frame already on its way when the telemetry changed may still arrive first: the one after it shows the change.
    const next = await h.cloud.waitFor(
      (u) => uplinksAfter(marker).includes(u) && osdOf(GW)(u) && (u.json.data as { drone_in_dock: number }).drone_in_dock === 1,
      'an osd frame with the aircraft back',
    );
    expect(next.json.data).toMatchObject({ drone_in_dock: 1, sub_device: { device_online_status: 1 } });
    const seen = uplinksAfter(marker);
    expect(seen.slice(0, seen.indexOf(next) + 1).filter(osdOf(GW)).length).toBeLessThanOrEqual(2);
    const task = await h.cloud.sendOtaCreate(GW, both());
    expect(await answer(task)).toBe(0);
    expect(outputOf(await h.cloud.waitFor(isEnd(task), 'the end')).status).toBe('ok');
    expect(s.firmwareVersions()).toEqual({ [GW]: '10.02.0001', [s.drone!]: '10.02.0002' });
  });

  it('setTelemetry: an emergency stop pressed, then the dock put to work, then idle again — each answer follows', async () => {
    const s = await h.dock({ gateway: GW });
    const ask = async () => answer(await h.cloud.sendOtaCreate(GW, [h.package(GW, `dock-${Math.random()}.bin`, '10.02.0001')]));
    s.setTelemetry({ emergency_stop_state: 1 });
    expect(await ask()).toBe(312023);
    s.setTelemetry({ emergency_stop_state: 0, mode_code: 4 });
    expect(await ask()).toBe(312015);
    s.setTelemetry({ firmware_upgrade_status: 1 });
    await h.cloud.waitFor((u) => u.kind === 'state' && u.sn === GW && (u.json.data as { firmware_upgrade_status: number }).firmware_upgrade_status === 1, 'state reported at once');
    expect(await ask()).toBe(312014);
    s.setTelemetry({ firmware_upgrade_status: 0, mode_code: 0 });
    expect(await ask()).toBe(0);
  });
});

describe('consistency upgrades', () => {
  it('the aircraft asks (compatible_status 1): its consistency upgrade is taken and clears the flag; one for the dock is refused 312001', async () => {
    const s = await h.dock({ gateway: GW, scenario: 'consistency' });
    await h.cloud.waitFor((u) => u.kind === 'state' && u.sn === s.drone && (u.json.data as { compatible_status: number }).compatible_status === 1, 'the aircraft asking');
    expect(latest(h.cloud, 'state', GW)).toMatchObject({ compatible_status: 0 });
    const dockConsistency = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'dock.bin', '10.02.0001', { entry: { firmware_upgrade_type: 2 } })]);
    expect(await answer(dockConsistency)).toBe(312001);
    const task = await h.cloud.sendOtaCreate(GW, [h.package(s.drone!, 'uav.bin', '10.01.1608', { entry: { firmware_upgrade_type: 2 } })]);
    expect(outputOf(await h.cloud.waitFor(isEnd(task), 'the end')).status).toBe('ok');
    await h.cloud.waitFor((u) => u.kind === 'state' && u.sn === s.drone && (u.json.data as { compatible_status: number }).compatible_status === 0, 'the flag cleared');
    expect(s.telemetry().aircraft.compatible_status).toBe(0);
  });

  it('a dock that does not ask refuses a consistency upgrade with 312001 in the ok scenario too', async () => {
    await h.dock({ gateway: GW });
    const task = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'dock.bin', '10.02.0001', { entry: { firmware_upgrade_type: 2 } })]);
    expect(await answer(task)).toBe(312001);
  });
});
