// Vehicle events per second over HTTP into the journal (aktualizr batches on POST /events: decoded,
// normalised, written with fsync before the 204), against a bare node:http handler that only reads
// the same bodies. The client runs in its own process.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createAppCore } from '../main/app/app-core';
import { benchTempDir, fmt, type Benchmark } from './support';

const EVENTS = 200_000;
const PER_REQUEST = 1000;
const CONCURRENCY = 4;

// Plain JS for `node -e`: CONCURRENCY keep-alive connections POSTing aktualizr event arrays.
const CLIENT = `
const http = require('node:http');
const [base, total, per, conc] = process.argv.slice(1).map((v, i) => (i === 0 ? v : Number(v)));
const agent = new http.Agent({ keepAlive: true, maxSockets: conc });
const types = ['EcuDownloadStarted', 'EcuDownloadCompleted', 'EcuInstallationStarted', 'EcuInstallationApplied', 'EcuInstallationCompleted'];
function body(r) {
  const events = [];
  for (let i = 0; i < per; i++) {
    const n = r * per + i;
    events.push({ deviceTime: new Date(1_790_000_000_000 + n * 1000).toISOString(), eventType: { id: types[n % 5], version: 0 },
      id: 'bench-' + n, event: { correlationId: 'urn:bench:campaign:' + (n % 7), ecu: 'ecu-' + (n % 3), success: true } });
  }
  return JSON.stringify(events);
}
const requests = total / per;
let next = 0;
const t0 = process.hrtime.bigint();
function post(r) {
  return new Promise((resolve, reject) => {
    const data = body(r);
    const req = http.request(base + '/events', { method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-device-id': 'VIN-BENCH-' + (r % 50), 'content-length': Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 204 ? resolve() : reject(new Error('HTTP ' + res.statusCode))));
    });
    req.on('error', reject);
    req.end(data);
  });
}
async function worker() { while (next < requests) await post(next++); }
Promise.all(Array.from({ length: conc }, worker)).then(() => {
  process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e9));
}, (e) => { console.error(e.message); process.exit(1); });
`;

function runClient(base: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CLIENT, base, String(EVENTS), String(PER_REQUEST), String(CONCURRENCY)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(EVENTS / Number(out)) : reject(new Error(`client exited with ${code}`))));
  });
}

async function listen(handler: http.RequestListener): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer({ keepAliveTimeout: 10_000 }, handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { base, close: () => new Promise((r) => server.close(() => r())) };
}

export const ingestBench: Benchmark = {
  name: 'ingest',
  async run() {
    const bare = await listen((req, res) => {
      req.on('data', () => undefined);
      req.on('end', () => res.writeHead(204).end());
    });
    const ref = await runClient(bare.base);
    await bare.close();

    const core = await createAppCore({ dataDir: benchTempDir('ingest'), host: 'web', connectOnStart: false, restore: false });
    const app = await listen((req, res) => {
      if (!core.httpHandler(req, res)) res.writeHead(404).end();
    });
    const rate = await runClient(app.base);
    await app.close();
    const stored = core.journal.journal.stats().byKind.event ?? 0;
    await core.close();
    if (stored !== EVENTS) throw new Error(`${stored} of ${EVENTS} events reached the journal`);
    return {
      ratio: rate / ref,
      ours: rate,
      ref,
      unit: 'events/s',
      details: [`  ${EVENTS} aktualizr events, ${PER_REQUEST} per POST /events, ${CONCURRENCY} connections; ours decodes and journals with fsync before answering 204 (goal ≥ 20000 events/s: ${rate >= 20_000 ? 'met' : 'missed'}); ref reads the body only (${fmt(ref, 0)} events/s)`],
    };
  },
};
