// The upgrade service against docks behaving as the DJI documents allow, message by message. The dock's
// messages are JSON text shaped like spec 004 and read by the real envelope decoder; only the clock is
// ours to move (monotonic and wall clock separately, to show a clock jump changes nothing).
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeviceUpgrade, UpgradeEvent } from '../../preload/api';
import { decodeEnvelope, type Envelope } from '../../wire/dji/envelope';
import { DeviceRegistry } from '../gateway/device-registry';
import { NotConnectedError, type UplinkMessage } from '../gateway/gateway-client';
import type { Served } from './row-figures';
import { UpgradeService, type UpgradeFirmware } from './upgrade-service';

const FW: Record<string, UpgradeFirmware> = {
  dock: { id: 'dock', fileName: 'Dock2_V10.01.1700.bin', size: 1000, md5: 'd1c9dacec124abd350379eb44b9143e5', version: '10.01.1700' },
  drone: { id: 'drone', fileName: 'M3D_V10.01.1710.bin', size: 500, md5: 'a1c9dacec124abd350379eb44b9143e5', version: '10.01.1710' },
};

let mono: number;
let wall: number;
let svc: UpgradeService;
let registry: DeviceRegistry;
let sent: { gateway: string; envelope: Envelope }[];
let events: UpgradeEvent[];
let connected: boolean;
let ended: string[];
let renewed: string[];
const served = new Map<string, Served>();

function rows(): DeviceUpgrade[] {
  return svc.list();
}
const row = (sn: string) => rows().find((r) => r.sn === sn)!;

/** A message as a dock puts it on the wire, through the real decoder. */
function hear(kind: UplinkMessage['kind'], sn: string, message: Record<string, unknown>): void {
  const decoded = decodeEnvelope(JSON.stringify({ timestamp: wall, ...message }));
  if (!decoded.ok) throw new Error(decoded.error.reason);
  const msg: UplinkMessage = { kind, sn, topic: `thing/product/${sn}/${kind}`, envelope: decoded.envelope };
  registry.handle(msg);
  svc.handle(msg);
}

const progress = (gateway: string, bid: string, output: Record<string, unknown>, tid: string = crypto.randomUUID()) =>
  hear('events', gateway, { bid, tid, method: 'ota_progress', need_reply: 1, data: { result: 0, output } });
const downloading = (percent: number) => ({ status: 'in_progress', sub_status: 'DOWNLOADING', progress: { percent, step_key: 'download_firmware' } });
const upgrading = (percent: number) => ({ status: 'in_progress', progress: { percent, step_key: 'upgrade_firmware' } });
const state = (sn: string, data: Record<string, unknown>) => hear('state', sn, { tid: crypto.randomUUID(), bid: crypto.randomUUID(), gateway: sn, data });
const osd = (sn: string, data: Record<string, unknown>) => hear('osd', sn, { tid: crypto.randomUUID(), bid: crypto.randomUUID(), gateway: sn, data });

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

/** Moves both clocks and lets the service look at the time. */
function advance(ms: number): void {
  mono += ms;
  wall += ms;
  svc.tick();
}

function lastCreate(): Envelope<{ devices: { sn: string; file_url: string; product_version: string }[] }> {
  return sent.filter((s) => s.envelope.method === 'ota_create').at(-1)!.envelope as Envelope<{ devices: { sn: string; file_url: string; product_version: string }[] }>;
}

async function startOn(gateway: string, devices: { sn: string; firmwareId: string }[] = [{ sn: gateway, firmwareId: 'dock' }]) {
  const result = svc.start({ devices, type: 'regular', gateway, failedGates: 'hold' });
  await flush();
  return { result, create: lastCreate() };
}

/** The dock accepts: services_reply with the request's tid. */
function accept(gateway: string, create: Envelope): void {
  hear('services_reply', gateway, { bid: create.bid, tid: create.tid, method: 'ota_create', data: { result: 0, output: { status: 'sent' } } });
}

