// CSV export of a million events (journal → RFC 4180 file, streamed) against a bare loop producing the
// same bytes: readline + JSON.parse over the segments, the rows built inline, written with writeSync.
// The two files must be byte-identical.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, openSync, readFileSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { exportCsv } from '../main/journal/export-csv';
import { Journal } from '../main/journal/journal';
import { MILLION, millionEventDataDir, segmentFiles } from './replay.bench';
import { benchTempDir, fmt, type Benchmark } from './support';

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

async function bareLoop(dataDir: string, target: string): Promise<void> {
  const fd = openSync(target, 'w');
  let chunk = 'id,time,source,device,campaign,phase,state,percent,message,raw\r\n';
  for (const file of segmentFiles(dataDir)) {
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      const e = JSON.parse(line).rec.event;
      chunk += `${quote(e.id)},${quote(e.time)},${e.source},${quote(e.device)},${quote(e.campaign)},${e.phase},${e.state},${e.percent ?? ''},${quote(e.message)},${quote(JSON.stringify(e.raw))}\r\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

async function ours(dataDir: string, target: string): Promise<number> {
  const journal = await Journal.open(dataDir, { readOnly: true });
  const out = createWriteStream(target);
  const { events } = await exportCsv(journal, out);
  out.end();
  await once(out, 'close');
  await journal.close();
  return events;
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

export const exportBench: Benchmark = {
  name: 'export',
  async run() {
    const dataDir = await millionEventDataDir();
    const outDir = benchTempDir('export');
    const refFile = join(outDir, 'ref.csv');
    const ourFile = join(outDir, 'ours.csv');
    let t0 = performance.now();
    await bareLoop(dataDir, refFile);
    const refS = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const events = await ours(dataDir, ourFile);
    const oursS = (performance.now() - t0) / 1000;
    if (events !== MILLION) throw new Error(`exported ${events} events, expected ${MILLION}`);
    if (sha(refFile) !== sha(ourFile)) throw new Error('our CSV differs from the bare loop output');
    return {
      ratio: refS / oursS,
      ours: oursS,
      ref: refS,
      unit: 's',
      details: [`  ${MILLION} events to CSV: exportCsv ${fmt(oursS, 2)} s, bare readline loop ${fmt(refS, 2)} s, outputs byte-identical`],
    };
  },
};
