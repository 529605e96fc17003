// The dock simulator against a real broker (aedes), a real HTTP file server and real files, driven by a tiny
// cloud client that publishes real ota_create requests.
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAedes } from '../../test-support/brokers';
import { startDockSim, type DockSimOptions } from './dock-sim';
import { PROGRESS_VARIANTS, type ProgressVariant } from './progress-shapes';
import { isEnd, outputOf, percentOf, replyTo, resultOf, startCloudClient, statusSequence, type CloudClient, type Uplink } from '../../test-support/cloud-client';
import { FAST, startDockHarness, stateWith, type DockHarness } from './testing/dock-harness';
import type { FirmwareFile, FirmwareServer } from '../../test-support/firmware-server';

const GW = 'DOCKSIM0001';
const UAV = 'UAVSIM0001';
/** Bigger than what loopback socket buffers hold, so a reader that stops shows up at the server. */
const LARGE = 24 * 1024 * 1024;
// Larger than every buffer between the file server and a dock that stopped reading, even on a loaded machine.
const BEYOND_BUFFERS = 64 * 1024 * 1024;
const OK_SEQUENCE = ['in_progress/DOWNLOADING', 'in_progress/DOWNLOAD_SUCCESS', 'in_progress/VERIFY', 'in_progress/VERIFY_SUCCESS', 'in_progress/UPGRADING', 'ok/UPGRADE_SUCCESS'];

let h: DockHarness;
let files: FirmwareServer;
let cloud: CloudClient;
let dockFile: FirmwareFile;

beforeEach(async () => {
  h = await startDockHarness();
  ({ files, cloud } = h);
  dockFile = files.addFile('dock.bin', 200_000);
});

afterEach(() => h.close());

const sim = (opts: Partial<DockSimOptions> = {}) => h.dock({ gateway: GW, ...opts });

function dockDevice(file = dockFile, name = 'dock.bin', overrides: object = {}) {
  return { sn: GW, product_version: '10.02.0003', file_url: files.url(name), md5: file.md5, file_size: file.size, file_name: name, firmware_upgrade_type: 3, ...overrides };
}

describe('coming online', () => {
  it('announces update_topo with its aircraft, then state for both devices and osd, and takes status_reply', async () => {
    const s = await sim({ drone: UAV, firmwareVersion: '10.01.1500', droneFirmwareVersion: '10.01.1400' });
    const topo = await cloud.waitFor((u) => u.kind === 'status', 'update_topo');
    expect(topo.topic).toBe(`sys/product/${GW}/status`);
    expect(topo.envelope?.method).toBe('update_topo');
    const data = topo.json.data as Record<string, unknown>;
    expect(data).toMatchObject({ domain: 3, type: 2, sub_type: 0, thing_version: expect.any(String) });
    expect(data.device_secret).toMatch(/^[0-9a-f]{32}$/);
    expect(data.nonce).toEqual(expect.any(String));
    expect(data.sub_devices).toEqual([expect.objectContaining({ sn: UAV, domain: 0, type: 91, sub_type: 0, index: 'A', device_secret: expect.any(String), nonce: expect.any(String) })]);
    await cloud.waitFor(stateWith(GW, '10.01.1500'), 'dock state');
    const droneState = await cloud.waitFor(stateWith(UAV, '10.01.1400'), 'drone state');
    expect(droneState.json).toMatchObject({ gateway: GW, data: { compatible_status: 0, firmware_upgrade_status: 0 } });
    expect(droneState.json.method).toBeUndefined();
    const osd = await cloud.waitFor((u) => u.kind === 'osd' && u.sn === GW, 'osd');
    expect(osd.json.data).toMatchObject({ mode_code: 0, drone_in_dock: 1, sub_device: { device_sn: UAV, product_type: '0-91-0' } });
    await expect.poll(() => s.received().some((m) => m.topic === `sys/product/${GW}/status_reply`)).toBe(true);
    expect(s.firmwareVersions()).toEqual({ [GW]: '10.01.1500', [UAV]: '10.01.1400' });
  });
});