beforeEach(() => {
  mono = 1_000;
  wall = Date.parse('2026-12-05T10:00:00Z');
  sent = [];
  events = [];
  ended = [];
  renewed = [];
  connected = true;
  served.clear();
  registry = new DeviceRegistry(60_000, () => mono);
  svc = new UpgradeService(
    {
      publish: async (gateway, envelope) => {
        if (!connected) throw new NotConnectedError('not connected to a broker');
        sent.push({ gateway, envelope });
      },
      firmware: (id) => FW[id],
      fileUrl: async ({ device, task }) => `http://127.0.0.1:8443/fw/${task.replace(/-/g, '')}/${device}.bin`,
      endFiles: (task) => ended.push(task),
      renewFiles: (task) => renewed.push(task),
      served: () => (task, device) => served.get(`${task}/${device}`) ?? { bytes: 0, speed: 0, seconds: 0 },
      device: (sn) => registry.get(sn),
      telemetry: (sn) => registry.telemetry(sn),
    },
    { watchdogMs: 120_000, rebootMs: 900_000, replyTimeoutMs: 10_000, sendAttempts: 3, verifyTimeoutMs: 600_000, concurrency: 8, tickMs: 3_600_000 },
    { now: () => mono, wall: () => wall },
  );
  svc.on('event', (e) => events.push(e));
  state('DOCK1', { firmware_version: '10.01.1612' });
});

describe('following a task the way docks report it', () => {
  it('a dock that puts a fresh tid on every event and keeps the bid is followed to a verified end', async () => {
    const { create } = await startOn('DOCK1');
    expect(create.data.devices).toMatchObject([{ sn: 'DOCK1', product_version: '10.01.1700' }]);
    accept('DOCK1', create);
    progress('DOCK1', create.bid, downloading(40));
    expect(row('DOCK1')).toMatchObject({ status: 'in_progress', step: 'download', percent: 40, bid: create.bid, tid: create.tid });
    progress('DOCK1', create.bid, upgrading(60));
    progress('DOCK1', create.bid, { status: 'ok', progress: { percent: 100, step_key: 'upgrade_firmware' } });
    expect(row('DOCK1')).toMatchObject({ status: 'verifying', verified: false });
    state('DOCK1', { firmware_version: '10.01.1700' });
    expect(row('DOCK1')).toMatchObject({ status: 'ok', verified: true, percent: 100 });
    // Every event of the task carries the ota_create's tid as its campaign, whatever tid the dock used.
    expect(new Set(events.filter((e) => e.device === 'DOCK1').map((e) => e.campaign))).toEqual(new Set([create.tid]));
    expect(events.at(-1)).toMatchObject({ phase: 'done', state: 'succeeded', message: 'verified: DOCK1 reports firmware_version 10.01.1700' });
    expect(ended).toEqual([create.bid]);
  });

  it('a dock that repeats the ota_create tid and a fresh bid is followed by tid', async () => {
    const { create } = await startOn('DOCK1');
    accept('DOCK1', create);
    progress('DOCK1', 'a-bid-of-its-own', downloading(30), create.tid);
    expect(row('DOCK1')).toMatchObject({ status: 'in_progress', percent: 30 });
  });

  it("a dock that names neither is followed by its gateway, as DJI's sample server does", async () => {
    const { create } = await startOn('DOCK1');
    accept('DOCK1', create);
    progress('DOCK1', 'its-own-bid', downloading(55));
    expect(row('DOCK1')).toMatchObject({ status: 'in_progress', percent: 55 });
  });

  it("progress naming our task on another gateway's topic is logged as foreign and never applied", async () => {
    const { create } = await startOn('DOCK1');
    accept('DOCK1', create);
    progress('EVIL', create.bid, { status: 'ok', progress: { percent: 100 } }, create.tid);
    expect(row('DOCK1')).toMatchObject({ status: 'sent', percent: 0 });
    expect(events.at(-1)).toMatchObject({ device: 'EVIL', message: expect.stringContaining(`not applied, it names task ${create.bid} of gateway DOCK1 but came on EVIL's topic`) });
    hear('services_reply', 'EVIL', { bid: create.bid, tid: create.tid, method: 'ota_create', data: { result: 312015 } });
    expect(row('DOCK1').status).toBe('sent');
  });

  it('progress of a task Dockside did not start is logged and attached to no row', () => {
    progress('DOCK7', 'flighthub-task', downloading(10));
    expect(rows()).toEqual([]);
    expect(events.at(-1)).toMatchObject({ device: 'DOCK7', campaign: 'flighthub-task', message: expect.stringContaining('not applied, no upgrade of ours is running on DOCK7') });
  });
});

