// Renderer frame time while 200 upgrade rows tick every 250 ms, against the same page idle. The whole
// pipeline runs: a separate publisher process sends real ota_progress over mosquitto, the core decodes,
// tracks, journals and pushes them over the WebSocket, and the React Progress view in Debian's Chromium
// renders them. Frame time is the gap between requestAnimationFrame callbacks. 200 simulated docks would
// cost more CPU than the renderer on two cores, so the rows are restored in-progress upgrades whose tids
// the publisher reports on, exactly as docks would.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chromium, type Page } from '@playwright/test';
import type { DeviceUpgrade } from '../preload/api';
import { createAppCore, type AppCore } from '../main/app/app-core';
import { runWebHost } from '../main/cli/web-command';
import { startMosquitto } from '../test-support/brokers';
import { benchTempDir, fmt, type Benchmark } from './support';

const ROWS = 200;
const TICK_MS = 250;
const ROUNDS = 2;
const ROUND_MS = 5_000;
const SETTLE_MS = 1_500;
const GOAL_RATIO = 1 / 1.5;

const gatewayOf = (i: number) => `BENCH-UI-DOCK-${String(i).padStart(3, '0')}`;
const tidOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

// Plain JS for `node -e`: every TICK_MS one ota_progress (QoS 1) per gateway, percent creeping up, until killed.
const PUBLISHER = `
const mqtt = require('mqtt');
const [url, rows, tickMs] = process.argv.slice(1);
const pad = (n, w) => String(n).padStart(w, '0');
const client = mqtt.connect(url, { clientId: 'bench-ui-publisher', reconnectPeriod: 0 });
let tick = 0;
client.on('connect', () => {
  process.stdout.write('ready\\n');
  setInterval(() => {
    tick++;
    for (let i = 0; i < Number(rows); i++) {
      const tid = '00000000-0000-4000-8000-' + pad(i, 12);
      const payload = JSON.stringify({ tid, bid: tid, timestamp: Date.now(), method: 'ota_progress',
        data: { result: 0, output: { status: 'in_progress', sub_status: 'DOWNLOADING', progress: { percent: Math.min(99, 1 + ((tick + i) % 98)), step_key: 'download_firmware' } } } });
      client.publish('thing/product/BENCH-UI-DOCK-' + pad(i, 3) + '/events', payload, { qos: 1 });
    }
  }, Number(tickMs));
});
`;

function startPublisher(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', PUBLISHER, url, String(ROWS), String(TICK_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`publisher exited with ${code}`)));
  });
}

async function stopPublisher(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(child.pid!, 'SIGTERM');
  await exited;
}

function inProgressRows(): DeviceUpgrade[] {
  const now = new Date().toISOString();
  return Array.from({ length: ROWS }, (_, i) => ({
    key: `${tidOf(i)}:${gatewayOf(i)}`,
    tid: tidOf(i),
    gateway: gatewayOf(i),
    sn: gatewayOf(i),
    firmwareId: 'bench-ui',
    fileName: 'Dock2-V10.01.1700-bench.bin',
    targetVersion: '10.01.1700',
    type: 'regular',
    step: 'download',
    percent: 0,
    status: 'in_progress',
    subStatus: 'DOWNLOADING',
    verified: false,
    bytesServed: 0,
    fileSize: 64 * 1024 * 1024,
    startedAt: now,
    updatedAt: now,
  }));
}

interface Frames {
  deltas: number[];
  /** aria-valuenow changes on the page's progress bars during the window: proof the rows were live. */
  barUpdates: number;
  /** Main-thread tasks over 50 ms, summed. */
  longTaskMs: number;
}

// Plain JS evaluated in the page (a string: the bench runs through tsx, whose helpers the page lacks).
// Resolves with the requestAnimationFrame gaps over the window, and how many progress bar values changed.
const MEASURE_FRAMES = `(windowMs) => new Promise((resolve) => {
  let barUpdates = 0;
  let longTaskMs = 0;
  const observer = new MutationObserver((records) => { barUpdates += records.length; });
  observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  const longTasks = new PerformanceObserver((list) => { for (const e of list.getEntries()) longTaskMs += e.duration; });
  longTasks.observe({ type: 'longtask' });
  const deltas = [];
  let start = 0;
  let last = 0;
  const tick = (t) => {
    if (start === 0) start = t; else deltas.push(t - last);
    last = t;
    if (t - start < windowMs) requestAnimationFrame(tick);
    else { observer.disconnect(); longTasks.disconnect(); resolve({ deltas, barUpdates, longTaskMs }); }
  };
  requestAnimationFrame(tick);
})`;