describe('scenario ok', () => {
  it.each(PROGRESS_VARIANTS.map((v) => [v]))('downloads the real file, verifies and upgrades (%s shape)', async (variant: ProgressVariant) => {
    const s = await sim({ variant });
    const task = await cloud.sendOtaCreate(GW, [dockDevice()]);
    const reply = await cloud.waitFor(replyTo(task), 'services_reply');
    expect(reply.json).toMatchObject({ ...task, method: 'ota_create', data: { result: 0, output: { status: 'sent' } } });
    await cloud.waitFor(isEnd(task), 'the end of the upgrade');
    const events = cloud.progress(task);
    expect(statusSequence(events)).toEqual(OK_SEQUENCE);
    // Each event is its own transaction within the task: the task's bid, a tid of its own.
    const eventTids = events.map((e) => e.envelope!.tid);
    expect(new Set(eventTids).size).toBe(events.length);
    expect(eventTids).not.toContain(task.tid);
    const percents = events.filter((e) => outputOf(e).sub_status === 'DOWNLOADING').map(percentOf);
    expect(percents.length).toBeGreaterThan(2);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(percents.at(-1)).toBeGreaterThan(percents[0]!);
    expect(files.bytesSent('dock.bin')).toBe(dockFile.size);
    expect(s.events.find((e) => e.kind === 'end')).toMatchObject({ status: 'ok', result: 0, bytes: { [GW]: dockFile.size } });
    await cloud.waitFor(stateWith(GW, '10.02.0003'), 'the new firmware_version on state');
    expect(s.firmwareVersions()[GW]).toBe('10.02.0003');

    const progresses = events.map((e) => outputOf(e).progress);
    if (variant === 'step_key') {
      expect(progresses.every((p) => typeof p.step_key === 'string' && !('current_step' in p))).toBe(true);
      expect(events.some((e) => 'timestamp:' in e.json && !('timestamp' in e.json))).toBe(true);
    }
    if (variant === 'current_step_int') {
      expect(progresses.map((p) => p.current_step)).toContain(1);
      expect(progresses.at(-1)?.current_step).toBe(2);
      expect(events.some((e) => (outputOf(e).ext?.rate ?? 0) > 0)).toBe(true);
    }
    if (variant === 'current_step_string') {
      expect(progresses.at(-1)?.current_step).toBe('upgrade_firmware');
      expect(progresses.some((p) => typeof p.percent === 'string')).toBe(true);
    }
    if (variant === 'step_int') expect(progresses.at(-1)).toEqual({ percent: 100, step: 2, step_key: 'upgrade_firmware' });
  });

  it('asks for events_reply on status changes and counts the replies it gets', async () => {
    const s = await sim();
    const task = await cloud.sendOtaCreate(GW, [dockDevice()]);
    await cloud.waitFor(isEnd(task), 'the end');
    const events = cloud.progress(task);
    const asking = events.filter((e) => e.json.need_reply === 1);
    expect(asking.length).toBe(OK_SEQUENCE.length);
    expect(asking.map((e) => `${outputOf(e).status}/${outputOf(e).sub_status}`)).toEqual(OK_SEQUENCE);
    await expect.poll(() => s.eventReplies()).toEqual({ asked: asking.length, answered: asking.length });
    const replied = s
      .received()
      .filter((m) => m.topic.endsWith('/events_reply'))
      .map((m) => m.envelope.tid);
    expect(replied).toEqual(asking.map((e) => e.envelope!.tid));
  });

  it('with needReply true asks on every event; with false on none, and finishes without replies', async () => {
    const quiet = await startCloudClient(h.broker.url, { replyEvents: false });
    try {
      const s = await sim({ needReply: true, variant: 'step_int' });
      const task = await cloud.sendOtaCreate(GW, [dockDevice()]);
      await cloud.waitFor(isEnd(task), 'the end');
      expect(cloud.progress(task).every((e) => e.json.need_reply === 1)).toBe(true);
      await s.stop();

      const s2 = await sim({ gateway: 'DOCKSIM0002', needReply: false, variant: 'step_int' });
      const task2 = await quiet.sendOtaCreate(s2.gateway, [dockDevice(dockFile, 'dock.bin', { sn: s2.gateway })]);
      await quiet.waitFor(isEnd(task2), 'the end');
      expect(quiet.progress(task2).every((e) => e.json.need_reply === 0)).toBe(true);
      expect(s2.eventReplies().asked).toBe(0);
    } finally {
      await quiet.close();
    }
  });

  it('follows a redirect from the file server', async () => {
    await sim();
    const task = await cloud.sendOtaCreate(GW, [dockDevice(dockFile, 'redirect/dock.bin')]);
    const end = await cloud.waitFor(isEnd(task), 'the end');
    expect(outputOf(end)).toMatchObject({ status: 'ok', sub_status: 'UPGRADE_SUCCESS' });
    expect(files.bytesSent('dock.bin')).toBe(dockFile.size);
  });

  it('answers 312014 to a second ota_create and to a redelivery of the first while it runs, and finishes the first', async () => {
    const s = await sim();
    const task = await cloud.sendOtaCreate(GW, [dockDevice()]);
    await cloud.waitFor((u) => cloud.progress(task).includes(u), 'the first progress');
    const second = await cloud.sendOtaCreate(GW, [dockDevice()]);
    expect(await cloud.sendOtaCreate(GW, [dockDevice()], task)).toEqual(task);
    const refused = await cloud.waitFor(replyTo(second), 'the second reply');
    expect(refused.json.data).toEqual({ result: 312014, output: { status: 'rejected' } });
    await expect.poll(() => cloud.servicesReplies(task).length).toBe(2);
    expect(cloud.servicesReplies(task).map(resultOf)).toEqual([0, 312014]);
    const end = await cloud.waitFor(isEnd(task), 'the end of the first');
    expect(outputOf(end).status).toBe('ok');
    expect(cloud.progress(second)).toEqual([]);
    expect(s.events.filter((e) => e.kind === 'end')).toHaveLength(1);
  });

  it('refuses malformed requests (312012), an aircraft it does not carry (312027) and other services (314000, 319038 while upgrading)', async () => {
    await sim();
    const cases: Array<[object[], number]> = [
      [[], 312012],
      [[dockDevice(dockFile, 'dock.bin', { md5: 'nothex' })], 312012],
      [[dockDevice(dockFile, 'dock.bin', { file_url: 'ftp://x/y' })], 312012],
      [[dockDevice(dockFile, 'dock.bin', { firmware_upgrade_type: 9 })], 312012],
      [[dockDevice(), { ...dockDevice(), sn: UAV }], 312027],
    ];
    for (const [devices, result] of cases) {
      const task = await cloud.sendOtaCreate(GW, devices);
      const reply = await cloud.waitFor(replyTo(task), `reply to ${JSON.stringify(devices).slice(0, 60)}`);
      expect((reply.json.data as { result: number }).result).toBe(result);
    }
    const idle = await cloud.sendService(GW, 'debug_mode_open', null);
    expect((await cloud.waitFor(replyTo(idle), 'debug reply')).json.data).toMatchObject({ result: 314000 });
    const task = await cloud.sendOtaCreate(GW, [dockDevice()]);
    await cloud.waitFor(replyTo(task), 'ota reply');
    const busy = await cloud.sendService(GW, 'cover_open', null);
    expect((await cloud.waitFor(replyTo(busy), 'cover reply')).json.data).toMatchObject({ result: 319038 });
  });
});

