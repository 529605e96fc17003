// The ways real docks report an upgrade that the documents allow, each an option of the simulator, over a real
// broker: tid per event or the ota_create's, a restart to apply the firmware (offline gap, back on the new
// version, with or without ok), no sub_status, ok on the old version, hms alerts, one package per device,
// downloads that resume, and a connection a test can take away and give back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeEnvelope, newEnvelope } from '../../wire/dji/envelope';
import { topics } from '../../wire/dji/topics';
import type { ConnectionState } from './dock-sim';
import { isEnd, outputOf, replyTo, statusSequence, type Uplink } from '../../test-support/cloud-client';
import { latest, startDockHarness, stateWith, type DockHarness } from './testing/dock-harness';

const GW = 'DOCKFLD0001';
const UAV = 'UAVFLD0001';

let h: DockHarness;
beforeEach(async () => {
  h = await startDockHarness();
});
afterEach(() => h.close());

describe('correlation', () => {
  it.each([
    ['fresh', false],
    ['same', true],
  ] as const)("tidMode %s: every ota_progress keeps the task bid; its tid is the ota_create's: %s; each events_reply is matched by tid", async (tidMode, same) => {
    const s = await h.dock({ gateway: GW, tidMode, needReply: true });
    const task = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'dock.bin', '10.02.0001')]);
    await h.cloud.waitFor(isEnd(task), 'the end');
    const events = h.cloud.progress(task);
    expect(events.length).toBeGreaterThan(5);
    expect(events.every((e) => e.envelope!.bid === task.bid)).toBe(true);
    expect(events.every((e) => (e.envelope!.tid === task.tid) === same)).toBe(true);
    if (!same) expect(new Set(events.map((e) => e.envelope!.tid)).size).toBe(events.length);
    const progress = s.events.filter((e) => e.kind === 'progress');
    expect(progress.map((e) => e.eventTid)).toEqual(events.map((e) => e.envelope!.tid));
    expect(progress.every((e) => e.tid === task.tid && e.bid === task.bid)).toBe(true);
    await expect.poll(() => s.eventReplies()).toEqual({ asked: events.length, answered: events.length });
  });

  it('does not count an events_reply whose tid it never asked for', async () => {
    const s = await h.dock({ gateway: GW, needReply: true });
    const task = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'dock.bin', '10.02.0001')]);
    await h.cloud.waitFor(isEnd(task), 'the end');
    const asked = h.cloud.progress(task).length;
    await expect.poll(() => s.eventReplies()).toEqual({ asked, answered: asked });
    const replies = () => s.received().filter((m) => m.topic.endsWith('/events_reply')).length;
    const before = replies();
    // A cloud that answers with the ota_create's ids instead of the event's.
    await h.cloud.client.publishAsync(topics.eventsReply(GW), encodeEnvelope(newEnvelope('ota_progress', { result: 0 }, task)), { qos: 1 });
    await expect.poll(replies).toBe(before + 1);
    expect(s.eventReplies()).toEqual({ asked, answered: asked });
  });
});

