// `npm run soak`: a site's worst afternoon for a while, measured. 200 simulated docks upgrade at once
// through mosquitto, each reporting progress every 250 ms, while vehicles report 2,000 events a second
// over HTTP, for 5 minutes (--minutes N for another length). Midway the wall clock jumps two hours
// ahead. At the end it checks what a technician relies on:
// - every vehicle event acknowledged (204) is in the journal, no more and no fewer;
// - every upgrade ended in its true state (the scenario says which), none timed out;
// - memory: RSS sampled every 10 s after a garbage collection, its growth set against the Log index's
//   own ~50 bytes an event (the one thing meant to grow).
// It prints `SOAK <name> <value>` lines and exits 1 when a check fails. Not part of `npm test`.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeviceUpgrade, DjiStatus } from '../preload/api';
import { startDockSim, type DockSim } from '../sim/dji-dock/dock-sim';
import type { ScenarioName } from '../sim/dji-dock/scenarios';
import { createAppCore } from '../main/app/app-core';
import { aktualizrEvent } from '../test-support/vehicle-payloads';
import { startMosquitto } from '../test-support/brokers';
import { benchTempDir, removeTempDirs } from './support';

const DOCKS = 200;
const VEHICLE_EVENTS_PER_S = 2_000;
const BATCH = 100;
const minutesArg = process.argv.indexOf('--minutes');
const MINUTES = minutesArg > 0 ? Number(process.argv[minutesArg + 1]) : 5;
const FIRMWARE_BYTES = 4 * 1024 * 1024;
// The stale-version docks end "not verified" after this; the default 600 s would only make the run wait.
const VERIFY_LIMIT_MS = 30_000;

/** What each dock does, and the end a technician must see for it. */
const MIX: readonly { scenario: ScenarioName; share: number; end: DjiStatus; code?: number }[] = [
  { scenario: 'ok', share: 0.8, end: 'ok' },
  { scenario: 'download-fail', share: 0.05, end: 'failed', code: 312004 },
  { scenario: 'md5-mismatch', share: 0.05, end: 'failed', code: 312003 },
  { scenario: 'stale-version', share: 0.05, end: 'not_verified' },
  { scenario: 'reject', share: 0.05, end: 'rejected', code: 312015 },
];

function scenarioOf(i: number): (typeof MIX)[number] {
  let at = 0;
  for (const m of MIX) {
    at += m.share * DOCKS;
    if (i < at) return m;
  }
  return MIX[0]!;
}

const gc = (globalThis as { gc?: () => void }).gc;
const rssMiB = () => {
  gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};

