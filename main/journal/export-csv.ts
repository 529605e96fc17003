// CSV export, RFC 4180: a header row, CRLF line ends, and any field holding a comma, quote, CR or LF
// quoted with its quotes doubled. `raw` is the original message as compact JSON.
import type { Writable } from 'node:stream';
import { FIELD_ORDER, type UpgradeEvent } from '../../preload/api';
import type { Journal } from './journal';
import { exportEvents, writeChunk, type ExportOptions, type ExportSummary } from './export-source';

export const CSV_HEADER = `${FIELD_ORDER.join(',')}\r\n`;

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

export function csvRow(e: Partial<UpgradeEvent>): string {
  return [
    csvField(text(e.id)),
    csvField(text(e.time)),
    csvField(text(e.source)),
    csvField(text(e.device)),
    csvField(text(e.campaign)),
    csvField(text(e.phase)),
    csvField(text(e.state)),
    text(e.percent),
    csvField(text(e.message)),
    csvField(e.raw === undefined ? '' : JSON.stringify(e.raw)),
  ].join(',');
}

export async function exportCsv(journal: Journal, out: Writable, opts: ExportOptions = {}): Promise<ExportSummary> {
  let events = 0;
  await writeChunk(out, CSV_HEADER);
  for await (const batch of exportEvents(journal, opts)) {
    let chunk = '';
    for (const e of batch) chunk += `${csvRow(e)}\r\n`;
    events += batch.length;
    if (chunk) await writeChunk(out, chunk);
  }
  return { events };
}