describe('reboot to apply', () => {
  it('reports upgrading, drops off MQTT for the gap, comes back with topology and the new version (state 0, osd idle) and no ok', async () => {
    const states: ConnectionState[] = [];
    const s = await h.dock({ gateway: GW, reboot: { offlineMs: 600 } });
    s.on('connection', (st) => states.push(st));
    const task = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'dock.bin', '10.02.0001')]);
    await expect.poll(() => s.events.some((e) => e.kind === 'reboot'), { timeout: 10_000 }).toBe(true);
    const wentAt = Date.now();
    const data = (u: Uplink) => u.json.data as Record<string, unknown>;
    await h.cloud.waitFor((u) => u.kind === 'osd' && u.sn === GW && data(u).mode_code === 3, 'osd: upgrading');
    await h.cloud.waitFor((u) => u.kind === 'state' && u.sn === GW && data(u).firmware_upgrade_status === 1 && data(u).firmware_version === '10.01.1612', 'state: upgrading');
    expect(states).toEqual(['offline']);

    const back = await h.cloud.waitFor(stateWith(GW, '10.02.0001'), 'the new version', 10_000);
    expect(Date.now() - wentAt).toBeGreaterThanOrEqual(550);
    expect(back.json.data).toEqual({ firmware_version: '10.02.0001', firmware_upgrade_status: 0, compatible_status: 0 });
    // Back: the topology first, then the state on the new version.
    const uplinks = h.cloud.uplinks;
    const lastUpgradingOsd = uplinks.findLastIndex((u) => u.kind === 'osd' && u.sn === GW && (u.json.data as { mode_code: number }).mode_code === 3);
    // The first topology after going away; the dock repeats it until answered, so later ones may follow.
    const topology = uplinks.findIndex((u, i) => i > lastUpgradingOsd && u.kind === 'status');
    expect(topology).toBeGreaterThan(lastUpgradingOsd);
    expect(topology).toBeLessThan(uplinks.indexOf(back));
    await h.cloud.waitFor((u) => u.kind === 'osd' && u.sn === GW && (u.json.data as { mode_code: number }).mode_code === 0, 'osd idle');
    expect(states).toEqual(['offline', 'connected']);
    await expect.poll(() => s.events.at(-1)).toMatchObject({ kind: 'end', status: 'ok', reported: false, bid: task.bid });
    expect(statusSequence(h.cloud.progress(task))).toEqual(['in_progress/DOWNLOADING', 'in_progress/DOWNLOAD_SUCCESS', 'in_progress/VERIFY', 'in_progress/VERIFY_SUCCESS', 'in_progress/UPGRADING']);
    expect(s.firmwareVersions()[GW]).toBe('10.02.0001');
  });

  it("with reportOk sends ok once it is back, after the new version, on the task's bid", async () => {
    const s = await h.dock({ gateway: GW, reboot: { offlineMs: 300, reportOk: true } });
    const task = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'dock.bin', '10.02.0001')]);
    const ok = await h.cloud.waitFor(isEnd(task), 'ok after the restart', 10_000);
    expect(outputOf(ok)).toMatchObject({ status: 'ok', sub_status: 'UPGRADE_SUCCESS' });
    const newVersion = h.cloud.uplinks.findIndex(stateWith(GW, '10.02.0001'));
    expect(newVersion).toBeGreaterThan(-1);
    expect(h.cloud.uplinks.indexOf(ok)).toBeGreaterThan(newVersion);
    await expect.poll(() => s.events.at(-1)).toMatchObject({ kind: 'end', status: 'ok', reported: true });
  });

  it('the reboot scenario restarts for minutes unless told otherwise', async () => {
    const s = await h.dock({ gateway: GW, scenario: 'reboot' });
    const task = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'dock.bin', '10.02.0001')]);
    await expect.poll(() => s.events.find((e) => e.kind === 'reboot'), { timeout: 10_000 }).toMatchObject({ offlineMs: 180_000, bid: task.bid });
    expect(s.telemetry()).toMatchObject({ mode_code: 3, firmware_upgrade_status: 1 });
  });
});