function measureFrames(page: Page, ms: number): Promise<Frames> {
  return page.evaluate(`(${MEASURE_FRAMES})(${ms})`) as Promise<Frames>;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const uiBench: Benchmark = {
  name: 'ui',
  async run() {
    const build = spawnSync(process.execPath, ['scripts/build.mjs', '--renderer'], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`renderer build failed: ${build.stderr || build.stdout}`);
    const broker = await startMosquitto();
    let core: AppCore | undefined;
    const host = await runWebHost(
      { host: '127.0.0.1', port: 0, dataDir: benchTempDir('ui'), brokerUrl: broker.url, serveHost: '127.0.0.1', print: () => undefined },
      async (opts) => (core = await createAppCore(opts)),
    );
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-renderer-backgrounding', '--disable-background-timer-throttling'],
    });
    let publisher: ChildProcess | undefined;
    try {
      while (core!.gateway.status.state !== 'connected') await sleep(20);
      core!.upgrades.restore(inProgressRows());
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${host.url}#/progress`);
      await page.getByRole('progressbar', { name: `${gatewayOf(0)} upgrade progress` }).waitFor();
      await sleep(SETTLE_MS);

      const idle: Frames[] = [];
      const loaded: Frames[] = [];
      // Interleaved, so load from other processes on the machine falls on both sides alike.
      for (let round = 0; round < ROUNDS; round++) {
        idle.push(await measureFrames(page, ROUND_MS));
        publisher = await startPublisher(broker.url);
        await sleep(SETTLE_MS);
        loaded.push(await measureFrames(page, ROUND_MS));
        await stopPublisher(publisher);
        publisher = undefined;
        await sleep(SETTLE_MS);
      }
      const idleDeltas = idle.flatMap((f) => f.deltas);
      const loadedDeltas = loaded.flatMap((f) => f.deltas);
      const updates = loaded.reduce((n, f) => n + f.barUpdates, 0);
      const idleUpdates = idle.reduce((n, f) => n + f.barUpdates, 0);
      const seconds = (ROUNDS * ROUND_MS) / 1000;
      const longMs = (fs: Frames[]) => fmt(fs.reduce((n, f) => n + f.longTaskMs, 0), 0);
      if (updates < seconds * 10) throw new Error(`only ${updates} progress bar updates in ${seconds} s of load: the rows were not live`);
      const ref = percentile(idleDeltas, 95);
      const ours = percentile(loadedDeltas, 95);
      const visible = await page.getByRole('progressbar').count();
      return {
        ratio: ref / ours,
        ours,
        ref,
        unit: 'ms',
        details: [
          `  p95 frame time, ${ROWS} in-progress rows on the Progress view (${visible} bars mounted, virtualised), ${ROUNDS}×${ROUND_MS / 1000} s each side; ratio = idle/loaded, goal ≥ ${fmt(GOAL_RATIO, 2)}`,
          `  loaded: ${ROWS} ota_progress every ${TICK_MS} ms (${(ROWS * 1000) / TICK_MS} msg/s via mosquitto → core → WebSocket → React); ${updates} bar updates seen (${fmt(updates / seconds, 0)}/s)`,
          `  mean ${fmt(mean(loadedDeltas), 2)} ms loaded vs ${fmt(mean(idleDeltas), 2)} ms idle; p99 ${fmt(percentile(loadedDeltas, 99))} vs ${fmt(percentile(idleDeltas, 99))} ms; frames over 50 ms: ${loadedDeltas.filter((d) => d > 50).length} loaded, ${idleDeltas.filter((d) => d > 50).length} idle (${idleUpdates} bar updates while idle); long tasks ${longMs(loaded)} ms loaded, ${longMs(idle)} ms idle`,
        ],
      };
    } finally {
      if (publisher) await stopPublisher(publisher);
      await browser.close();
      await host.close();
      await broker.stop();
    }
  },
};
