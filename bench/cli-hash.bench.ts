// `dockside hash` of a 1 GiB file against `openssl md5` of the same file, both timed as whole processes
// from spawn to exit (start-up, module loading, the worker and the reads all count), interleaved round
// by round. Also times `dockside --help` as a process and the bundle's freshness check on its own.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { bestOf, fmt, GIB, MB, sharedBigFile, type Benchmark } from './support';

const ROUNDS = 5;
const BIN = join(import.meta.dirname, '..', 'bin', 'dockside.mjs');
const HELP_GOAL_S = 0.3;

// Plain JS for `node -e`: the freshness check alone, as the bin runs it (first call, then warm).
const CHECK_COST = `
const t0 = performance.now();
import(process.argv[1]).then(({ checkCliBundle }) => {
  const t1 = performance.now();
  const r = checkCliBundle();
  const t2 = performance.now();
  process.stdout.write(JSON.stringify({ importMs: t1 - t0, checkMs: t2 - t1, fresh: Boolean(r.entry), stale: r.stale }));
});
`;

/** Wall time of one process from spawn to exit, and its stdout. */
function timedProcess(file: string, args: string[]): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile(file, args, { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      const ms = performance.now() - t0;
      if (err) return reject(new Error(`${file} ${args.join(' ')} failed: ${stderr || err.message}`));
      resolve({ ms, stdout });
    });
  });
}

export const cliHashBench: Benchmark = {
  name: 'cli-hash',
  async run() {
    const file = await sharedBigFile();
    // Builds the bundle if a source changed since the last build, so no round pays for it.
    await timedProcess(process.execPath, [BIN, '--help']);
    const check = JSON.parse((await timedProcess(process.execPath, ['-e', CHECK_COST, join(import.meta.dirname, '..', 'scripts', 'cli-bundle.mjs')])).stdout) as {
      importMs: number;
      checkMs: number;
      fresh: boolean;
      stale?: string;
    };
    if (!check.fresh) throw new Error(`the CLI bundle is stale right after a run (${check.stale}): the bench would time a rebuild`);
    const help: number[] = [];
    const ours: number[] = [];
    const ref: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const theirs = await timedProcess('openssl', ['md5', '-r', file]);
      const mine = await timedProcess(process.execPath, [BIN, 'hash', '--json', file]);
      const md5 = (JSON.parse(mine.stdout) as { md5: string }).md5;
      if (md5 !== theirs.stdout.split(' ')[0]) throw new Error(`dockside hash says ${md5}, openssl ${theirs.stdout.split(' ')[0]}`);
      ref.push(GIB / MB / (theirs.ms / 1000));
      ours.push(GIB / MB / (mine.ms / 1000));
      help.push((await timedProcess(process.execPath, [BIN, '--help'])).ms / 1000);
    }
    const best = bestOf(ours);
    const refBest = bestOf(ref);
    const helpBest = Math.min(...help);
    return {
      ratio: best / refBest,
      ours: best,
      ref: refBest,
      unit: 'MB/s',
      details: [
        `  1 GiB, whole processes, best of ${ROUNDS} (goal ratio ≥ 0.90); dockside hash ${ours.map((v) => fmt(v, 0)).join(' ')} MB/s, openssl md5 ${ref.map((v) => fmt(v, 0)).join(' ')} MB/s`,
        `  dockside --help: best ${fmt(helpBest, 3)} s, worst ${fmt(Math.max(...help), 3)} s (goal ≤ ${HELP_GOAL_S} s)`,
        `  freshness check of the bundle: ${fmt(check.checkMs, 1)} ms (+ ${fmt(check.importMs, 1)} ms loading the checker)`,
      ],
    };
  },
};
