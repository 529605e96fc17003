// The ceiling of ota_progress handling through a real mosquitto: the app's whole pipeline (decode, state
// machine, journal with durability and the PUBACK gate, batched push to a WebSocket client) against a
// bare mqtt.js subscriber. Live publishers cannot find either ceiling here: fed live, mosquitto itself
// saturates first (about 18k QoS 1 msg/s in and out at 80% of a core, with one or three publishers), so
// each side drains a backlog instead. Its persistent session is subscribed, then goes offline; the backlog
// is published and queued by the broker; the session reconnects and takes it as fast as it can, which
// is the subscriber's limit alone. Then the publish-to-screen latency of a 200-dock fleet in Chromium.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import mqtt from 'mqtt';
import { createAppCore, type AppCore } from '../main/app/app-core';
import { runWebHost } from '../main/cli/web-command';
import { startWebServer } from '../main/host/web-server';
import { topics } from '../wire/dji/topics';
import { startMosquitto, type TestBroker } from '../test-support/brokers';
import { gatewayOf, inProgressRows, percentAt, percentile, ROWS, startFleetPublisher, stopFleetPublisher, TICK_MS, type FleetPublisher } from './progress-fleet';
import { benchTempDir, fmt, launchChromium, processTreeCpuMs, type Benchmark } from './support';

const MESSAGES = 100_000;
const GATEWAY = 'BENCH-DOCK';
const TID = '00000000-0000-4000-8000-00000000bench';
const LATENCY_SETTLE_MS = 2_000;
const LATENCY_WINDOW_MS = 10_000;

// Plain JS for `node -e`: publishes n QoS 1 ota_progress events, 1000 in flight; exits once the broker took them all.
const PUBLISHER = `
const mqtt = require('mqtt');
const [url, topic, tid, n] = process.argv.slice(1);
const client = mqtt.connect(url, { clientId: 'bench-backlog-publisher', reconnectPeriod: 0 });
client.on('connect', async () => {
  const sends = [];
  for (let i = 0; i < Number(n); i++) {
    const payload = JSON.stringify({ tid, bid: tid, timestamp: Date.now(), method: 'ota_progress',
      data: { result: 0, output: { status: 'in_progress', sub_status: 'DOWNLOADING', progress: { percent: Math.floor((i / Number(n)) * 99), step_key: 'download_firmware' } } } });
    sends.push(client.publishAsync(topic, payload, { qos: 1 }));
    if (sends.length >= 1000) await Promise.all(sends.splice(0));
  }
  await Promise.all(sends);
  client.end();
});
`;

// Plain JS for \`node -e\`: the window's side of the push, in its own process as a browser would be: counts
// the events arriving over the WebSocket; prints "open", then "done" once n have arrived.
const WS_READER = `
const WebSocket = require('ws');
const [url, origin, n, token] = process.argv.slice(1);
const ws = new WebSocket(url, ['dockside.v1', 'dockside-session.' + token], { headers: { origin } });
let events = 0;
ws.on('open', () => process.stdout.write('open\\n'));
ws.on('message', (data) => {
  for (const item of JSON.parse(data.toString()).batch ?? []) if (item.stream === 'event') events++;
  if (events >= Number(n)) { process.stdout.write('done\\n'); process.exit(0); }
});
ws.on('close', () => { process.stderr.write('the app closed the WebSocket after ' + events + ' events\\n'); process.exit(1); });
`;

/** Resolves `opened` once the reader's socket is open and `done` once it has seen every event. */
function startWsReader(serverUrl: string, sessionToken: string): { opened: Promise<void>; done: Promise<void> } {
  const child = spawn(process.execPath, ['-e', WS_READER, `${serverUrl.replace(/^http/, 'ws')}api/ws`, serverUrl.replace(/\/$/, ''), String(MESSAGES), sessionToken], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => code !== 0 && reject(new Error(`WebSocket reader exited with ${code}`))));
  const line = (text: string) => Promise.race([new Promise<void>((resolve) => lines.on('line', (l) => l === text && resolve())), exited]);
  return { opened: line('open'), done: line('done') };
}

function publishBacklog(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', PUBLISHER, url, topics.events(GATEWAY), TID, String(MESSAGES)], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`publisher exited with ${code}`))));
  });
}

