// What the benchmarks share: the result shape, the 1 GiB file made once per run, a download client that
// runs in its own process (so client and server never share an event loop), a port wait, and the browser.
import { execFile } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';

export interface BenchResult {
  /** ours / ref, oriented so that > 1 means we are faster. */
  ratio: number;
  ours: number;
  ref: number;
  unit: string;
  details: string[];
}

export interface Benchmark {
  name: string;
  run: () => Promise<BenchResult>;
}

/** Debian's Chromium, never throttled: a page the benchmark watches paints every frame even when unfocused. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-renderer-backgrounding',
      '--disable-background-timer-throttling',
    ],
  });
}

export const MB = 1e6;
export const GIB = 1024 * 1024 * 1024;

const tempDirs: string[] = [];
let bigFile: Promise<string> | undefined;

/** A temp folder under os.tmpdir(), removed by removeTempDirs() at the end of the run. */
export function benchTempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `dockside-bench-${label}-`));
  // nginx's workers may run as another user: they must be able to enter the folder.
  chmodSync(dir, 0o755);
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** One 1 GiB file of random bytes per run, shared by the benchmarks that need it. */
export function sharedBigFile(): Promise<string> {
  bigFile ??= (async () => {
    const path = join(benchTempDir('data'), 'EvoNest-V1.2.0.69-bench.Encrypt.uav');
    const block = Buffer.allocUnsafe(16 * 1024 * 1024);
    const fd = openSync(path, 'w', 0o644);
    try {
      for (let written = 0; written < GIB; written += block.length) {
        randomFillSync(block);
        writeSync(fd, block);
      }
    } finally {
      closeSync(fd);
    }
    return path;
  })();
  return bigFile;
}

export function bestOf(values: number[]): number {
  return Math.max(...values);
}

export function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

// Plain JS run by `node -e`: N parallel GETs with node:http, bytes discarded, wall time measured.
const CLIENT_SOURCE = `
const http = require('node:http');
const [url, n] = process.argv.slice(1);
const agent = new http.Agent({ keepAlive: false, maxSockets: Number(n) });
const t0 = process.hrtime.bigint();
let bytes = 0;
const one = () => new Promise((resolve, reject) => {
  http.get(url, { agent }, (res) => {
    if (res.statusCode !== 200) return reject(new Error('HTTP ' + res.statusCode));
    res.on('data', (c) => { bytes += c.length; });
    res.on('end', resolve);
    res.on('error', reject);
  }).on('error', reject);
});
Promise.all(Array.from({ length: Number(n) }, one)).then(() => {
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(JSON.stringify({ bytes, ms }));
}, (e) => { process.stderr.write(String(e && e.message)); process.exit(1); });
`;

/** Downloads `url` with `clients` concurrent connections from a separate node process; MB/s overall. */
export function download(url: string, clients: number, expectBytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', CLIENT_SOURCE, url, String(clients)], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`download client failed: ${stderr || err.message}`));
      const { bytes, ms } = JSON.parse(stdout) as { bytes: number; ms: number };
      if (bytes !== expectBytes) return reject(new Error(`download client got ${bytes} bytes, expected ${expectBytes}`));
      resolve(bytes / MB / (ms / 1000));
    });
  });
}

const CLOCK_TICKS_PER_S = 100;

/** user + system CPU time of a process and its children (Linux /proc), in ms; 0 where /proc is absent. */
export function processTreeCpuMs(pid: number): number {
  try {
    // Fields after the ")" that closes the command name: utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return own + children.reduce((sum, c) => sum + processTreeCpuMs(Number(c)), 0);
  } catch {
    return 0;
  }
}

/** CPU time of this process's children that have exited and been waited for (Linux /proc), in ms. */
export function exitedChildrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** This process's CPU time (all threads), in ms. */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