describe('reboots and verification', () => {
  it('a dock that restarts after installing and comes back on the new version, with no ok, is upgraded', async () => {
    const { create } = await startOn('DOCK1');
    accept('DOCK1', create);
    progress('DOCK1', create.bid, downloading(100));
    progress('DOCK1', create.bid, upgrading(80));
    osd('DOCK1', { mode_code: 3 });
    advance(5 * 60_000); // silent for longer than --timeout: it is restarting
    expect(row('DOCK1').status).toBe('in_progress');
    state('DOCK1', { firmware_version: '10.01.1700', firmware_upgrade_status: 0 });
    expect(row('DOCK1')).toMatchObject({ status: 'ok', verified: true });
    expect(events.at(-1)!.message).toBe('verified: DOCK1 reports firmware_version 10.01.1700 (no ok event needed: the device itself says so)');
  });

  it('"upgrading" telemetry keeps an installing dock alive past the reboot limit; a stalled download times out whatever telemetry says', async () => {
    const { create } = await startOn('DOCK1');
    accept('DOCK1', create);
    progress('DOCK1', create.bid, upgrading(20));
    for (let i = 0; i < 4; i++) {
      advance(600_000);
      osd('DOCK1', { mode_code: 3 });
    }
    expect(row('DOCK1').status).toBe('in_progress');

    state('DOCK2', { firmware_version: '10.01.1612' });
    const second = await startOn('DOCK2', [{ sn: 'DOCK2', firmwareId: 'dock' }]);
    accept('DOCK2', second.create);
    progress('DOCK2', second.create.bid, downloading(30));
    advance(60_000);
    osd('DOCK2', { mode_code: 3 });
    advance(61_000);
    expect(row('DOCK2')).toMatchObject({ status: 'timeout', reason: 'no word from the dock for 120 s while downloading' });
  });

  it('bytes leaving the file server keep a download alive without progress events', async () => {
    const { create } = await startOn('DOCK1');
    accept('DOCK1', create);
    progress('DOCK1', create.bid, downloading(5));
    for (let bytes = 100; bytes <= 500; bytes += 100) {
      served.set(`${create.bid}/DOCK1`, { bytes, speed: 100, seconds: bytes / 100 });
      advance(100_000);
    }
    expect(row('DOCK1')).toMatchObject({ status: 'in_progress', bytesServed: 500 });
  });

  it('a dock silent past the reboot limit times out, and turns ok when found on the new version later', async () => {
    const { create } = await startOn('DOCK1');
    accept('DOCK1', create);
    progress('DOCK1', create.bid, upgrading(50));
    advance(900_001);
    expect(row('DOCK1')).toMatchObject({ status: 'timeout', reason: expect.stringContaining('no word from the dock for 900 s while installing') });
    state('DOCK1', { firmware_version: '10.01.1700' });
    expect(row('DOCK1')).toMatchObject({ status: 'ok', verified: true });
    expect(row('DOCK1').reason).toBeUndefined();
  });

  it('a dock that reports it is upgrading after a timeout while installing is followed again', async () => {
    const { create } = await startOn('DOCK1');
    accept('DOCK1', create);
    progress('DOCK1', create.bid, upgrading(50));
    advance(900_001);
    expect(row('DOCK1').status).toBe('timeout');
    osd('DOCK1', { mode_code: 3 });
    expect(row('DOCK1').status).toBe('in_progress');
    expect(renewed).toEqual([create.bid]);
  });

  it('ok without the new version within the verify limit ends "not verified", a failure; the version arriving later makes it ok', async () => {
    const { create } = await startOn('DOCK1');
    accept('DOCK1', create);
    progress('DOCK1', create.bid, { status: 'ok', progress: { percent: 100, step_key: 'upgrade_firmware' } });
    advance(599_000);
    expect(row('DOCK1').status).toBe('verifying');
    advance(2_000);
    expect(row('DOCK1')).toMatchObject({ status: 'not_verified', verified: false, reason: 'the dock said ok, but the device did not report firmware_version 10.01.1700 within 600 s' });
    expect(events.at(-1)).toMatchObject({ state: 'failed', message: expect.stringContaining('not verified: the dock said ok') });
    state('DOCK1', { firmware_version: '10.01.1700' });
    expect(row('DOCK1').status).toBe('ok');
  });

  it('a dock that says ok but keeps its old version is not verified, with the version it reports', async () => {
    const { create } = await startOn('DOCK1');
    accept('DOCK1', create);
    progress('DOCK1', create.bid, { status: 'ok', progress: { percent: 100 } });
    state('DOCK1', { firmware_version: '10.01.1612' });
    advance(600_001);
    expect(row('DOCK1')).toMatchObject({ status: 'not_verified', reason: 'reports firmware_version 10.01.1612, expected 10.01.1700' });
  });

  it('a device already on the target version proves nothing until the dock said ok', async () => {
    state('DOCK1', { firmware_version: '10.01.1700' });
    const { create } = await startOn('DOCK1');
    expect(row('DOCK1').fromVersion).toBe('10.01.1700');
    accept('DOCK1', create);
    progress('DOCK1', create.bid, upgrading(10));
    state('DOCK1', { firmware_version: '10.01.1700' });
    expect(row('DOCK1').status).toBe('in_progress');
    progress('DOCK1', create.bid, { status: 'ok', progress: { percent: 100 } });
    state('DOCK1', { firmware_version: '10.01.1700' });
    expect(row('DOCK1').status).toBe('ok');
  });

  it('a clock set forward by an hour times nothing out: only monotonic time counts', async () => {
    const { create } = await startOn('DOCK1');
    accept('DOCK1', create);
    progress('DOCK1', create.bid, downloading(10));
    wall += 3_600_000;
    svc.tick();
    expect(row('DOCK1').status).toBe('in_progress');
  });
});