interface Drain {
  rate: number;
  /** CPU of the subscriber's process and of mosquitto over the drain, in % of one core. */
  cpu: number;
  brokerCpu: number;
}

/** Measures from the first message of the backlog to `finished()`; CPU over the same window. */
function drainMeter(broker: TestBroker & { pid: number }) {
  let first = 0;
  let cpu0 = process.cpuUsage();
  let broker0 = 0;
  return {
    onMessage() {
      if (first !== 0) return;
      first = performance.now();
      cpu0 = process.cpuUsage();
      broker0 = processTreeCpuMs(broker.pid);
    },
    finished(): Drain {
      const ms = performance.now() - first;
      const cpu = process.cpuUsage(cpu0);
      return { rate: MESSAGES / (ms / 1000), cpu: ((cpu.user + cpu.system) / 1000 / ms) * 100, brokerCpu: ((processTreeCpuMs(broker.pid) - broker0) / ms) * 100 };
    },
  };
}

async function bare(broker: TestBroker & { pid: number }): Promise<Drain> {
  const session = { clientId: 'bench-bare', clean: false, reconnectPeriod: 0 } as const;
  const subscribed = await mqtt.connectAsync(broker.url, session);
  await subscribed.subscribeAsync(topics.events(GATEWAY), { qos: 1 });
  await subscribed.endAsync();
  await publishBacklog(broker.url);
  const meter = drainMeter(broker);
  let count = 0;
  const client = mqtt.connect(broker.url, session);
  const result = await new Promise<Drain>((resolve) =>
    client.on('message', () => {
      meter.onMessage();
      if (++count === MESSAGES) resolve(meter.finished());
    }),
  );
  await client.endAsync();
  return result;
}

async function ours(broker: TestBroker & { pid: number }): Promise<Drain> {
  const dataDir = benchTempDir('events');
  const core = await createAppCore({ dataDir, brokerUrl: broker.url, host: 'web', serveHost: '127.0.0.1' });
  const now = new Date().toISOString();
  core.upgrades.restore([
    {
      key: `${TID}:${GATEWAY}`,
      tid: TID,
      gateway: GATEWAY,
      sn: GATEWAY,
      firmwareId: 'bench',
      fileName: 'bench.bin',
      targetVersion: '1.0',
      type: 'regular',
      step: 'download',
      percent: 0,
      status: 'in_progress',
      subStatus: 'DOWNLOADING',
      verified: false,
      bytesServed: 0,
      fileSize: 1,
      startedAt: now,
      updatedAt: now,
    },
  ]);
  const server = await startWebServer({ host: '127.0.0.1', port: 0, backend: core, rendererDir: join(dataDir, 'no-renderer'), uploadDir: join(dataDir, 'uploads'), extraHandler: core.httpHandler });
  const reader = startWsReader(server.url, server.sessionToken);
  await reader.opened;
  try {
    await waitConnected(core);
    // The core's session (stable client id, clean false) is subscribed; offline, the broker queues the backlog for it.
    const settings = { url: broker.url, clientId: core.gateway.status.clientId };
    await core.handle('connection.disconnect', {});
    await publishBacklog(broker.url);
    const meter = drainMeter(broker);
    core.gateway.on('message', () => meter.onMessage());
    await core.handle('connection.connect', settings);
    await reader.done;
    await core.journal.settled();
    const result = meter.finished();
    const journaled = core.journal.journal.stats().byKind.event ?? 0;
    if (journaled < MESSAGES) throw new Error(`only ${journaled} of ${MESSAGES} events reached the journal`);
    return result;
  } finally {
    await server.close();
    await core.close();
  }
}

async function waitConnected(core: Pick<AppCore, 'gateway'>): Promise<void> {
  while (core.gateway.status.state !== 'connected') await new Promise((r) => setTimeout(r, 20));
}

