// JSON Lines export: one UpgradeEvent a line, all ten fields, always in FIELD_ORDER (the contract in
// DESIGN.md), so a line can be diffed and read by any tool.
import type { Writable } from 'node:stream';
import type { UpgradeEvent } from '../../preload/api';
import type { Journal } from './journal';
import { exportEvents, writeChunk, type ExportOptions, type ExportSummary } from './export-source';

export function jsonlLine(e: Partial<UpgradeEvent>): string {
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
  });
}

export async function exportJsonl(journal: Journal, out: Writable, opts: ExportOptions = {}): Promise<ExportSummary> {
  let events = 0;
  for await (const batch of exportEvents(journal, opts)) {
    let chunk = '';
    for (const e of batch) chunk += `${jsonlLine(e)}\n`;
    events += batch.length;
    if (chunk) await writeChunk(out, chunk);
  }
  return { events };
}