describe('sending ota_create', () => {
  it('tries at QoS 0 a few times with a fresh tid under one bid, then gives up and sends nothing more', async () => {
    const { create } = await startOn('DOCK1');
    advance(10_001);
    advance(10_001);
    const creates = sent.filter((s) => s.envelope.method === 'ota_create').map((s) => s.envelope);
    expect(creates).toHaveLength(3);
    expect(new Set(creates.map((c) => c.bid))).toEqual(new Set([create.bid]));
    expect(new Set(creates.map((c) => c.tid)).size).toBe(3);
    advance(10_001);
    expect(row('DOCK1')).toMatchObject({ status: 'timeout', reason: 'no services_reply to ota_create after 3 tries 10 s apart' });
    advance(60_000);
    expect(sent.filter((s) => s.envelope.method === 'ota_create')).toHaveLength(3);
    // A reply to the second try, arriving late, is still recognised as ours.
    hear('services_reply', 'DOCK1', { bid: create.bid, tid: creates[1]!.tid, method: 'ota_create', data: { result: 0, output: { status: 'sent' } } });
    expect(events.at(-1)!.message).not.toContain('unknown tid');
  });

  it('attaches instead of sending again when the dock reports it is upgrading', async () => {
    await startOn('DOCK1');
    osd('DOCK1', { mode_code: 3 });
    advance(10_001);
    expect(sent.filter((s) => s.envelope.method === 'ota_create')).toHaveLength(1);
    expect(row('DOCK1').status).toBe('in_progress');
    expect(events.some((e) => e.message.includes('reports it is upgrading: following that upgrade instead of sending again'))).toBe(true);
  });

  it('a retry answered 312014 follows the first try the dock had taken', async () => {
    await startOn('DOCK1');
    advance(10_001);
    const second = lastCreate();
    hear('services_reply', 'DOCK1', { bid: second.bid, tid: second.tid, method: 'ota_create', data: { result: 312014, output: { status: 'rejected' } } });
    expect(row('DOCK1').status).toBe('in_progress');
    progress('DOCK1', second.bid, downloading(20));
    expect(row('DOCK1').percent).toBe(20);
  });

  it('a try that cannot leave (no connection) is said, and the next one goes once the broker is back', async () => {
    connected = false;
    svc.start({ devices: [{ sn: 'DOCK1', firmwareId: 'dock' }], type: 'regular', gateway: 'DOCK1', failedGates: 'hold' });
    await flush();
    expect(events.some((e) => e.message === 'ota_create try 1 could not leave: not connected to a broker')).toBe(true);
    connected = true;
    advance(10_001);
    await flush();
    const create = lastCreate();
    accept('DOCK1', create);
    expect(row('DOCK1').status).toBe('sent');
  });

  it('a dock and its aircraft each get their own package in one ota_create', async () => {
    const { create } = await startOn('DOCK1', [
      { sn: 'DOCK1', firmwareId: 'dock' },
      { sn: 'UAV1', firmwareId: 'drone' },
    ]);
    expect(create.data.devices.map((d) => [d.sn, d.product_version])).toEqual([
      ['DOCK1', '10.01.1700'],
      ['UAV1', '10.01.1710'],
    ]);
    expect(new Set(create.data.devices.map((d) => d.file_url)).size).toBe(2);
  });
});

