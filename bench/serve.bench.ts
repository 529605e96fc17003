// Our firmware file server against nginx on the same 1 GiB file, 1 and 4 concurrent downloads.
import { FirmwareCatalogue } from '../main/firmware/catalogue';
import { FileGrants } from '../main/firmware/file-grants';
import { startFileServer } from '../main/firmware/file-server';
import { startNginx } from './nginx';
import { bestOf, download, fmt, GIB, ownCpuMs, processTreeCpuMs, sharedBigFile, type Benchmark, type BenchResult } from './support';

async function compare(clients: number, rounds: number): Promise<BenchResult> {
  const file = await sharedBigFile();
  const catalogue = new FirmwareCatalogue();
  const entry = await catalogue.add(file);
  const grants = new FileGrants();
  const ours = await startFileServer({ host: '127.0.0.1', catalogue, grants });
  const url = await ours.urlFor(grants.grant(entry.id, 'bench', 'bench'), '127.0.0.1');
  let nginx;
  try {
    nginx = await startNginx(file);
    const oursMBs: number[] = [];
    const refMBs: number[] = [];
    let oursCpu = 0;
    let refCpu = 0;
    // Interleaved rounds, so a burst of load from elsewhere on the machine hits both sides alike.
    for (let i = 0; i < rounds; i++) {
      const r0 = processTreeCpuMs(nginx.pid);
      refMBs.push(await download(nginx.url, clients, clients * GIB));
      refCpu += processTreeCpuMs(nginx.pid) - r0;
      const o0 = ownCpuMs();
      oursMBs.push(await download(url, clients, clients * GIB));
      oursCpu += ownCpuMs() - o0;
    }
    const served = ours.served();
    if (served.totalBytes !== rounds * clients * GIB) throw new Error(`server counted ${served.totalBytes} bytes, clients received ${rounds * clients * GIB}`);
    const best = bestOf(oursMBs);
    const ref = bestOf(refMBs);
    const perGiB = (ms: number) => fmt(ms / (rounds * clients), 0);
    return {
      ratio: best / ref,
      ours: best,
      ref,
      unit: 'MB/s',
      details: [
        `  ${clients} client(s), 1 GiB each, best of ${rounds}; ours ${oursMBs.map((v) => fmt(v, 0)).join(' ')} MB/s, nginx ${refMBs.map((v) => fmt(v, 0)).join(' ')} MB/s`,
        `  server CPU per GiB served: ours ${perGiB(oursCpu)} ms, nginx ${perGiB(refCpu)} ms (nginx uses sendfile; Node has none, so it reads and writes every byte)`,
      ],
    };
  } finally {
    await nginx?.stop();
    await ours.close();
  }
}

export const serveBench: Benchmark = { name: 'serve', run: () => compare(1, 5) };
export const serve4Bench: Benchmark = { name: 'serve4', run: () => compare(4, 3) };