describe('failure scenarios', () => {
  it('download-fail: breaks the download off → failed / DOWNLOAD_FAILED with 312004, version unchanged', async () => {
    const large = files.addFile('large.bin', LARGE);
    const s = await sim({ scenario: 'download-fail' });
    const task = await cloud.sendOtaCreate(GW, [dockDevice(large, 'large.bin')]);
    const end = await cloud.waitFor(isEnd(task), 'the failure');
    expect(statusSequence(cloud.progress(task))).toEqual(['in_progress/DOWNLOADING', 'failed/DOWNLOAD_FAILED']);
    expect(end.json.data).toMatchObject({ result: 312004 });
    expect(percentOf(end)).toBeGreaterThanOrEqual(40);
    await expect.poll(() => files.brokenRequests()).toBe(1);
    expect(files.bytesSent('large.bin')).toBeLessThan(large.size);
    expect(s.firmwareVersions()[GW]).toBe('10.01.1612');
    const upgradeStatus = (u: Uplink) => (u.json.data as { firmware_upgrade_status?: number }).firmware_upgrade_status;
    await cloud.waitFor((u) => u.kind === 'state' && upgradeStatus(u) === 0 && cloud.uplinks.indexOf(u) > cloud.uplinks.indexOf(end), 'state after the failure');
  });

  it('a file server that answers 404 → DOWNLOAD_FAILED in any scenario, and the dock takes the next request', async () => {
    await sim();
    const task = await cloud.sendOtaCreate(GW, [dockDevice(dockFile, 'missing.bin')]);
    const end = await cloud.waitFor(isEnd(task), 'the failure');
    expect(outputOf(end)).toMatchObject({ status: 'failed', sub_status: 'DOWNLOAD_FAILED' });
    const next = await cloud.sendOtaCreate(GW, [dockDevice()]);
    expect(outputOf(await cloud.waitFor(isEnd(next), 'the retry')).status).toBe('ok');
  });

  it('md5-mismatch: downloads everything, then VERIFY → VERIFY_FAILED with 312003', async () => {
    const s = await sim({ scenario: 'md5-mismatch' });
    const task = await cloud.sendOtaCreate(GW, [dockDevice()]);
    const end = await cloud.waitFor(isEnd(task), 'the failure');
    expect(statusSequence(cloud.progress(task))).toEqual(['in_progress/DOWNLOADING', 'in_progress/DOWNLOAD_SUCCESS', 'in_progress/VERIFY', 'failed/VERIFY_FAILED']);
    expect(end.json.data).toMatchObject({ result: 312003 });
    expect(files.bytesSent('dock.bin')).toBe(dockFile.size);
    expect(s.events.find((e) => e.kind === 'end')).toMatchObject({ status: 'failed', reason: expect.stringContaining('MD5') });
    expect(s.firmwareVersions()[GW]).toBe('10.01.1612');
  });

  it('compares the real digest: a wrong md5 from the cloud fails verification in scenario ok', async () => {
    await sim();
    const wrong = (dockFile.md5[0] === 'a' ? 'b' : 'a') + dockFile.md5.slice(1);
    const task = await cloud.sendOtaCreate(GW, [dockDevice(dockFile, 'dock.bin', { md5: wrong.toUpperCase() })]);
    const end = await cloud.waitFor(isEnd(task), 'the failure');
    expect(outputOf(end)).toMatchObject({ status: 'failed', sub_status: 'VERIFY_FAILED' });
  });

  it('stall: stops reading and reporting part-way, stays busy, and lets go of the download on stop', async () => {
    const large = files.addFile('large.bin', BEYOND_BUFFERS);
    const s = await sim({ scenario: 'stall' });
    const task = await cloud.sendOtaCreate(GW, [dockDevice(large, 'large.bin')]);
    await expect.poll(() => s.events.some((e) => e.kind === 'progress' && e.percent >= 30)).toBe(true);
    const reported = s.events.filter((e) => e.kind === 'progress').length;
    const osdCount = () => cloud.uplinks.filter((u) => u.kind === 'osd').length;
    const tenMoreOsd = () => {
      const target = osdCount() + 10;
      return cloud.waitFor(() => osdCount() >= target, 'ten more osd frames');
    };
    // Once the socket buffers are full the server cannot send more: nobody reads. The kernel grows those
    // buffers for a while (autotuning, slower on a busy machine), so wait until the count holds still
    // across ten osd frames.
    let sent = -1;
    for (let round = 0; round < 10 && files.bytesSent('large.bin') !== sent; round++) {
      sent = files.bytesSent('large.bin');
      await tenMoreOsd();
    }
    expect(s.events.filter((e) => e.kind === 'progress').length).toBe(reported);
    expect(files.bytesSent('large.bin')).toBe(sent);
    expect(sent).toBeLessThan(large.size);
    expect(statusSequence(cloud.progress(task))).toEqual(['in_progress/DOWNLOADING']);
    const second = await cloud.sendOtaCreate(GW, [dockDevice()]);
    expect((await cloud.waitFor(replyTo(second), 'reply')).json.data).toMatchObject({ result: 312014 });
    await s.stop();
    await expect.poll(() => files.brokenRequests()).toBe(1);
  });
});

