// The dock simulator against Debian's mosquitto and the app's own firmware file server: the pairing a site
// laptop runs, including a broker that goes away mid-download and comes back on the same port.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FirmwareCatalogue, type FirmwareEntry } from '../../main/firmware/catalogue';
import { FileGrants } from '../../main/firmware/file-grants';
import { startFileServer, type FileServer } from '../../main/firmware/file-server';
import { startMosquitto, type TestBroker } from '../../test-support/brokers';
import { startDockSim, type ConnectionState, type DockSim } from './dock-sim';
import { outputOf, percentOf, startCloudClient, statusSequence, type CloudClient, type Uplink } from './testing/cloud-client';

const GW = 'DOCKMOSQ0001';
const UAV = 'UAVMOSQ0001';

let broker: TestBroker;
let server: FileServer;
let catalogue: FirmwareCatalogue;
let cloud: CloudClient;
let dir: string;
let grants: FileGrants;
let sim: DockSim | undefined;

beforeEach(async () => {
  broker = await startMosquitto();
  dir = mkdtempSync(join(tmpdir(), 'dockside-simfw-'));
  catalogue = new FirmwareCatalogue();
  grants = new FileGrants();
  server = await startFileServer({ host: '127.0.0.1', catalogue, grants });
  cloud = await startCloudClient(broker.url, { clientId: 'cloud-mosquitto-test' });
});

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
  await cloud.close();
  await server.close();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function firmware(name: string, size: number): Promise<FirmwareEntry & { md5: string }> {
  const path = join(dir, name);
  writeFileSync(path, randomBytes(size));
  const entry = await catalogue.add(path);
  return entry as FirmwareEntry & { md5: string };
}

async function device(sn: string, entry: FirmwareEntry & { md5: string }, version: string) {
  return { sn, product_version: version, file_url: await server.urlFor(grants.grant(entry.id, sn, 'task'), '127.0.0.1'), md5: entry.md5, file_size: entry.size, file_name: entry.fileName, firmware_upgrade_type: 3 };
}

const isEnd = (tid: string) => (u: Uplink) => u.kind === 'events' && u.envelope?.tid === tid && outputOf(u).status !== 'in_progress';

it('upgrades a dock and its aircraft from the app\'s file server, which counts every byte per device', async () => {
  const dockFw = await firmware('Dock2_V10.02.0100.bin', 300_000);
  const droneFw = await firmware('M3D_V10.02.0200.bin', 200_000);
  sim = await startDockSim({ brokerUrl: broker.url, gateway: GW, drone: UAV, scenario: 'drone', progressIntervalMs: 25, stateIntervalMs: 50 });
  const tid = await cloud.sendOtaCreate(GW, [await device(GW, dockFw, '10.02.0100'), await device(UAV, droneFw, '10.02.0200')]);
  const end = await cloud.waitFor(isEnd(tid), 'the end of the upgrade');
  expect(outputOf(end)).toMatchObject({ status: 'ok', sub_status: 'UPGRADE_SUCCESS' });
  expect(statusSequence(cloud.progress(tid))).toContain('in_progress/UPLOADING_DRONE');
  const bytesOf = (sn: string) => Object.values(server.served().grants).find((g) => g.device === sn)?.bytes;
  await expect.poll(() => bytesOf(GW)).toBe(dockFw.size);
  expect(bytesOf(UAV)).toBe(droneFw.size);
  expect(sim.firmwareVersions()).toEqual({ [GW]: '10.02.0100', [UAV]: '10.02.0200' });
  await cloud.waitFor((u) => u.kind === 'state' && u.sn === UAV && (u.json.data as { firmware_version: string }).firmware_version === '10.02.0200', 'drone state');
});

it('keeps upgrading through a mosquitto restart on the same port mid-download', async () => {
  const fw = await firmware('Dock2_V10.02.0300.bin', 400_000);
  const states: ConnectionState[] = [];
  sim = await startDockSim({
    brokerUrl: broker.url,
    gateway: GW,
    progressIntervalMs: 25,
    stateIntervalMs: 50,
    downloadBytesPerSec: 250_000,
    reconnectPeriodMs: 100,
    variant: 'current_step_int',
  });
  sim.on('connection', (s) => states.push(s));
  const sentWhileOffline: number[] = [];
  sim.on('ota', (e) => {
    if (e.kind === 'progress' && states.at(-1) === 'offline') sentWhileOffline.push(e.percent);
  });
  const tid = await cloud.sendOtaCreate(GW, [await device(GW, fw, '10.02.0300')]);
  await cloud.waitFor((u) => cloud.progress(tid).includes(u) && percentOf(u) >= 10, 'the download under way');
  const before = Math.max(...cloud.progress(tid).map(percentOf));

  await broker.stop();
  await expect.poll(() => states.includes('offline')).toBe(true);
  await expect.poll(() => sentWhileOffline.length).toBeGreaterThan(0);
  broker = await startMosquitto(broker.port);
  await expect.poll(() => states.at(-1), { timeout: 10_000 }).toBe('connected');

  const end = await cloud.waitFor(isEnd(tid), 'the end after the restart');
  expect(outputOf(end).status).toBe('ok');
  const later = cloud.progress(tid).filter((e) => outputOf(e).sub_status === 'DOWNLOADING' && percentOf(e) > before);
  expect(later.length).toBeGreaterThan(0);
  await expect.poll(() => Object.values(server.served().grants).find((g) => g.device === GW)?.bytes).toBe(fw.size);
  expect(sim.firmwareVersions()[GW]).toBe('10.02.0300');
});