describe('what the progress says', () => {
  it('subStatus false: no ota_progress carries a sub_status key', async () => {
    await h.dock({ gateway: GW, subStatus: false, variant: 'current_step_string' });
    const task = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'dock.bin', '10.02.0001')]);
    await h.cloud.waitFor(isEnd(task), 'the end');
    const events = h.cloud.progress(task);
    expect(events.every((e) => !('sub_status' in outputOf(e)))).toBe(true);
    expect(events.map((e) => outputOf(e).progress.current_step)).toContain('upgrade_firmware');
    expect(outputOf(events.at(-1)!).status).toBe('ok');
  });

  it('stale-version: says ok, then keeps reporting the old firmware_version', async () => {
    const s = await h.dock({ gateway: GW, scenario: 'stale-version' });
    const task = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'dock.bin', '10.02.0001')]);
    const end = await h.cloud.waitFor(isEnd(task), 'the end');
    expect(outputOf(end).status).toBe('ok');
    await h.cloud.waitFor((u) => u.kind === 'state' && h.cloud.uplinks.indexOf(u) > h.cloud.uplinks.indexOf(end), 'state after ok');
    expect(latest(h.cloud, 'state', GW)).toEqual({ firmware_version: '10.01.1612', firmware_upgrade_status: 0, compatible_status: 0 });
    expect(h.cloud.uplinks.some(stateWith(GW, '10.02.0001'))).toBe(false);
    expect(s.firmwareVersions()[GW]).toBe('10.01.1612');
  });
});

describe('hms', () => {
  it('raises documented hms reports during an upgrade, none asking for a reply, and clears them at the end', async () => {
    const s = await h.dock({ gateway: GW, drone: UAV, scenario: 'hms' });
    const task = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'dock.bin', '10.02.0001'), h.package(UAV, 'uav.bin', '10.02.0002')]);
    await h.cloud.waitFor(isEnd(task), 'the end');
    await expect.poll(() => h.cloud.hms().length).toBe(3);
    const reports = h.cloud.hms();
    for (const r of reports) {
      expect(r.topic).toBe(`thing/product/${GW}/events`);
      expect(r.json).toMatchObject({ method: 'hms', need_reply: 0, gateway: GW });
      expect(r.envelope!.bid).not.toBe(task.bid);
    }
    const lists = reports.map((r) => (r.json.data as { list: Array<Record<string, unknown>> }).list);
    // The HMS document's fields; level 0 notification, 1 reminder; module 3 hms; device_type domain-type-sub_type
    // of the Dock 2 (3-2-0) and the Matrice 3D (0-91-0). The codes are the simulator's own, illustrative ones.
    const dockAlert = { level: 0, module: 3, in_the_sky: 0, code: '0x1B0A0001', device_type: '3-2-0', imminent: 1, args: { component_index: 0, sensor_index: 0 } };
    const aircraftAlert = { level: 1, module: 3, in_the_sky: 0, code: '0x16100083', device_type: '0-91-0', imminent: 0, args: { component_index: 0, sensor_index: 0 } };
    expect(lists).toEqual([[dockAlert], [dockAlert, aircraftAlert], []]);
    expect(s.alerts.map((a) => a.codes.length)).toEqual([1, 2, 0]);
    expect(s.eventReplies('hms')).toEqual({ asked: 0, answered: 0 });
  });

  it('with needReply true the hms reports ask for events_reply and the replies are counted', async () => {
    const s = await h.dock({ gateway: GW, hms: true, needReply: true });
    const task = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'dock.bin', '10.02.0001')]);
    await h.cloud.waitFor(isEnd(task), 'the end');
    await expect.poll(() => s.eventReplies('hms')).toEqual({ asked: 3, answered: 3 });
    expect(h.cloud.hms().every((r) => r.json.need_reply === 1)).toBe(true);
  });
});

