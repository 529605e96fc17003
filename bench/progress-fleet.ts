// 200 docks' upgrades in progress, as the `ui` and `events` benchmarks drive them: the rows restored in
// the core (200 simulated docks would cost more CPU than what is measured, on two cores), and a separate
// publisher process sending each row's real ota_progress over MQTT every 250 ms, percent creeping up.
// The publisher names the wall-clock time each tick started, so a bench can tell when a value was sent.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { DeviceUpgrade } from '../preload/api';

export const ROWS = 200;
export const TICK_MS = 250;

export const gatewayOf = (i: number) => `BENCH-UI-DOCK-${String(i).padStart(3, '0')}`;
export const tidOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
/** The percent row i reports at tick k (the publisher's formula): it repeats every 98 ticks. */
export const percentAt = (i: number, tick: number) => Math.min(99, 1 + ((tick + i) % 98));

// Plain JS for `node -e`: every TICK_MS one ota_progress (QoS 1) per gateway until killed; prints
// "ready", then "tick <k> <Date.now()>" as each tick starts.
const PUBLISHER = `
const mqtt = require('mqtt');
const [url, rows, tickMs] = process.argv.slice(1);
const pad = (n, w) => String(n).padStart(w, '0');
const client = mqtt.connect(url, { clientId: 'bench-fleet-publisher', reconnectPeriod: 0 });
let tick = 0;
client.on('connect', () => {
  process.stdout.write('ready\\n');
  setInterval(() => {
    tick++;
    process.stdout.write('tick ' + tick + ' ' + Date.now() + '\\n');
    for (let i = 0; i < Number(rows); i++) {
      const tid = '00000000-0000-4000-8000-' + pad(i, 12);
      const payload = JSON.stringify({ tid, bid: tid, timestamp: Date.now(), method: 'ota_progress',
        data: { result: 0, output: { status: 'in_progress', sub_status: 'DOWNLOADING', progress: { percent: Math.min(99, 1 + ((tick + i) % 98)), step_key: 'download_firmware' } } } });
      client.publish('thing/product/BENCH-UI-DOCK-' + pad(i, 3) + '/events', payload, { qos: 1 });
    }
  }, Number(tickMs));
});
`;

export interface FleetPublisher {
  child: ChildProcess;
  /** Wall-clock ms at which tick k started, by k. */
  tickStarts: Map<number, number>;
}

export function startFleetPublisher(url: string): Promise<FleetPublisher> {
  const child = spawn(process.execPath, ['-e', PUBLISHER, url, String(ROWS), String(TICK_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const tickStarts = new Map<number, number>();
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'ready') return resolve({ child, tickStarts });
      const [, k, t] = line.split(' ');
      tickStarts.set(Number(k), Number(t));
    });
    child.once('exit', (code) => reject(new Error(`publisher exited with ${code}`)));
  });
}

export async function stopFleetPublisher(publisher: FleetPublisher): Promise<void> {
  const { child } = publisher;
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(child.pid!, 'SIGTERM');
  await exited;
}

export function inProgressRows(): DeviceUpgrade[] {
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

export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
