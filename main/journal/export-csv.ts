// CSV export, RFC 4180 (a header row, CRLF line ends, fields with a comma, quote, CR or LF quoted with
// their quotes doubled), written by csv-stringify with formula escaping: a cell starting with =, +, -,
// @, tab or CR gets a leading ' so a spreadsheet shows it as text instead of running it.
// `raw` is the original message as compact JSON. After the event's ten fields, every row carries the job
// (site, technician, customer, notes), so a spreadsheet filtered down to a few rows still says whose they are.
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { FIELD_ORDER, type UpgradeEvent } from '../../preload/api';
import type { Journal } from './journal';
import { exportEvents, JOB_FIELDS, writeChunk, type ExportOptions, type ExportSummary, type JobDetails } from './export-source';

// csv-stringify quotes a lone CR or LF only when told to; RFC 4180 wants every field holding one quoted.
const CSV_OPTIONS = { record_delimiter: '\r\n', escape_formulas: true, eof: true, quoted_match: /[\r\n]/ } as const;

export const CSV_HEADER = stringify([[...FIELD_ORDER, ...JOB_FIELDS]], CSV_OPTIONS);

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

function cells(e: Partial<UpgradeEvent>, job: JobDetails): unknown[] {
  return [
    text(e.id),
    text(e.time),
    text(e.source),
    text(e.device),
    text(e.campaign),
    text(e.phase),
    text(e.state),
    typeof e.percent === 'number' ? e.percent : text(e.percent),
    text(e.message),
    e.raw === undefined ? '' : JSON.stringify(e.raw),
    ...JOB_FIELDS.map((k) => text(job[k])),
  ];
}

/** The rows of some events, each ending in CRLF. */
export function csvRows(events: readonly Partial<UpgradeEvent>[], job: JobDetails = {}): string {
  return events.length === 0
    ? ''
    : stringify(
        events.map((e) => cells(e, job)),
        CSV_OPTIONS,
      );
}

export async function exportCsv(journal: Journal, out: Writable, opts: ExportOptions = {}): Promise<ExportSummary> {
  let events = 0;
  await writeChunk(out, CSV_HEADER);
  for await (const batch of exportEvents(journal, opts)) {
    events += batch.length;
    const chunk = csvRows(batch, opts);
    if (chunk) await writeChunk(out, chunk);
  }
  return { events };
}
