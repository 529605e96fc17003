// Renderer frame time while 200 upgrade rows tick every 250 ms, against the same page idle. The whole
// pipeline runs: a separate publisher process sends real ota_progress over mosquitto, the core decodes,
// tracks, journals and pushes them over the WebSocket, and the React Progress view in Debian's Chromium
// renders them. Frame time is the gap between requestAnimationFrame callbacks. The fleet (rows and
// publisher) is bench/progress-fleet.ts.
import { spawnSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { createAppCore, type AppCore } from '../main/app/app-core';
import { runWebHost } from '../main/cli/web-command';
import { startMosquitto } from '../test-support/brokers';
import { gatewayOf, inProgressRows, percentile, ROWS, startFleetPublisher, stopFleetPublisher, TICK_MS, type FleetPublisher } from './progress-fleet';
import { benchTempDir, fmt, launchChromium, type Benchmark } from './support';

const ROUNDS = 2;
const ROUND_MS = 5_000;
const SETTLE_MS = 1_500;
const GOAL_RATIO = 1 / 1.5;

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
  return page.evaluate<Frames>(`(${MEASURE_FRAMES})(${ms})`);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

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
    const browser = await launchChromium();
    let publisher: FleetPublisher | undefined;
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
        publisher = await startFleetPublisher(broker.url);
        await sleep(SETTLE_MS);
        loaded.push(await measureFrames(page, ROUND_MS));
        await stopFleetPublisher(publisher);
        publisher = undefined;
        await sleep(SETTLE_MS);
      }
      const idleDeltas = idle.flatMap((f) => f.deltas);
      const loadedDeltas = loaded.flatMap((f) => f.deltas);
      const updates = loaded.reduce((n, f) => n + f.barUpdates, 0);
      const idleUpdates = idle.reduce((n, f) => n + f.barUpdates, 0);
      const seconds = (ROUNDS * ROUND_MS) / 1000;
      const longMs = (fs: Frames[]) =>
        fmt(
          fs.reduce((n, f) => n + f.longTaskMs, 0),
          0,
        );
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
      if (publisher) await stopFleetPublisher(publisher);
      await browser.close();
      await host.close();
      await broker.stop();
    }
  },
};
