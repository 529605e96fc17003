// The dock simulator against Debian's mosquitto: the broker a site runs. One test pairs it with the app's own
// firmware file server (its per-device byte counts are what the Progress view shows); the others use the
// simulator's test file server: a broker that goes away mid-download, and a dock that restarts to apply firmware
// and comes back into the session mosquitto kept for it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FirmwareCatalogue, type FirmwareEntry } from '../../main/firmware/catalogue';
import { FileGrants } from '../../main/firmware/file-grants';
import { startFileServer } from '../../main/firmware/file-server';
import { startMosquitto, type TestBroker } from '../../test-support/brokers';
import { startDockSim, type ConnectionState, type DockSim, type DockSimOptions, type OtaSimEvent } from './dock-sim';
import { isEnd, outputOf, percentOf, startCloudClient, statusSequence, type CloudClient, type Uplink } from '../../test-support/cloud-client';
import { startFirmwareServer, type FirmwareServer } from '../../test-support/firmware-server';

const GW = 'DOCKMOSQ0001';
const UAV = 'UAVMOSQ0001';

let broker: TestBroker;
let files: FirmwareServer;
let cloud: CloudClient;
let sim: DockSim | undefined;

beforeEach(async () => {
  broker = await startMosquitto();
  files = await startFirmwareServer();
  cloud = await startCloudClient(broker.url, { clientId: 'cloud-mosquitto-test' });
});

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
  await cloud.close();
  await files.close();
  await broker.stop();
});

async function dock(opts: Partial<DockSimOptions>): Promise<DockSim> {
  sim = await startDockSim({ brokerUrl: broker.url, gateway: GW, progressIntervalMs: 25, stateIntervalMs: 50, ...opts });
  return sim;
}

function device(sn: string, name: string, version: string) {
  const file = files.addFile(name, 200_000);
  return { sn, product_version: version, file_url: files.url(name), md5: file.md5, file_size: file.size, file_name: name, firmware_upgrade_type: 3 };
}

const versionOn = (sn: string) => (u: Uplink) => (u.kind === 'state' && u.sn === sn ? (u.json.data as { firmware_version: string }).firmware_version : undefined);

it("upgrades a dock and its aircraft from the app's file server, which counts every byte per device", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dockside-simfw-'));
  const catalogue = new FirmwareCatalogue();
  const grants = new FileGrants();
  const server = await startFileServer({ host: '127.0.0.1', catalogue, grants });
  try {
    const entry = async (name: string, size: number) => {
      writeFileSync(join(dir, name), randomBytes(size));
      return (await catalogue.add(join(dir, name))) as FirmwareEntry & { md5: string };
    };
    const [dockFw, droneFw] = [await entry('Dock2_V10.02.0100.bin', 300_000), await entry('M3D_V10.02.0200.bin', 200_000)];
    const fileOf = async (sn: string, fw: FirmwareEntry & { md5: string }, version: string) => ({
      sn,
      product_version: version,
      file_url: await server.urlFor(grants.grant(fw.id, sn, 'task'), '127.0.0.1'),
      md5: fw.md5,
      file_size: fw.size,
      file_name: fw.fileName,
      firmware_upgrade_type: 3,
    });
    await dock({ drone: UAV, scenario: 'drone' });
    const task = await cloud.sendOtaCreate(GW, [await fileOf(GW, dockFw, '10.02.0100'), await fileOf(UAV, droneFw, '10.02.0200')]);
    const end = await cloud.waitFor(isEnd(task), 'the end of the upgrade');
    expect(outputOf(end)).toMatchObject({ status: 'ok', sub_status: 'UPGRADE_SUCCESS' });
    expect(statusSequence(cloud.progress(task))).toContain('in_progress/UPLOADING_DRONE');
    const bytesOf = (sn: string) => Object.values(server.served().grants).find((g) => g.device === sn)?.bytes;
    await expect.poll(() => bytesOf(GW)).toBe(dockFw.size);
    expect(bytesOf(UAV)).toBe(droneFw.size);
    expect(sim!.firmwareVersions()).toEqual({ [GW]: '10.02.0100', [UAV]: '10.02.0200' });
    await cloud.waitFor((u) => versionOn(UAV)(u) === '10.02.0200', 'drone state');
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('keeps upgrading through a mosquitto restart on the same port mid-download', async () => {
  const states: ConnectionState[] = [];
  const s = await dock({ downloadBytesPerSec: 250_000, reconnectPeriodMs: 100, variant: 'current_step_int' });
  s.on('connection', (st) => states.push(st));
  const sentWhileOffline: number[] = [];
  s.on('ota', (e) => {
    if (e.kind === 'progress' && states.at(-1) === 'offline') sentWhileOffline.push(e.percent);
  });
  const task = await cloud.sendOtaCreate(GW, [device(GW, 'Dock2_V10.02.0300.bin', '10.02.0300')]);
  await cloud.waitFor((u) => cloud.progress(task).includes(u) && percentOf(u) >= 10, 'the download under way');
  const before = Math.max(...cloud.progress(task).map(percentOf));

  await broker.stop();
  await expect.poll(() => states.includes('offline')).toBe(true);
  await expect.poll(() => sentWhileOffline.length).toBeGreaterThan(0);
  broker = await startMosquitto(broker.port);
  await expect.poll(() => states.at(-1), { timeout: 10_000 }).toBe('connected');

  const end = await cloud.waitFor(isEnd(task), 'the end after the restart');
  expect(outputOf(end).status).toBe('ok');
  const later = cloud.progress(task).filter((e) => outputOf(e).sub_status === 'DOWNLOADING' && percentOf(e) > before);
  expect(later.length).toBeGreaterThan(0);
  expect(files.bytesSent('Dock2_V10.02.0300.bin')).toBe(200_000);
  expect(s.firmwareVersions()[GW]).toBe('10.02.0300');
});

it('reboots to apply: drops off without DISCONNECT, comes back into its kept session on the new version, no ok', async () => {
  const events: OtaSimEvent[] = [];
  const s = await dock({ reboot: { offlineMs: 1500 }, subStatus: false });
  s.on('ota', (e) => events.push(e));
  const task = await cloud.sendOtaCreate(GW, [device(GW, 'Dock2_V10.02.0400.bin', '10.02.0400')]);
  await expect.poll(() => events.some((e) => e.kind === 'reboot'), { timeout: 10_000 }).toBe(true);
  const wentAt = cloud.uplinks.length;
  // While the dock is away, the broker keeps what is sent to it (clean=false, QoS 1 subscriptions).
  const late = await cloud.sendService(GW, 'debug_mode_open', null);
  await cloud.waitFor((u) => versionOn(GW)(u) === '10.02.0400', 'the new version after the restart', 10_000);
  const after = cloud.uplinks.slice(wentAt);
  expect(after.find((u) => u.kind === 'status')?.envelope?.method).toBe('update_topo');
  await expect.poll(() => s.received().some((m) => m.envelope.tid === late.tid)).toBe(true);
  await expect.poll(() => events.some((e) => e.kind === 'end')).toBe(true);
  expect(events.find((e) => e.kind === 'end')).toMatchObject({ status: 'ok', reported: false });
  expect(cloud.progress(task).map((e) => outputOf(e).status)).not.toContain('ok');
  expect(cloud.progress(task).every((e) => !('sub_status' in outputOf(e)))).toBe(true);
});