describe('health alerts and retries', () => {
  it('hms alerts show on the row they are about and in the log, with code and level', async () => {
    const { create } = await startOn('DOCK1', [
      { sn: 'DOCK1', firmwareId: 'dock' },
      { sn: 'UAV1', firmwareId: 'drone' },
    ]);
    accept('DOCK1', create);
    hear('events', 'DOCK1', {
      bid: 'b',
      tid: 't',
      method: 'hms',
      data: {
        list: [
          { level: 2, module: 3, in_the_sky: 0, code: '0x16100083', device_type: '0-91-0', imminent: 1, args: {} },
          { level: 1, module: 1, in_the_sky: 0, code: '0x1B010002', device_type: '3-2-0', imminent: 0, args: {} },
        ],
      },
    });
    expect(row('UAV1').alerts).toMatchObject([{ code: '0x16100083', level: 2, words: 'warning 0x16100083 (module hms, device 0-91-0)' }]);
    expect(row('DOCK1').alerts).toMatchObject([{ code: '0x1B010002', level: 1 }]);
    expect(events.filter((e) => e.message.startsWith('health alert from DOCK1')).map((e) => [e.device, e.campaign])).toEqual([
      ['UAV1', create.tid],
      ['DOCK1', create.tid],
    ]);
  });

  it("a retry is the next attempt of the same row; the earlier attempt's late messages are noted, never applied", async () => {
    const { create } = await startOn('DOCK1');
    hear('services_reply', 'DOCK1', { bid: create.bid, tid: create.tid, method: 'ota_create', data: { result: 312015 } });
    const failed = row('DOCK1');
    expect(failed).toMatchObject({ status: 'rejected', attempt: 1 });
    svc.retry(failed.key);
    await flush();
    const again = lastCreate();
    expect(again.bid).not.toBe(create.bid);
    expect(row('DOCK1')).toMatchObject({ key: failed.key, attempt: 2, status: 'sent', bid: again.bid });
    progress('DOCK1', create.bid, { status: 'failed', progress: { percent: 0 } });
    expect(row('DOCK1').status).toBe('sent');
    expect(events.at(-1)!.message).toContain(`not applied, it belongs to an earlier attempt (task ${create.bid})`);
    expect(() => svc.retry(failed.key)).toThrow('only an upgrade that ended without success can be retried (this one is sent)');
  });
});
