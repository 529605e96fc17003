// The core as the window drives it, through the contract: several simulated docks on a real broker,
// real firmware served over HTTP, the journal on disk, and a restart that restores it all.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatchSummary, DeviceUpgrade, StreamName, UpgradeEvent } from '../../preload/api';
import { startDockSim, type DockSim } from '../../sim/dji-dock/dock-sim';
import type { ScenarioName } from '../../sim/dji-dock/scenarios';
import { startAedes, type TestBroker } from '../../test-support/brokers';
import { ApiError } from '../host/backend';
import { createAppCore, type AppCore } from './app-core';

let dir: string;
let firmware: string;
let broker: TestBroker;
const sims: DockSim[] = [];
let core: AppCore | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-core-'));
  firmware = join(dir, 'dock2_v10.01.1700.bin');
  writeFileSync(firmware, randomBytes(512 * 1024 + 3));
  broker = await startAedes();
});

afterEach(async () => {
  await core?.close();
  core = undefined;
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function sim(gateway: string, scenario: ScenarioName = 'ok', progressIntervalMs = 40): Promise<DockSim> {
  const s = await startDockSim({ brokerUrl: broker.url, gateway, scenario, progressIntervalMs, stateIntervalMs: 100 });
  sims.push(s);
  return s;
}

function collect(c: AppCore) {
  const seen: { stream: StreamName; payload: unknown }[] = [];
  c.subscribe((stream, payload) => seen.push({ stream, payload }));
  return {
    of: <T>(stream: StreamName) => seen.filter((s) => s.stream === stream).map((s) => s.payload as T),
    until: async (check: () => boolean, ms = 20_000) => {
      const end = Date.now() + ms;
      while (!check()) {
        if (Date.now() > end) throw new Error('condition not met in time');
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

async function coreOn(dataDir: string, concurrency = 8): Promise<AppCore> {
  const c = await createAppCore({ dataDir, brokerUrl: broker.url, host: 'web', serveHost: '127.0.0.1', timings: { concurrency, watchdogMs: 5000, verifyTimeoutMs: 5000, tickMs: 100 } });
  // Docks publish their state once when they come online: the app must be listening first.
  await collect(c).until(() => c.gateway.status.state === 'connected');
  return c;
}

describe('app core', () => {
  it('upgrades a batch of docks, each with its own rows, queues beyond the concurrency, and cancels a queued one', async () => {
    const dataDir = join(dir, 'batch');
    core = await coreOn(dataDir, 2);
    const seen = collect(core);
    await Promise.all(['BATCH-1', 'BATCH-2', 'BATCH-3', 'BATCH-4'].map((gw) => sim(gw, 'ok', 60)));
    await seen.until(() => core!.registry.list().filter((d) => d.firmwareVersion).length >= 4);
    expect(core.registry.get('BATCH-1')).toMatchObject({ kind: 'dock', model: 'DJI Dock 2', firmwareVersion: '10.01.1612', online: true });

    const fw = await core.handle('firmware.addPath', { path: firmware });
    expect(fw).toMatchObject({ fileName: 'dock2_v10.01.1700.bin', version: '10.01.1700', size: 512 * 1024 + 3 });
    const started = await core.handle('upgrade.start', { firmwareId: fw.id, devices: ['BATCH-1', 'BATCH-2', 'BATCH-3', 'BATCH-4'], type: 'regular' });
    expect(started.accepted.sort()).toEqual(['BATCH-1', 'BATCH-2', 'BATCH-3', 'BATCH-4']);
    await seen.until(() => core!.upgrades.list().filter((r) => r.status !== 'queued').length === 2);
    const rows = await core.handle('upgrade.list', {});
    expect(rows.filter((r) => r.status === 'queued').length).toBe(2);
    const queued = rows.find((r) => r.status === 'queued' && r.sn === 'BATCH-4') ?? rows.find((r) => r.status === 'queued')!;
    const canceled = await core.handle('upgrade.cancel', { key: queued.key });
    expect(canceled).toMatchObject({ status: 'canceled', reason: 'canceled before it was sent' });

    // A second start for a dock already upgrading is refused before anything is sent.
    const running = rows.find((r) => r.status !== 'queued')!;
    const again = await core.handle('upgrade.start', { firmwareId: fw.id, devices: [running.sn], type: 'regular' });
    expect(again.accepted).toEqual([]);
    expect(again.refused[0]!.reason).toContain('already upgrading');

    await seen.until(() => seen.of<BatchSummary>('batch').some((b) => b.batchId === started.batchId && b.endedAt !== undefined));
    const end = seen.of<BatchSummary>('batch').find((b) => b.endedAt)!;
    expect(end.counts).toEqual({ ok: 3, canceled: 1 });
    const final = await core.handle('upgrade.list', {});
    for (const r of final.filter((x) => x.status === 'ok')) {
      expect(r).toMatchObject({ verified: true, percent: 100, bytesServed: 512 * 1024 + 3, fromVersion: '10.01.1612' });
    }
    // Progress reached the renderer row by row, and each dock's bytes were counted by our file server.
    const ticks = seen.of<DeviceUpgrade>('upgrade').filter((r) => r.sn === running.sn);
    expect(new Set(ticks.map((r) => r.percent)).size).toBeGreaterThan(3);
    const sims4 = sims.filter((s) => s.firmwareVersions()[s.gateway] === '10.01.1700');
    expect(sims4).toHaveLength(3);
    expect(seen.of<UpgradeEvent>('event').filter((e) => e.message.startsWith('ota_create sent')).length).toBe(3);
  });

  it('retries a failed upgrade as the next attempt of the same row, under a fresh tid and bid', async () => {
    core = await coreOn(join(dir, 'retry'));
    const seen = collect(core);
    await sim('RETRY-1', 'reject');
    const fw = await core.handle('firmware.addPath', { path: firmware });
    await seen.until(() => core!.registry.telemetry('RETRY-1')?.modeCode !== undefined);
    // The dock reports it is working: the gate holds it back, until the technician sends it anyway.
    await core.handle('upgrade.start', { firmwareId: fw.id, devices: ['RETRY-1'], type: 'regular', force: ['RETRY-1'] });
    await seen.until(() => core!.upgrades.list().some((r) => r.status === 'rejected'));
    expect(core.upgrades.list()[0]!.overrides).toEqual(['dock-idle']);
    const failed = core.upgrades.list()[0]!;
    expect(failed).toMatchObject({ status: 'rejected', code: 312015, reason: '312015: dock busy — retry when idle', attempt: 1 });
    const retried = await core.handle('upgrade.retry', { key: failed.key });
    expect(retried).toMatchObject({ key: failed.key, attempt: 2, status: 'queued' });
    expect(retried.tid).not.toBe(failed.tid);
    expect(retried.bid).not.toBe(failed.bid);
    await seen.until(() => seen.of<DeviceUpgrade>('upgrade').some((r) => r.attempt === 2 && r.status === 'rejected'));
    expect(core.upgrades.list()).toMatchObject([{ key: failed.key, attempt: 2, status: 'rejected' }]);
    await expect(core.handle('upgrade.cancel', { key: failed.key })).rejects.toThrow(ApiError);
  });

  it('refuses to start without a known version or while hashing, with words a technician understands', async () => {
    core = await coreOn(join(dir, 'refuse'));
    const plain = join(dir, 'plain.bin');
    writeFileSync(plain, 'abc');
    const fw = await core.handle('firmware.addPath', { path: plain });
    expect(fw.version).toBeUndefined();
    await expect(core.handle('upgrade.start', { firmwareId: fw.id, devices: ['X'], type: 'regular' })).rejects.toThrow('version of plain.bin is unknown');
    await core.handle('firmware.setVersion', { id: fw.id, version: '1.00.223' });
    await expect(core.handle('firmware.addPath', { path: join(dir, 'missing.bin') })).rejects.toThrow(ApiError);
    writeFileSync(join(dir, 'empty-v1.0.bin'), '');
    await expect(core.handle('firmware.addPath', { path: join(dir, 'empty-v1.0.bin') })).rejects.toThrow('empty-v1.0.bin is empty');
  });

  it('restores devices, firmware and finished upgrades from the journal after a restart', async () => {
    const dataDir = join(dir, 'restore');
    core = await coreOn(dataDir);
    const seen = collect(core);
    await sim('RESTORE-1');
    const fw = await core.handle('firmware.addPath', { path: firmware });
    await core.handle('upgrade.start', { firmwareId: fw.id, devices: ['RESTORE-1'], type: 'regular' });
    await seen.until(() => core!.upgrades.list().some((r) => r.verified));
    await core.close();
    await Promise.all(sims.splice(0).map((s) => s.stop()));

    core = await createAppCore({ dataDir, host: 'web', connectOnStart: false });
    expect((await core.handle('firmware.list', {})).map((f) => f.md5)).toEqual([fw.md5]);
    expect(await core.handle('devices.list', {})).toMatchObject([{ sn: 'RESTORE-1', firmwareVersion: '10.01.1700', online: false }]);
    expect(await core.handle('upgrade.list', {})).toMatchObject([{ sn: 'RESTORE-1', status: 'ok', verified: true }]);
    const page = await core.journal.journal.query({ device: 'RESTORE-1', order: 'asc' });
    expect(page.events.at(-1)).toMatchObject({ phase: 'done', state: 'succeeded' });
  });

  it('on restart the desktop app returns to the broker it last used; the web host keeps to the embedded one', async () => {
    const dataDir = join(dir, 'saved-broker');
    core = await coreOn(dataDir);
    await core.close();
    core = await createAppCore({ dataDir, host: 'electron' });
    await collect(core).until(() => core!.gateway.status.state === 'connected');
    expect(core.gateway.status.url).toBe(broker.url);
    await core.close();
    core = await createAppCore({ dataDir, host: 'web' });
    const status = await core.handle('connection.get', {});
    expect(status.embeddedBrokerUrl).toMatch(/^mqtt:\/\//);
    expect(status.url).toBe(status.embeddedBrokerUrl);
  });

  it('re-attaches an upgrade still running when the app restarts, and follows it to a verified end', async () => {
    const dataDir = join(dir, 'reattach');
    core = await coreOn(dataDir);
    let seen = collect(core);
    await sim('REATTACH-1', 'ok', 250);
    const fw = await core.handle('firmware.addPath', { path: firmware });
    await core.handle('upgrade.start', { firmwareId: fw.id, devices: ['REATTACH-1'], type: 'regular' });
    await seen.until(() => core!.upgrades.list().some((r) => r.step === 'upgrade'));
    const tid = core.upgrades.list()[0]!.tid;
    await core.close();

    core = await coreOn(dataDir);
    seen = collect(core);
    expect((await core.handle('upgrade.list', {}))[0]).toMatchObject({ tid, status: 'in_progress', step: 'upgrade' });
    await seen.until(() => core!.upgrades.list().some((r) => r.verified));
    expect(core.upgrades.list()).toMatchObject([{ tid, status: 'ok', verified: true }]);
  });

  it('ingests vehicle events over HTTP into the journal and the event stream; a bad payload is one visible error', async () => {
    core = await createAppCore({ dataDir: join(dir, 'ingest'), host: 'web', connectOnStart: false });
    const seen = collect(core);
    await core.ingest.accept([], 'test');
    await core.ingest.reject({ protocol: 'oem', reason: 'not JSON', raw: '{oops' }, 'POST /ingest/oem');
    const errors = seen.of<UpgradeEvent>('event');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ source: 'oem', state: 'failed', message: expect.stringContaining('not JSON'), raw: '{oops' });
    expect((await core.journal.journal.query({})).total).toBe(1);
  });
});

describe('app core: vehicles, log, exports, demo', () => {
  it('answers log queries, lists vehicles and campaigns, and exports a file served back over HTTP', async () => {
    const { createServer } = await import('node:http');
    core = await createAppCore({ dataDir: join(dir, 'exports'), host: 'web', connectOnStart: false });
    const seen = collect(core);
    const capture = join(dir, 'capture.json');
    writeFileSync(
      capture,
      JSON.stringify([
        { deviceTime: '2026-11-26T10:00:00Z', eventType: { id: 'EcuDownloadStarted', version: 0 }, id: 'ak-1', event: { correlationId: 'camp-7', ecu: 'ecu-1' } },
        { deviceTime: '2026-11-26T10:01:00Z', eventType: { id: 'EcuDownloadCompleted', version: 0 }, id: 'ak-2', event: { correlationId: 'camp-7', ecu: 'ecu-1', success: false } },
      ]),
    );
    const imported = await core.handle('ingest.importPath', { path: capture, protocol: 'aktualizr', device: 'VIN-A' });
    expect(imported).toEqual({ accepted: 2, rejected: 0 });
    await expect(core.handle('ingest.importPath', { path: join(dir, 'nope.txt') })).rejects.toThrow('expected a .json, .jsonl or .bson capture');

    // aktualizr payloads name no device themselves: over HTTP the header does.
    const server = createServer((req, res) => {
      if (!core!.httpHandler(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const body = readFileSync(capture, 'utf8').replaceAll('ak-', 'http-').replaceAll('camp-7', 'camp-8');
      const posted = await fetch(`${base}/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-device-id': 'VIN-B' }, body });
      expect(posted.status).toBe(204);
      const bad = await fetch(`${base}/ingest/carota`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message_type":"OTA_EVENT","body":"%%%"}' });
      expect(bad.status).toBe(400);
      const { vehicles, campaigns } = await core.handle('vehicles.list', {});
      expect(vehicles.map((v) => [v.key, v.campaign, v.state, v.events])).toEqual([
        ['aktualizr|VIN-A', 'camp-7', 'failed', 2],
        ['aktualizr|VIN-B', 'camp-8', 'failed', 2],
      ]);
      expect(campaigns).toMatchObject([
        { key: 'aktualizr|camp-7', vehicles: 1, counts: { failed: 1 } },
        { key: 'aktualizr|camp-8', vehicles: 1 },
      ]);

      const newest = await core.handle('log.query', { order: 'desc', limit: 2, offset: 0 });
      expect(newest.total).toBe(5);
      expect(newest.events[0]).toMatchObject({ source: 'carota', state: 'failed', message: expect.stringContaining('refused carota payload') });
      expect(newest.events[1]).toMatchObject({ id: 'http-2', device: 'VIN-B', state: 'failed' });
      const failedOnly = await core.handle('log.query', { state: ['failed'], source: ['aktualizr'], order: 'asc', offset: 0, limit: 10 });
      expect(failedOnly.events.map((e) => e.id)).toEqual(['ak-2', 'http-2']);

      const { exportId } = await core.handle('export.start', { format: 'csv' });
      await seen.until(() => seen.of<{ exportId: string; url?: string }>('exportProgress').some((p) => p.exportId === exportId && p.url));
      const done = seen.of<{ exportId: string; url: string; fileName: string }>('exportProgress').find((p) => p.exportId === exportId && p.url)!;
      const file = await fetch(`${base}${done.url}`);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-disposition')).toContain(done.fileName);
      const text = await file.text();
      expect(text.split('\r\n')[0]).toBe('id,time,source,device,campaign,phase,state,percent,message,raw,site,technician,customer,notes');
      expect(text).toContain('ak-2');
      expect((await fetch(`${base}/api/exports/..%2f..%2fjournal`)).status).toBe(404);
      expect((await fetch(`${base}/api/exports/dockside-2026-01-01T00-00-00Z-deadbeef.csv`)).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it('takes Edgehog (BSON) and CarOTA fleets over MQTT into the journal and the vehicle timelines', async () => {
    const { startVehicleSim } = await import('../../sim/vehicles/vehicle-sim');
    core = await coreOn(join(dir, 'mqtt-vehicles'));
    const fleets = await Promise.all([
      startVehicleSim({ protocol: 'edgehog', target: broker.url, vehicles: 5, scenario: 'ok', intervalMs: 5 }),
      startVehicleSim({ protocol: 'carota', target: broker.url, vehicles: 5, scenario: 'fail', intervalMs: 5 }),
    ]);
    const sent = (await Promise.all(fleets.map((f) => f.done))).reduce((n, d) => n + d.sent, 0);
    const seen = collect(core);
    await seen.until(() => (core!.journal.journal.stats().byKind.event ?? 0) >= sent);
    const { vehicles } = await core.handle('vehicles.list', {});
    expect(vehicles.filter((v) => v.source === 'edgehog').map((v) => [v.phase, v.state])).toEqual(Array(5).fill(['done', 'succeeded']));
    expect(vehicles.filter((v) => v.source === 'carota').every((v) => v.state === 'failed')).toBe(true);
  });

  it('demo mode brings simulated docks and vehicles over the real protocols, with a firmware ready to send', async () => {
    core = await createAppCore({ dataDir: join(dir, 'demo'), host: 'web', connectOnStart: false });
    const seen = collect(core);
    const demo = await core.handle('demo.start', {});
    expect(demo.docks).toHaveLength(6);
    expect((await core.handle('connection.get', {})).embeddedBrokerUrl).toMatch(/^mqtt:\/\//);
    await seen.until(() => core!.registry.list().filter((d) => d.firmwareVersion).length >= 6);
    expect((await core.handle('firmware.list', {}))[0]).toMatchObject({ fileName: 'Dock2-V10.01.1700-demo.bin', version: '10.01.1700' });
    await seen.until(() => seen.of<{ source: string }>('vehicle').some((v) => v.source === 'edgehog') && seen.of<{ source: string }>('vehicle').some((v) => v.source === 'carota'));
    expect(await core.handle('demo.status', {})).toEqual({ running: true, docks: demo.docks, vehicles: demo.vehicles });
    await core.handle('demo.stop', {});
    expect(await core.handle('demo.status', {})).toEqual({ running: false, docks: [], vehicles: 0 });
  });
});
