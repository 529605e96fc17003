// Our worker-thread MD5 against `openssl md5` on the same 1 GiB file, both timed as wall clock from the
// caller (worker start-up and process start-up included).
import { execFile } from 'node:child_process';
import { hashFile } from '../main/firmware/md5-hasher';
import { bestOf, exitedChildrenCpuMs, fmt, GIB, MB, ownCpuMs, sharedBigFile, type Benchmark } from './support';

const ROUNDS = 5;

function opensslMd5(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('openssl', ['md5', '-r', path], (err, stdout) => {
      if (err) reject(new Error(`openssl md5 failed: ${err.message}`, { cause: err }));
      else resolve(stdout.split(' ')[0]!);
    });
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}

export const md5Bench: Benchmark = {
  name: 'md5',
  async run() {
    const file = await sharedBigFile();
    const ours: number[] = [];
    const ref: number[] = [];
    let oursCpu = 0;
    let refCpu = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const r0 = exitedChildrenCpuMs();
      const [theirs, refMs] = await timed(() => opensslMd5(file));
      refCpu += exitedChildrenCpuMs() - r0;
      const o0 = ownCpuMs();
      const [mine, oursMs] = await timed(() => hashFile(file));
      oursCpu += ownCpuMs() - o0;
      if (mine.md5 !== theirs) throw new Error(`MD5 differs from openssl: ${mine.md5} vs ${theirs}`);
      ref.push(GIB / MB / (refMs / 1000));
      ours.push(GIB / MB / (oursMs / 1000));
    }
    const best = bestOf(ours);
    const refBest = bestOf(ref);
    return {
      ratio: best / refBest,
      ours: best,
      ref: refBest,
      unit: 'MB/s',
      details: [
        `  1 GiB, best of ${ROUNDS}; ours ${ours.map((v) => fmt(v, 0)).join(' ')} MB/s, openssl ${ref.map((v) => fmt(v, 0)).join(' ')} MB/s`,
        `  CPU per GiB: ours ${fmt(oursCpu / ROUNDS, 0)} ms, openssl ${fmt(refCpu / ROUNDS, 0)} ms`,
      ],
    };
  },
};
