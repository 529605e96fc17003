// JSON Lines export: one UpgradeEvent a line, all ten fields, always in FIELD_ORDER (the contract in
// DESIGN.md), so a line can be diffed and read by any tool; when the technician gave site, technician,
// customer or notes, an eleventh field `job` after them carries those.
import type { Writable } from 'node:stream';
import type { UpgradeEvent } from '../../preload/api';
import type { Journal } from './journal';
import { exportEvents, jobOf, writeChunk, type ExportOptions, type ExportSummary, type JobDetails } from './export-source';

export function jsonlLine(e: Partial<UpgradeEvent>, job?: JobDetails): string {
  return JSON.stringify({
    id: e.id ?? '',
    time: e.time ?? '',
    source: e.source ?? '',
    device: e.device ?? '',
    campaign: e.campaign ?? '',
    phase: e.phase ?? '',
    state: e.state ?? '',
    percent: e.percent ?? null,
    message: e.message ?? '',
    raw: e.raw ?? null,
    ...(job ? { job } : {}),
  });
}

export async function exportJsonl(journal: Journal, out: Writable, opts: ExportOptions = {}): Promise<ExportSummary> {
  let events = 0;
  const job = jobOf(opts);
  for await (const batch of exportEvents(journal, opts)) {
    let chunk = '';
    for (const e of batch) chunk += `${jsonlLine(e, job)}\n`;
    events += batch.length;
    if (chunk) await writeChunk(out, chunk);
  }
  return { events };
}
