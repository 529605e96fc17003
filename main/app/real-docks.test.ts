// The core against docks as they behave in the field, over real brokers: a dock that is away when its
// ota_create is sent, Dockside restarting in the middle of a download, and a dock on the LAN of the
// built-in broker. Each test shows what a field technician would otherwise have met.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { DeviceUpgrade } from '../../preload/api';
import { startDockSim, type DockSim } from '../../sim/dji-dock/dock-sim';
import { startMosquitto, type TestBroker } from '../../test-support/brokers';
import { encodeEnvelope, newEnvelope } from '../../wire/dji/envelope';
import { topics } from '../../wire/dji/topics';
import { lanAddresses } from '../firmware/lan-address';
import { createAppCore, type AppCore } from './app-core';

let dir: string;
let broker: TestBroker;
const sims: DockSim[] = [];
const cores: AppCore[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-realdocks-'));
  broker = await startMosquitto();
});

afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function core(dataDir: string, extra: Parameters<typeof createAppCore>[0] extends infer O ? Partial<O> : never = {}): Promise<AppCore> {
  const c = await createAppCore({ dataDir, brokerUrl: broker.url, host: 'web', timings: { tickMs: 50 }, ...extra });
  cores.push(c);
  await until(() => c.gateway.status.state === 'connected');
  return c;
}

function firmware(name: string, size: number): string {
  const path = join(dir, name);
  writeFileSync(path, randomBytes(size));
  return path;
}

const row = (c: AppCore, sn: string): DeviceUpgrade | undefined => c.upgrades.list().find((r) => r.sn === sn);
const creates = (s: DockSim) => s.received().filter((m) => m.envelope.method === 'ota_create');

describe('real docks, over real brokers', () => {
  it('never lets an ota_create reach a dock after giving up on it, though the dock kept its session while away', async () => {
    const c = await core(join(dir, 'late'), { timings: { tickMs: 50, replyTimeoutMs: 300, sendAttempts: 2 } });
    const dock = await startDockSim({ brokerUrl: broker.url, gateway: 'LATE-1', stateIntervalMs: 100 });
    sims.push(dock);
    await until(() => c.registry.telemetry('LATE-1')?.modeCode === 0);
    await dock.offline();
    const fw = await c.handle('firmware.addPath', { path: firmware('Dock2_V10.01.1700.bin', 100_000) });
    await c.handle('upgrade.start', { firmwareId: fw.id, devices: ['LATE-1'], type: 'regular' });
    await until(() => row(c, 'LATE-1')?.status === 'timeout');
    expect(row(c, 'LATE-1')!.reason).toBe('no services_reply to ota_create after 2 tries 300 ms apart');
    await dock.online();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(creates(dock)).toEqual([]);

    // The same broker does keep a QoS 1 message for that session: what Dockside's QoS 0 avoids.
    await dock.offline();
    const cloud = await mqtt.connectAsync(broker.url);
    await cloud.publishAsync(topics.services('LATE-1'), encodeEnvelope(newEnvelope('ota_create', { devices: [] })), { qos: 1 });
    await cloud.endAsync();
    await dock.online();
    await until(() => creates(dock).length === 1);
  });

  it('after Dockside restarts mid-download, the same URL serves again and the dock resumes with Range', async () => {
    const dataDir = join(dir, 'restart');
    let c = await core(dataDir);
    // Larger than loopback socket buffers hold, so closing Dockside really breaks the download off.
    const size = 96 * 1024 * 1024;
    const dock = await startDockSim({
      brokerUrl: broker.url,
      gateway: 'RESUME-1',
      stateIntervalMs: 100,
      progressIntervalMs: 100,
      downloadBytesPerSec: 12 * 1024 * 1024,
      downloadRetryDelaysMs: [1500, 2000, 2000],
    });
    sims.push(dock);
    await until(() => c.registry.telemetry('RESUME-1')?.modeCode === 0);
    const fw = await c.handle('firmware.addPath', { path: firmware('Dock2_V10.01.1800.bin', size) });
    await c.handle('upgrade.start', { firmwareId: fw.id, devices: ['RESUME-1'], type: 'regular' });
    await until(() => (row(c, 'RESUME-1')?.bytesServed ?? 0) > 40 * 1024 * 1024);
    const url = (creates(dock)[0]!.envelope.data as { devices: { file_url: string }[] }).devices[0]!.file_url;
    await c.close();
    cores.splice(cores.indexOf(c), 1);

    c = await core(dataDir);
    expect(c.files.hosts()).toEqual([new URL(url).hostname]);
    await until(() => row(c, 'RESUME-1')?.status === 'ok', 40_000);
    const served = Object.values(c.files.served().grants).find((g) => g.device === 'RESUME-1')!;
    expect(served.bytes).toBeGreaterThan(0);
    expect(served.bytes).toBeLessThan(size);
    expect(dock.firmwareVersions()['RESUME-1']).toBe('10.01.1800');
  }, 60_000);
});

const lan = lanAddresses()[0];

describe.runIf(lan !== undefined)('a dock on the LAN of the built-in broker', () => {
  it('is sent a URL on our LAN address, never loopback; a loopback download address fails before sending, saying why', async () => {
    const c = await createAppCore({ dataDir: join(dir, 'lan'), host: 'web', timings: { tickMs: 50 } });
    cores.push(c);
    const status = await c.handle('connection.get', {});
    await until(() => c.gateway.status.state === 'connected');
    const port = new URL(status.embeddedBrokerUrl!).port;
    const { dockLogin } = await c.handle('dockAccess.get', {});
    const onLan = `mqtt://${lan!}:${port}`;
    const a = await startDockSim({ brokerUrl: onLan, username: dockLogin.username, password: dockLogin.password, gateway: 'LAN-1', stateIntervalMs: 100, progressIntervalMs: 60 });
    const b = await startDockSim({ brokerUrl: onLan, username: dockLogin.username, password: dockLogin.password, gateway: 'LAN-2', stateIntervalMs: 100 });
    sims.push(a, b);
    await until(() => c.registry.telemetry('LAN-1')?.modeCode === 0 && c.registry.telemetry('LAN-2')?.modeCode === 0);
    const fw = await c.handle('firmware.addPath', { path: firmware('Dock2_V10.01.1900.bin', 200_000) });

    await c.handle('upgrade.start', { firmwareId: fw.id, devices: ['LAN-1'], type: 'regular' });
    await until(() => creates(a).length === 1);
    const url = (creates(a)[0]!.envelope.data as { devices: { file_url: string }[] }).devices[0]!.file_url;
    expect(new URL(url).hostname).toBe(lan);
    await until(() => row(c, 'LAN-1')?.status === 'ok');

    await c.handle('connection.setServeHost', { host: '127.0.0.1' });
    await c.handle('upgrade.start', { firmwareId: fw.id, devices: ['LAN-2'], type: 'regular' });
    await until(() => row(c, 'LAN-2')?.status === 'failed');
    expect(row(c, 'LAN-2')!.reason).toBe(`LAN-2 (at ${lan}) cannot download from 127.0.0.1, this laptop's own loopback: set the download address to this laptop's address on the dock's network`);
    expect(creates(b)).toEqual([]);
  });
});
