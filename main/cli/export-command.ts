import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { basename } from 'node:path';
import type { Writable } from 'node:stream';
import { parse, type Command } from './command';
import { UsageError, UserError } from '../app/user-errors';
import { SUMMARIES } from './summaries';
import { dataDirProblem, resolveDataDir } from '../journal/data-dir';
import { Journal, JournalError, type RecoveryReport } from '../journal/journal';
import { exportCsv } from '../journal/export-csv';
import { exportJsonl } from '../journal/export-jsonl';
import { exportReport } from '../journal/export-report';
import type { ExportOptions, ExportSummary } from '../journal/export-source';

const FORMATS = ['csv', 'jsonl', 'html'] as const;
type Format = (typeof FORMATS)[number];

function formatOption(value: string | undefined): Format {
  if (value === undefined) throw new UsageError('--format csv|jsonl|html is required');
  if (!(FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format must be csv, jsonl or html, got "${value}"`);
  return value as Format;
}

function sinceOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || !Number.isFinite(Date.parse(value))) {
    throw new UsageError(`--since must be an ISO 8601 date or time (e.g. 2025-06-02 or 2025-06-02T08:00:00Z), got "${value}"`);
  }
  return value;
}

/** What reading found wrong, on stderr; a reader never repairs, the app does when it next opens the folder. */
function reportRecovery(recovery: RecoveryReport): void {
  for (const t of recovery.tails) {
    process.stderr.write(
      `dockside export: note: ${t.segment} ends with ${t.bytes} bytes that are not a finished record (offset ${t.offset}: ${t.reason}); ` +
        'left in place and not exported (a crash, or Dockside still writing)\n',
    );
  }
  if (recovery.skipped.length > 0) {
    const bytes = recovery.skipped.reduce((n, s) => n + s.bytes, 0);
    process.stderr.write(`dockside export: note: skipped ${recovery.skipped.length} damaged lines (${bytes} bytes) in the journal\n`);
  }
}

async function openOutput(path: string, shownAs: string): Promise<WriteStream> {
  const stream = createWriteStream(path);
  try {
    await once(stream, 'open');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`cannot write ${shownAs}: ${err.code === 'ENOENT' ? 'its folder does not exist' : err.message}`);
  }
  return stream;
}

function progressLine(): ExportOptions['onProgress'] {
  if (!process.stderr.isTTY) return undefined;
  let shown = -1;
  return (done, total) => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (pct === shown) return;
    shown = pct;
    process.stderr.write(`\rexporting… ${pct}%${pct === 100 ? '\n' : ''}`);
  };
}

export const exportCommand: Command = {
  name: 'export',
  summary: SUMMARIES.export,
  usage: `Usage: dockside export --data DIR --format csv|jsonl|html [--out FILE] [--since ISO] [--device SN]
                       [--site S] [--technician T] [--customer C] [--notes N]

Reads the journal in a data folder (even one left by a crash; an unfinished last record is reported on
stderr and left out) and writes every event, oldest first, to FILE or to stdout.

  --data DIR        the data folder (default: $DOCKSIDE_DATA, else the app's data folder)
  --format F        csv (RFC 4180, one row per event), jsonl (one UpgradeEvent per line) or
                    html (a report per device with a timeline chart; prints to PDF)
  --out FILE        write here instead of stdout (written to FILE.partial, renamed when complete)
  --since ISO       only events at or after this date/time (e.g. 2025-06-02T08:00:00Z)
  --device SN       only this device's events
  --site, --technician, --customer, --notes
                    details printed at the top of the html report`,
  async run(argv) {
    const { values } = parse(argv, {
      data: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      since: { type: 'string' },
      device: { type: 'string' },
      site: { type: 'string' },
      technician: { type: 'string' },
      customer: { type: 'string' },
      notes: { type: 'string' },
    });
    const format = formatOption(values.format);
    const since = sinceOption(values.since);
    if (values.out === '') throw new UsageError('--out needs a file name');
    const dir = resolveDataDir(values.data);
    const problem = dataDirProblem(dir);
    if (problem) throw new UserError(problem);

    let journal: Journal;
    try {
      journal = await Journal.open(dir, { readOnly: true });
    } catch (e) {
      if (e instanceof JournalError) throw new UserError(e.message);
      throw e;
    }
    reportRecovery(journal.recovery);

    const partial = values.out === undefined ? undefined : `${values.out}.partial`;
    const out: Writable = values.out === undefined ? process.stdout : await openOutput(`${values.out}.partial`, values.out);
    const opts = {
      since,
      device: values.device,
      onProgress: partial === undefined ? undefined : progressLine(),
      site: values.site,
      technician: values.technician,
      customer: values.customer,
      notes: values.notes,
    };
    let stdoutError: NodeJS.ErrnoException | undefined;
    const onStdoutError = (e: NodeJS.ErrnoException) => (stdoutError = e);
    if (partial === undefined) process.stdout.on('error', onStdoutError);
    let summary: ExportSummary;
    try {
      summary = await (format === 'csv' ? exportCsv : format === 'jsonl' ? exportJsonl : exportReport)(journal, out, opts);
    } catch (e) {
      if (partial !== undefined) {
        (out as WriteStream).destroy();
        rmSync(partial, { force: true });
      }
      // The reader of stdout went away (`| head`): what they wanted was written.
      if (stdoutError?.code === 'EPIPE' || (e as NodeJS.ErrnoException).code === 'EPIPE') return 0;
      throw e;
    } finally {
      process.stdout.off('error', onStdoutError);
      await journal.close();
    }
    if (partial !== undefined && values.out !== undefined) {
      const file = out as WriteStream;
      file.end();
      await once(file, 'close');
      renameSync(partial, values.out);
      process.stderr.write(`exported ${summary.events} events to ${basename(values.out)}\n`);
    }
    return 0;
  },
};
