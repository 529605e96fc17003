// Streamed MD5 of a firmware file in a worker thread, so hashing a multi-gigabyte image never stalls the
// main process (MQTT keep-alives, the file server, the UI bridge).
import { Worker } from 'node:worker_threads';
import { FirmwareError } from './firmware-error';

export interface HashResult {
  /** Lowercase hex, as ota_create's `md5` field wants it. */
  md5: string;
  size: number;
  ms: number;
}

export interface HashOptions {
  /** Called at most every `progressIntervalMs`, and once at the end with bytes === total. */
  onProgress?: (bytes: number, total: number) => void;
  /** Default 100 ms; 0 reports after every chunk read. */
  progressIntervalMs?: number;
  signal?: AbortSignal;
}

const CHUNK_BYTES = 1024 * 1024;
const PROGRESS_MS = 100;

// The worker is a self-contained CommonJS string run with `eval: true` rather than a sibling file: it needs
// no transpiling under tsx or vitest, and esbuild can bundle main/ into one file for Electron without
// copying or locating a worker asset. It reads synchronously into one reused buffer: the thread has
// nothing else to do, and sync reads skip the thread-pool round trip of fs.read.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const { path, chunkBytes, progressMs } = workerData;
let fd;
try {
  const st = fs.statSync(path);
  if (!st.isFile()) {
    const e = new Error('not a regular file');
    e.code = st.isDirectory() ? 'EISDIR' : 'ENOTREG';
    throw e;
  }
  fd = fs.openSync(path, 'r');
  const total = fs.fstatSync(fd).size;
  const hash = createHash('md5');
  const buf = Buffer.allocUnsafe(chunkBytes);
  const t0 = performance.now();
  let bytes = 0;
  let last = Date.now();
  for (;;) {
    const n = fs.readSync(fd, buf, 0, chunkBytes, null);
    if (n === 0) break;
    hash.update(n === chunkBytes ? buf : buf.subarray(0, n));
    bytes += n;
    const now = Date.now();
    if (now - last >= progressMs) {
      last = now;
      parentPort.postMessage({ type: 'progress', bytes, total: Math.max(total, bytes) });
    }
  }
  parentPort.postMessage({ type: 'done', md5: hash.digest('hex'), size: bytes, ms: performance.now() - t0 });
} catch (e) {
  parentPort.postMessage({ type: 'error', code: e && e.code, message: String(e && e.message) });
} finally {
  if (fd !== undefined) try { fs.closeSync(fd); } catch {}
}
`;

type WorkerMessage = { type: 'progress'; bytes: number; total: number } | { type: 'done'; md5: string; size: number; ms: number } | { type: 'error'; code?: string; message: string };

export function hashFile(path: string, opts: HashOptions = {}): Promise<HashResult> {
  const { onProgress, signal, progressIntervalMs = PROGRESS_MS } = opts;
  return new Promise<HashResult>((resolve, reject) => {
    if (signal?.aborted) return reject(FirmwareError.aborted(path));
    // execArgv: [] keeps loader flags (tsx, vitest) out of a worker that needs none.
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { path, chunkBytes: CHUNK_BYTES, progressMs: progressIntervalMs } });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = () => settle(() => reject(FirmwareError.aborted(path)));
    signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (m: WorkerMessage) => {
      if (settled) return;
      if (m.type === 'progress') {
        onProgress?.(m.bytes, m.total);
      } else if (m.type === 'done') {
        onProgress?.(m.size, m.size);
        settle(() => resolve({ md5: m.md5, size: m.size, ms: Math.round(m.ms) }));
      } else {
        const err = m.code === 'ENOTREG' ? new FirmwareError('not-a-file', `${path} is not a regular file`, path) : FirmwareError.fromErrno(path, m.code, m.message);
        settle(() => reject(err));
      }
    });
    worker.on('error', (e) => settle(() => reject(FirmwareError.fromErrno(path, undefined, e.message))));
    worker.on('exit', (code) => settle(() => reject(new FirmwareError('io', `${path}: hashing stopped unexpectedly (worker exit ${code})`, path))));
  });
}
