// Vehicle events per second over HTTP into the journal (aktualizr batches on POST /events: decoded,
// normalised, written with fsync before the 204), against two references measured in the same run on
// the same bodies: a bare node:http handler that only reads them (`ingest`), and a bare JSON.parse loop
// over them (`ingest-parse`). The HTTP client runs in its own process.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { createAppCore } from '../main/app/app-core';
import { benchTempDir, fmt, type Benchmark } from './support';

const EVENTS = 200_000;
const PER_REQUEST = 1000;
const CONCURRENCY = 4;
const TYPES = ['EcuDownloadStarted', 'EcuDownloadCompleted', 'EcuInstallationStarted', 'EcuInstallationApplied', 'EcuInstallationCompleted'];

/** The request bodies: JSON arrays of aktualizr events, as the client will send them. */
function makeBodies(): string[] {
  const bodies: string[] = [];
  for (let r = 0; r < EVENTS / PER_REQUEST; r++) {
    const events = [];
    for (let i = 0; i < PER_REQUEST; i++) {
      const n = r * PER_REQUEST + i;
      events.push({
        deviceTime: new Date(1_790_000_000_000 + n * 1000).toISOString(),
        eventType: { id: TYPES[n % 5], version: 0 },
        id: `bench-${n}`,
        event: { correlationId: `urn:bench:campaign:${n % 7}`, ecu: `ecu-${n % 3}`, success: true },
      });
    }
    bodies.push(JSON.stringify(events));
  }
  return bodies;
}

// Plain JS for `node -e`: CONCURRENCY keep-alive connections POSTing the bodies read from a file.
const CLIENT = `
const http = require('node:http');
const fs = require('node:fs');
const [base, file, conc] = process.argv.slice(1);
const bodies = JSON.parse(fs.readFileSync(file, 'utf8'));
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(conc) });
let next = 0;
const t0 = process.hrtime.bigint();
function post(r) {
  return new Promise((resolve, reject) => {
    const data = bodies[r];
    const req = http.request(base + '/events', { method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-device-id': 'VIN-BENCH-' + (r % 50), 'content-length': Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 204 ? resolve() : reject(new Error('HTTP ' + res.statusCode))));
    });
    req.on('error', reject);
    req.end(data);
  });
}
async function worker() { while (next < bodies.length) await post(next++); }
Promise.all(Array.from({ length: Number(conc) }, worker)).then(() => {
  process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e9));
}, (e) => { console.error(e.message); process.exit(1); });
`;

function runClient(base: string, bodiesFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CLIENT, base, bodiesFile, String(CONCURRENCY)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(EVENTS / Number(out)) : reject(new Error(`client exited with ${code}`))));
  });
}

async function listen(handler: http.RequestListener): Promise<{ base: string; close: () => Promise<void> }> {
  const server = http.createServer({ keepAliveTimeout: 10_000 }, handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { base, close: () => new Promise((r) => server.close(() => r())) };
}

/** Events/s of a loop that only JSON.parses the same bodies (from Buffers, as HTTP delivers them). */
function parseLoop(bodies: string[]): number {
  const buffers = bodies.map((b) => Buffer.from(b));
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let seen = 0;
    const t0 = performance.now();
    for (const b of buffers) seen += (JSON.parse(b.toString('utf8')) as unknown[]).length;
    const rate = seen / ((performance.now() - t0) / 1000);
    if (rate > best) best = rate;
  }
  return best;
}

interface IngestRun {
  ours: number;
  bareHttp: number;
  parseOnly: number;
}

// Both benchmarks read one measurement of our pipeline, taken once per run.
let measured: Promise<IngestRun> | undefined;

function measure(): Promise<IngestRun> {
  measured ??= (async () => {
    const bodies = makeBodies();
    const bodiesFile = join(benchTempDir('ingest-bodies'), 'bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(bodies));

    const bare = await listen((req, res) => {
      req.on('data', () => undefined);
      req.on('end', () => res.writeHead(204).end());
    });
    const bareHttp = await runClient(bare.base, bodiesFile);
    await bare.close();

    const core = await createAppCore({ dataDir: benchTempDir('ingest'), host: 'web', connectOnStart: false, restore: false });
    const app = await listen((req, res) => {
      if (!core.httpHandler(req, res)) res.writeHead(404).end();
    });
    const ours = await runClient(app.base, bodiesFile);
    await app.close();
    const stored = core.journal.journal.stats().byKind.event ?? 0;
    await core.close();
    if (stored !== EVENTS) throw new Error(`${stored} of ${EVENTS} events reached the journal`);
    return { ours, bareHttp, parseOnly: parseLoop(bodies) };
  })();
  return measured;
}

const workload = `${EVENTS} aktualizr events, ${PER_REQUEST} per POST /events, ${CONCURRENCY} connections; ours decodes and journals with fsync before answering 204`;

export const ingestBench: Benchmark = {
  name: 'ingest',
  async run() {
    const m = await measure();
    return {
      ratio: m.ours / m.bareHttp,
      ours: m.ours,
      ref: m.bareHttp,
      unit: 'events/s',
      details: [`  ${workload} (goal ≥ 20000 events/s: ${m.ours >= 20_000 ? 'met' : 'missed'}); ref: a node:http handler that only reads the body (${fmt(m.bareHttp, 0)} events/s)`],
    };
  },
};

export const ingestParseBench: Benchmark = {
  name: 'ingest-parse',
  async run() {
    const m = await measure();
    return {
      ratio: m.ours / m.parseOnly,
      ours: m.ours,
      ref: m.parseOnly,
      unit: 'events/s',
      details: [`  ${workload}; ref: a bare JSON.parse loop over the same bodies, in process, best of 3 (${fmt(m.parseOnly, 0)} events/s)`],
    };
  },
};
