// ota_progress messages per second through a real mosquitto into the app's whole pipeline (decode,
// state machine, journal with durability and the PUBACK gate, batched push to a WebSocket client),
// against a bare mqtt.js subscriber on the same broker fed by the same publisher.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import mqtt from 'mqtt';
import WebSocket from 'ws';
import { createAppCore } from '../main/app/app-core';
import { startWebServer } from '../main/host/web-server';
import { topics } from '../wire/dji/topics';
import { startMosquitto } from '../test-support/brokers';
import { benchTempDir, fmt, type Benchmark } from './support';

const MESSAGES = 40_000;
const GATEWAY = 'BENCH-DOCK';
const TID = '00000000-0000-4000-8000-00000000bench';

// Plain JS for `node -e`: publishes MESSAGES QoS 1 ota_progress events as fast as the broker takes them.
const PUBLISHER = `
const mqtt = require('mqtt');
const [url, topic, tid, n] = process.argv.slice(1);
const client = mqtt.connect(url, { clientId: 'bench-publisher', reconnectPeriod: 0 });
client.on('connect', async () => {
  const sends = [];
  for (let i = 0; i < Number(n); i++) {
    const payload = JSON.stringify({ tid, bid: tid, timestamp: Date.now(), method: 'ota_progress',
      data: { result: 0, output: { status: 'in_progress', sub_status: 'DOWNLOADING', progress: { percent: Math.floor((i / Number(n)) * 99), step_key: 'download_firmware' } } } });
    sends.push(client.publishAsync(topic, payload, { qos: 1 }));
    if (sends.length >= 500) await Promise.all(sends.splice(0));
  }
  await Promise.all(sends);
  client.end();
});
`;

function publish(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', PUBLISHER, url, topics.events(GATEWAY), TID, String(MESSAGES)], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`publisher exited with ${code}`))));
  });
}

/** Messages per second from the first to the last one the receiver counted. */
async function bare(url: string): Promise<number> {
  const client = await mqtt.connectAsync(url, { clientId: 'bench-bare', reconnectPeriod: 0 });
  await client.subscribeAsync(topics.events(GATEWAY), { qos: 1 });
  let first = 0;
  let count = 0;
  const done = new Promise<number>((resolve) =>
    client.on('message', () => {
      if (count++ === 0) first = performance.now();
      if (count === MESSAGES) resolve(performance.now());
    }),
  );
  await publish(url);
  const last = await done;
  await client.endAsync();
  return MESSAGES / ((last - first) / 1000);
}

async function ours(url: string): Promise<{ rate: number; pushed: number }> {
  const dataDir = benchTempDir('events');
  const core = await createAppCore({ dataDir, brokerUrl: url, host: 'web', serveHost: '127.0.0.1' });
  const now = new Date().toISOString();
  core.upgrades.restore([
    { key: `${TID}:${GATEWAY}`, tid: TID, gateway: GATEWAY, sn: GATEWAY, firmwareId: 'bench', fileName: 'bench.bin', targetVersion: '1.0', type: 'regular', step: 'download', percent: 0, status: 'in_progress', subStatus: 'DOWNLOADING', verified: false, bytesServed: 0, fileSize: 1, startedAt: now, updatedAt: now },
  ]);
  const server = await startWebServer({ host: '127.0.0.1', port: 0, backend: core, rendererDir: join(dataDir, 'no-renderer'), uploadDir: join(dataDir, 'uploads'), extraHandler: core.httpHandler });
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}api/ws`, ['dockside.v1', `dockside-session.${server.sessionToken}`], { headers: { origin: server.url.replace(/\/$/, '') } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  while (core.gateway.status.state !== 'connected') await new Promise((r) => setTimeout(r, 20));

  let first = 0;
  core.gateway.on('message', () => {
    if (first === 0) first = performance.now();
  });
  let pushed = 0;
  const seenAll = new Promise<void>((resolve) =>
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { batch?: { stream: string }[] };
      for (const item of frame.batch ?? []) if (item.stream === 'event') pushed++;
      if (pushed >= MESSAGES) resolve();
    }),
  );
  await publish(url);
  await seenAll;
  await core.journal.settled();
  const last = performance.now();
  const total = core.journal.journal.stats().byKind.event ?? 0;
  ws.close();
  await server.close();
  await core.close();
  if (total < MESSAGES) throw new Error(`only ${total} of ${MESSAGES} events reached the journal`);
  return { rate: MESSAGES / ((last - first) / 1000), pushed };
}

export const eventsBench: Benchmark = {
  name: 'events',
  async run() {
    const broker = await startMosquitto();
    try {
      const ref = await bare(broker.url);
      const mine = await ours(broker.url);
      return {
        ratio: mine.rate / ref,
        ours: mine.rate,
        ref,
        unit: 'msg/s',
        details: [`  ${MESSAGES} QoS 1 ota_progress via mosquitto; ours: decoded, tracked, journaled (fsync), ${mine.pushed} pushed over the WebSocket; ref: bare mqtt.js subscriber (${fmt(ref, 0)} msg/s)`],
      };
    } finally {
      await broker.stop();
    }
  },
};