// Plain JS evaluated in the page (the bench runs through tsx, whose helpers the page lacks): every change
// of a progress bar's value, stamped with the wall-clock time of the next frame, the one that shows it.
const WATCH_BARS = `(windowMs) => new Promise((resolve) => {
  const seen = [];
  let pending = [];
  const observer = new MutationObserver((records) => {
    for (const r of records) pending.push([r.target.getAttribute('aria-label'), Number(r.target.getAttribute('aria-valuenow'))]);
    requestAnimationFrame(() => {
      const shown = performance.timeOrigin + performance.now();
      for (const [label, value] of pending) seen.push([label, value, shown]);
      pending = [];
    });
  });
  observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  setTimeout(() => { observer.disconnect(); resolve(seen); }, windowMs);
})`;

/** ms from the publisher starting the tick that sent each value to the frame that showed it. */
function latencies(seen: [string, number, number][], publisher: FleetPublisher): number[] {
  const out: number[] = [];
  for (const [label, value, shown] of seen) {
    const row = Number(/BENCH-UI-DOCK-(\d+) /.exec(label)?.[1]);
    let sentAt: number | undefined;
    for (const [tick, start] of publisher.tickStarts) if (start <= shown && percentAt(row, tick) === value && (sentAt === undefined || start > sentAt)) sentAt = start;
    if (sentAt !== undefined) out.push(shown - sentAt);
  }
  return out;
}

async function screenLatency(broker: TestBroker): Promise<{ p50: number; p95: number; p99: number; n: number }> {
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--renderer'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`renderer build failed: ${build.stderr || build.stdout}`);
  let core: AppCore | undefined;
  const host = await runWebHost(
    { host: '127.0.0.1', port: 0, dataDir: benchTempDir('events-ui'), brokerUrl: broker.url, serveHost: '127.0.0.1', print: () => undefined },
    async (opts) => (core = await createAppCore(opts)),
  );
  const browser = await launchChromium();
  let publisher: FleetPublisher | undefined;
  try {
    await waitConnected(core!);
    core!.upgrades.restore(inProgressRows());
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${host.url}#/progress`);
    await page.getByRole('progressbar', { name: `${gatewayOf(0)} upgrade progress` }).waitFor();
    publisher = await startFleetPublisher(broker.url);
    await new Promise((r) => setTimeout(r, LATENCY_SETTLE_MS));
    const seen = await page.evaluate<[string, number, number][]>(`(${WATCH_BARS})(${LATENCY_WINDOW_MS})`);
    const ms = latencies(seen, publisher);
    if (ms.length < (LATENCY_WINDOW_MS / TICK_MS) * 5) throw new Error(`only ${ms.length} bar updates matched in ${LATENCY_WINDOW_MS / 1000} s: the rows were not live`);
    return { p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), n: ms.length };
  } finally {
    if (publisher) await stopFleetPublisher(publisher);
    await browser.close();
    await host.close();
  }
}

export const eventsBench: Benchmark = {
  name: 'events',
  async run() {
    const broker = await startMosquitto();
    try {
      const ref = await bare(broker);
      const mine = await ours(broker);
      const latency = await screenLatency(broker);
      const cpu = (d: Drain) => `CPU ${fmt(d.cpu, 0)}% of a core, mosquitto ${fmt(d.brokerCpu, 0)}%`;
      return {
        ratio: mine.rate / ref.rate,
        ours: mine.rate,
        ref: ref.rate,
        unit: 'msg/s',
        details: [
          `  ceilings, each draining a backlog of ${MESSAGES} QoS 1 ota_progress queued in mosquitto for its session: bare mqtt.js subscriber ${fmt(ref.rate, 0)} msg/s (${cpu(ref)}); ours ${fmt(mine.rate, 0)} msg/s, decoded, tracked, journaled (fsync before each held PUBACK) and all pushed over the WebSocket to a reader process (${cpu(mine)})`,
          `  publish-to-screen latency, ${ROWS} docks × ${1000 / TICK_MS} updates/s (${(ROWS * 1000) / TICK_MS} msg/s) via mosquitto → core → WebSocket → React in Chromium, to the frame that shows the value: p50 ${fmt(latency.p50, 0)} ms, p95 ${fmt(latency.p95, 0)} ms, p99 ${fmt(latency.p99, 0)} ms (${latency.n} updates of the bars on screen in ${LATENCY_WINDOW_MS / 1000} s)`,
        ],
      };
    } finally {
      await broker.stop();
    }
  },
};