describe('scenario drone', () => {
  it('upgrades the dock and its aircraft in one ota_create, with UPLOADING_DRONE, and both versions change', async () => {
    const droneFile = files.addFile('uav.bin', 150_000);
    const s = await sim({ scenario: 'drone', drone: UAV, variant: 'step_int' });
    const task = await cloud.sendOtaCreate(GW, [
      dockDevice(),
      { sn: UAV, product_version: '10.02.0007', file_url: files.url('uav.bin'), md5: droneFile.md5, file_size: droneFile.size, file_name: 'uav.bin', firmware_upgrade_type: 3 },
    ]);
    await cloud.waitFor(isEnd(task), 'the end');
    expect(statusSequence(cloud.progress(task))).toEqual([
      'in_progress/DOWNLOADING',
      'in_progress/DOWNLOAD_SUCCESS',
      'in_progress/VERIFY',
      'in_progress/VERIFY_SUCCESS',
      'in_progress/UPLOADING_DRONE',
      'in_progress/UPGRADING',
      'ok/UPGRADE_SUCCESS',
    ]);
    const step2 = cloud
      .progress(task)
      .filter((e) => outputOf(e).progress.step === 2)
      .map(percentOf);
    expect(step2).toEqual([...step2].sort((a, b) => a - b));
    expect(files.bytesSent('dock.bin')).toBe(dockFile.size);
    expect(files.bytesSent('uav.bin')).toBe(droneFile.size);
    await cloud.waitFor(stateWith(GW, '10.02.0003'), 'dock version');
    await cloud.waitFor(stateWith(UAV, '10.02.0007'), 'drone version');
    expect(s.firmwareVersions()).toEqual({ [GW]: '10.02.0003', [UAV]: '10.02.0007' });
  });

  it('makes up an aircraft SN when none is given', async () => {
    const s = await sim({ scenario: 'drone' });
    // An SN of its own that can stand in a topic: not the dock's, no MQTT wildcard or separator.
    expect(s.drone).toMatch(/^[^/+#\s]+$/);
    expect(s.drone).not.toBe(GW);
    const topo = await cloud.waitFor((u) => u.kind === 'status', 'update_topo');
    expect((topo.json.data as { sub_devices: Array<{ sn: string }> }).sub_devices[0]?.sn).toBe(s.drone);
  });
});

describe('connection', () => {
  /** A TCP relay in front of the broker that keeps what the dock sent, to see whether DISCONNECT went out. */
  async function relay(): Promise<{ url: string; lastBytes: () => Buffer; closed: Promise<void>; close: () => void }> {
    const target = Number(new URL(h.broker.url).port);
    let received = Buffer.alloc(0);
    let onClosed!: () => void;
    const closed = new Promise<void>((r) => (onClosed = r));
    const server = net.createServer((c) => {
      const up = net.connect(target, '127.0.0.1');
      c.on('data', (d) => {
        received = Buffer.concat([received, d]);
        up.write(d);
      });
      up.pipe(c);
      c.on('close', () => {
        up.destroy();
        onClosed();
      });
      up.on('close', () => c.destroy());
      c.on('error', () => undefined);
      up.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    return { url: `mqtt://127.0.0.1:${port}`, lastBytes: () => received.subarray(-2), closed, close: () => server.close() };
  }

  it('stop() ends with an MQTT DISCONNECT; crash() and offline() drop the connection without one', async () => {
    for (const how of ['stop', 'crash', 'offline'] as const) {
      const tap = await relay();
      const s = await startDockSim({ brokerUrl: tap.url, gateway: `DOCK-${how}`, ...FAST });
      if (how === 'stop') await s.stop();
      else if (how === 'crash') s.crash();
      else await s.offline();
      await tap.closed;
      tap.close();
      if (how === 'offline') await s.stop();
      const endedWithDisconnect = tap.lastBytes().equals(Buffer.from([0xe0, 0x00]));
      expect(endedWithDisconnect).toBe(how === 'stop');
    }
  });

  it('rejects with a clear reason when no broker answers', async () => {
    await expect(startDockSim({ brokerUrl: 'mqtt://127.0.0.1:1', gateway: GW, connectTimeoutMs: 300 })).rejects.toThrow(/could not reach the broker/);
  });

  it('refuses a scenario it does not know and SNs that cannot be in a topic', async () => {
    await expect(startDockSim({ brokerUrl: h.broker.url, gateway: GW, scenario: 'nope' as 'ok' })).rejects.toThrow(/unknown scenario/);
    await expect(startDockSim({ brokerUrl: h.broker.url, gateway: 'a/b' })).rejects.toThrow(/MQTT topic/);
  });

  it('reconnects when the broker restarts on the same port mid-download and carries on with the upgrade', async () => {
    const big = files.addFile('big.bin', 400_000);
    const s = await sim({ variant: 'step_key', downloadBytesPerSec: 300_000, reconnectPeriodMs: 100 });
    const states: string[] = [];
    s.on('connection', (st) => states.push(st));
    const task = await cloud.sendOtaCreate(GW, [dockDevice(big, 'big.bin')]);
    await cloud.waitFor((u) => cloud.progress(task).includes(u) && percentOf(u) >= 10, 'download under way');
    const before = Math.max(...cloud.progress(task).map(percentOf));
    const topoCount = () => cloud.uplinks.filter((u) => u.kind === 'status').length;
    const toposBefore = topoCount();
    await h.broker.stop();
    await expect.poll(() => states.includes('offline')).toBe(true);
    h.broker = await startAedes(h.broker.port);
    await expect.poll(() => states.at(-1), { timeout: 10_000 }).toBe('connected');
    const end = await cloud.waitFor(isEnd(task), 'the end after the restart');
    expect(outputOf(end).status).toBe('ok');
    const after = cloud.progress(task).filter((e) => outputOf(e).sub_status === 'DOWNLOADING' && percentOf(e) > before);
    expect(after.length).toBeGreaterThan(0);
    expect(files.bytesSent('big.bin')).toBe(big.size);
    await cloud.waitFor(() => topoCount() > toposBefore, 'a fresh update_topo after reconnecting');
    expect(s.firmwareVersions()[GW]).toBe('10.02.0003');
  });
});