function post(port: number, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/events?device=soak-vehicle', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

async function main(): Promise<number> {
  const dir = benchTempDir('soak');
  const broker = await startMosquitto();
  const realNow = Date.now;
  const core = await createAppCore({ dataDir: join(dir, 'data'), brokerUrl: broker.url, host: 'web', serveHost: '127.0.0.1', timings: { concurrency: DOCKS, verifyTimeoutMs: VERIFY_LIMIT_MS } });
  const server = http.createServer((req, res) => {
    if (!core.httpHandler(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const failures: string[] = [];
  const docks: DockSim[] = [];
  try {
    // The download is paced so the upgrades last most of the run: progress every 250 ms all along.
    const upgradeSeconds = MINUTES * 60 * 0.75;
    const rate = Math.max(1024, Math.floor(FIRMWARE_BYTES / upgradeSeconds));
    for (let i = 0; i < DOCKS; i += 20) {
      docks.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(20, DOCKS - i) }, (_, k) =>
            startDockSim({
              brokerUrl: broker.url,
              gateway: `SOAK-${String(i + k).padStart(3, '0')}`,
              scenario: scenarioOf(i + k).scenario,
              progressIntervalMs: 250,
              stateIntervalMs: 2000,
              downloadBytesPerSec: rate,
            }),
          ),
        )),
      );
    }
    while (!docks.every((d) => core.registry.telemetry(d.gateway)?.modeCode !== undefined)) await sleep(200);
    const file = join(dir, 'Dock2_V10.01.1700-soak.bin');
    writeFileSync(file, randomBytes(FIRMWARE_BYTES));
    const fw = await core.handle('firmware.addPath', { path: file });
    // The working docks (reject) are sent anyway: the soak checks the dock's own refusal comes through.
    const gateways = docks.map((d) => d.gateway);
    const started = await core.handle('upgrade.start', { firmwareId: fw.id, devices: gateways, type: 'regular', force: gateways });
    if (started.accepted.length !== DOCKS) failures.push(`only ${started.accepted.length} of ${DOCKS} docks accepted`);

    const t0 = performance.now();
    const samples: { minute: number; rss: number; events: number }[] = [];
    let acknowledged = 0;
    let refused = 0;
    let nextId = 0;
    let jumped = false;
    const end = t0 + MINUTES * 60_000;
    let nextSample = t0;
    while (performance.now() < end) {
      const tickStart = performance.now();
      const body = JSON.stringify(Array.from({ length: BATCH }, () => aktualizrEvent(nextId++)));
      const status = await post(port, body);
      if (status === 204) acknowledged += BATCH;
      else refused += BATCH;
      if (!jumped && performance.now() - t0 > (MINUTES * 60_000) / 2) {
        // The wall clock jumps two hours ahead (a laptop resynchronising, say): nothing may time out for it.
        const offset = 2 * 3600_000;
        Date.now = () => realNow() + offset;
        jumped = true;
      }
      if (performance.now() >= nextSample) {
        samples.push({ minute: (performance.now() - t0) / 60_000, rss: rssMiB(), events: core.journal.journal.stats().byKind.event ?? 0 });
        nextSample += 10_000;
      }
      const wait = (BATCH / VEHICLE_EVENTS_PER_S) * 1000 - (performance.now() - tickStart);
      if (wait > 0) await sleep(wait);
    }
    const rows = (): DeviceUpgrade[] => core.upgrades.list();
    const deadline = performance.now() + 10 * 60_000;
    while (rows().some((r) => !['ok', 'failed', 'rejected', 'not_verified', 'timeout', 'canceled'].includes(r.status)) && performance.now() < deadline) await sleep(1000);
    await core.journal.settled();

    const journaled = (await core.journal.journal.query({ source: ['aktualizr'], limit: 1 })).total;
    const wrong = rows().filter((r) => {
      const want = scenarioOf(Number(r.sn.slice(5)));
      return r.status !== want.end || (want.code !== undefined && r.code !== want.code);
    });
    const ends: Record<string, number> = {};
    for (const r of rows()) ends[r.status] = (ends[r.status] ?? 0) + 1;
    const first = samples.find((s) => s.minute >= 1) ?? samples[0]!;
    const last = samples.at(-1)!;
    const indexGrowth = ((last.events - first.events) * 50) / 2 ** 20;
    const rssGrowth = last.rss - first.rss;

    process.stdout.write(`SOAK minutes ${MINUTES}\n`);
    process.stdout.write(`SOAK docks ${DOCKS} ends ${JSON.stringify(ends)} wrong ${wrong.length}\n`);
    const reasons = new Set(
      rows()
        .filter((r) => r.status !== 'ok')
        .map((r) => `${r.status}: ${r.reason ?? ''}`),
    );
    for (const reason of reasons) process.stdout.write(`SOAK end ${reason}\n`);
    process.stdout.write(`SOAK vehicle-events acknowledged ${acknowledged} refused ${refused} journaled ${journaled}\n`);
    process.stdout.write(`SOAK events-journaled ${last.events} rate ${Math.round(acknowledged / (MINUTES * 60))}/s (vehicles)\n`);
    process.stdout.write(`SOAK rss-mib first-minute ${first.rss.toFixed(0)} end ${last.rss.toFixed(0)} growth ${rssGrowth.toFixed(0)} log-index-share ${indexGrowth.toFixed(0)}\n`);
    process.stdout.write(`SOAK rss-samples ${samples.map((s) => `${s.minute.toFixed(1)}m:${s.rss.toFixed(0)}`).join(' ')}\n`);
    process.stdout.write(`SOAK clock-jump ${jumped ? '+2 h at half time' : 'not reached'}\n`);

    if (journaled !== acknowledged) failures.push(`${acknowledged} vehicle events acknowledged, ${journaled} journaled`);
    for (const r of wrong.slice(0, 10)) failures.push(`${r.sn} ended ${r.status}${r.code ? ` (${r.code})` : ''}${r.reason ? `: ${r.reason}` : ''}; expected ${scenarioOf(Number(r.sn.slice(5))).end}`);
    if (rssGrowth > indexGrowth * 2 + 64) failures.push(`RSS grew ${rssGrowth.toFixed(0)} MiB, more than the Log index (${indexGrowth.toFixed(0)} MiB) explains`);
  } finally {
    Date.now = realNow;
    await Promise.all(docks.map((d) => d.stop()));
    await new Promise<void>((r) => server.close(() => r()));
    await core.close();
    await broker.stop();
    removeTempDirs();
  }
  for (const f of failures) process.stdout.write(`SOAK FAILED ${f}\n`);
  process.stdout.write(failures.length === 0 ? 'SOAK passed\n' : `SOAK failed (${failures.length})\n`);
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`soak: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