describe('packages and downloads', () => {
  it("fetches the dock's and the aircraft's own files at the same time, over keep-alive connections", async () => {
    // Stalled at 30% of the whole: one file after the other would never have asked for the second.
    await h.dock({ gateway: GW, drone: UAV, scenario: 'stall' });
    await h.cloud.sendOtaCreate(GW, [h.package(GW, 'Dock2.bin', '10.02.0001', { size: 12_000_000 }), h.package(UAV, 'M3D.bin', '10.02.0777', { size: 12_000_000 })]);
    await expect.poll(() => h.files.requests('Dock2.bin').length + h.files.requests('M3D.bin').length).toBe(2);
    for (const name of ['Dock2.bin', 'M3D.bin']) expect(h.files.requests(name)[0]).toMatchObject({ status: 200, connection: 'keep-alive' });
  });

  it("checks each device's own file and sets each device's own version", async () => {
    const s = await h.dock({ gateway: GW, drone: UAV });
    const task = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'Dock2.bin', '10.02.0001', { size: 300_000 }), h.package(UAV, 'M3D.bin', '10.02.0777', { size: 250_000 })]);
    expect(outputOf(await h.cloud.waitFor(isEnd(task), 'the end')).status).toBe('ok');
    expect(s.events.find((e) => e.kind === 'end')).toMatchObject({ bytes: { [GW]: 300_000, [UAV]: 250_000 } });
    expect(s.firmwareVersions()).toEqual({ [GW]: '10.02.0001', [UAV]: '10.02.0777' });
    await h.cloud.waitFor(stateWith(UAV, '10.02.0777'), 'the aircraft on its own version');
  });

  it("fails verification when only the aircraft's file does not match its md5", async () => {
    await h.dock({ gateway: GW, drone: UAV });
    const uav = h.package(UAV, 'M3D.bin', '10.02.0777');
    const task = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'Dock2.bin', '10.02.0001'), { ...uav, md5: h.package(UAV, 'other.bin', 'x').md5 }]);
    const end = await h.cloud.waitFor(isEnd(task), 'the end');
    expect(outputOf(end)).toMatchObject({ status: 'failed', sub_status: 'VERIFY_FAILED' });
  });

  it('resumes a file whose connection is reset mid-way (Range), and the upgrade ends ok with the right MD5', async () => {
    const s = await h.dock({ gateway: GW, downloadRetryDelaysMs: [50, 100] });
    const task = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'dock.bin', '10.02.0001', { size: 1_500_000, faults: { resetAfterBytes: 400_000 } })]);
    expect(outputOf(await h.cloud.waitFor(isEnd(task), 'the end')).status).toBe('ok');
    expect(h.files.requests('dock.bin').map((r) => r.status)).toEqual([200, 206]);
    expect(h.files.requests('dock.bin')[1]!.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(s.firmwareVersions()[GW]).toBe('10.02.0001');
  });

  it('gives up with DOWNLOAD_FAILED (312004) when the connection keeps breaking', async () => {
    await h.dock({ gateway: GW, downloadRetryDelaysMs: [20, 20, 20] });
    const task = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'dock.bin', '10.02.0001', { size: 1_000_000, faults: { resetAfterBytes: 100_000, resets: 10 } })]);
    const end = await h.cloud.waitFor(isEnd(task), 'the end');
    expect(outputOf(end)).toMatchObject({ status: 'failed', sub_status: 'DOWNLOAD_FAILED' });
    expect((end.json.data as { result: number }).result).toBe(312004);
    expect(h.files.requests('dock.bin')).toHaveLength(4);
  });
});

describe('connection control', () => {
  it('offline() drops without DISCONNECT and stays away; online() comes back into the kept session; received() shows what arrived', async () => {
    const s = await h.dock({ gateway: GW, reconnectPeriodMs: 50 });
    const states: ConnectionState[] = [];
    s.on('connection', (st) => states.push(st));
    await s.offline();
    const whileAway = await h.cloud.sendOtaCreate(GW, [h.package(GW, 'dock.bin', '10.02.0001')]);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.received().some((m) => m.envelope.tid === whileAway.tid)).toBe(false);
    expect(h.cloud.servicesReplies(whileAway)).toEqual([]);
    expect(states).toEqual(['offline']);
    await s.online();
    expect(states).toEqual(['offline', 'connected']);
    // The request the broker kept arrives now, late, and the dock acts on it as a dock would.
    await h.cloud.waitFor(replyTo(whileAway), 'the late reply');
    expect(
      s
        .received()
        .filter((m) => m.envelope.method === 'ota_create')
        .map((m) => m.envelope.tid),
    ).toEqual([whileAway.tid]);
    await h.cloud.waitFor(isEnd(whileAway), 'the late upgrade');
  });
});
