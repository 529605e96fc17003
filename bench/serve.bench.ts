// Our firmware file server against nginx on the same 1 GiB file, 1 and 4 concurrent downloads.
import { FirmwareCatalogue } from '../main/firmware/catalogue';
import { startFileServer } from '../main/firmware/file-server';
import { startNginx } from './nginx';
import { bestOf, download, fmt, GIB, sharedBigFile, type Benchmark, type BenchResult } from './support';

const ROUNDS = 3;

async function compare(clients: number): Promise<BenchResult> {
  const file = await sharedBigFile();
  const catalogue = new FirmwareCatalogue();
  const entry = await catalogue.add(file);
  const ours = await startFileServer({ host: '127.0.0.1', catalogue });
  let nginx;
  try {
    nginx = await startNginx(file);
    const oursMBs: number[] = [];
    const refMBs: number[] = [];
    // Interleaved rounds, so a burst of load from elsewhere on the machine hits both sides alike.
    for (let i = 0; i < ROUNDS; i++) {
      refMBs.push(await download(nginx.url, clients, clients * GIB));
      oursMBs.push(await download(ours.urlFor(entry.id, 'bench'), clients, clients * GIB));
    }
    const served = ours.served();
    if (served.totalBytes !== ROUNDS * clients * GIB) throw new Error(`server counted ${served.totalBytes} bytes, clients received ${ROUNDS * clients * GIB}`);
    const best = bestOf(oursMBs);
    const ref = bestOf(refMBs);
    return {
      ratio: best / ref,
      ours: best,
      ref,
      unit: 'MB/s',
      details: [
        `  ${clients} client(s), 1 GiB each, best of ${ROUNDS}; ours ${oursMBs.map((v) => fmt(v, 0)).join(' ')} MB/s, nginx ${refMBs.map((v) => fmt(v, 0)).join(' ')} MB/s`,
      ],
    };
  } finally {
    await nginx?.stop();
    await ours.close();
  }
}

export const serveBench: Benchmark = { name: 'serve', run: () => compare(1) };
export const serve4Bench: Benchmark = { name: 'serve4', run: () => compare(4) };
