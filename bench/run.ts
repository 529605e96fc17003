// `npm run bench [-- NAME…] [--json FILE]`: runs the registered benchmarks one after the other and prints
// one `BENCH <name> ratio=<x> ours=<v><unit> ref=<v><unit>` line each (ratio > 1: faster than the reference).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BENCHMARKS } from './registry';
import { fmt, removeTempDirs } from './support';

interface Row {
  name: string;
  ratio?: number;
  ours?: number;
  ref?: number;
  unit?: string;
  details?: string[];
  error?: string;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: { json: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message.split('\n')[0]}\n`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(`Usage: npm run bench -- [NAME…] [--json FILE]\nBenchmarks: ${BENCHMARKS.map((b) => b.name).join(', ')}\n`);
    return 0;
  }
  const unknown = args.positionals.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')} (known: ${BENCHMARKS.map((b) => b.name).join(', ')})\n`);
    return 2;
  }
  const chosen = args.positionals.length > 0 ? BENCHMARKS.filter((b) => args.positionals.includes(b.name)) : BENCHMARKS;
  const rows: Row[] = [];
  try {
    for (const bench of chosen) {
      try {
        const r = await bench.run();
        process.stdout.write(`BENCH ${bench.name} ratio=${fmt(r.ratio, 3)} ours=${fmt(r.ours)}${r.unit} ref=${fmt(r.ref)}${r.unit}\n`);
        for (const line of r.details) process.stdout.write(`${line}\n`);
        rows.push({ name: bench.name, ...r });
      } catch (e) {
        process.stdout.write(`BENCH ${bench.name} error: ${(e as Error).message.split('\n')[0]}\n`);
        rows.push({ name: bench.name, error: (e as Error).message });
      }
    }
  } finally {
    removeTempDirs();
  }
  if (args.values.json) writeFileSync(args.values.json, JSON.stringify(rows, null, 2) + '\n');
  return rows.some((r) => r.error) ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    removeTempDirs();
    process.exit(130);
  });
}
process.exitCode = await main();
