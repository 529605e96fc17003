// Child process for the crash tests: `node --import tsx append-burst.ts DIR burst|hold`.
// burst: appends forever, 25 concurrent appends at a time, printing each acknowledged seq on stdout.
// hold: opens the journal (taking the data folder's lock), prints "open" and waits to be killed.
import { Journal } from '../journal';

const [dir, mode] = process.argv.slice(2);
if (!dir || (mode !== 'burst' && mode !== 'hold')) {
  process.stderr.write('usage: append-burst.ts DIR burst|hold\n');
  process.exit(2);
}

const journal = await Journal.open(dir, { segmentBytes: 256 * 1024 });
if (mode === 'hold') {
  process.stdout.write('open\n');
  setInterval(() => undefined, 60_000);
} else {
  let n = 0;
  for (;;) {
    const acks: Promise<void>[] = [];
    for (let i = 0; i < 25; i++) {
      n++;
      const record = {
        kind: 'event',
        event: {
          id: `burst-${n}`,
          time: new Date(1_750_000_000_000 + n).toISOString(),
          source: 'dji' as const,
          device: `BURST${n % 3}`,
          campaign: 'burst-campaign',
          phase: 'download' as const,
          state: 'running' as const,
          percent: n % 101,
          message: 'x'.repeat(n % 700),
          raw: { n },
        },
      };
      acks.push(journal.append(record).then((seq) => void process.stdout.write(`${seq}\n`)));
    }
    await Promise.all(acks);
  }
}
