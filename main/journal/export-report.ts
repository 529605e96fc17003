// The customer report: one self-contained, static HTML file (no script at all, no network) that reads
// well on screen and prints to PDF. Every piece of text from the journal or the technician is escaped;
// the timeline is inline SVG (report-timeline.ts), and the file's own CSP forbids any script.
import type { Writable } from 'node:stream';
import { isEventRecord } from './records';
import type { Journal } from './journal';
import { exportRecords, sinceMs, writeChunk, type ExportOptions, type ExportSummary } from './export-source';
import { OUTCOME_WORDS, outcomeCounts, OUTCOMES, ReportRows, type ReportRow } from './report-rows';
import { escapeMarkup as escapeHtml, OUTCOME_COLOURS, timelineBars, timelineSvg, utcTime } from './report-timeline';

export interface ReportDetails {
  site?: string;
  technician?: string;
  customer?: string;
  notes?: string;
  title?: string;
  /** When the report was made; defaults to now. */
  generatedAt?: Date;
}

export type ReportOptions = ExportOptions & ReportDetails;

/** Rows beyond this still appear in the table; the chart would be unreadable with more. */
const CHART_ROWS = 400;

function time(ms: number | undefined): string {
  return ms === undefined ? '—' : utcTime(ms);
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m ${String(sec).padStart(2, '0')}s`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

const STYLE = `
  @page { size: A4 landscape; margin: 12mm; }
  body { font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1d; margin: 24px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 24px 0 8px; }
  dl.details { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
  dl.details dt { color: #555; }
  dl.details dd { margin: 0; white-space: pre-wrap; }
  .counts span { display: inline-block; margin-right: 16px; }
  svg.timeline { display: block; width: 100%; height: auto; font: 11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  svg.timeline .grid { stroke: #e0e0e0; stroke-width: 1; }
  svg.timeline .label { fill: #1d1d1d; }
  svg.timeline .tick { fill: #555; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
  th { background: #f3f3f3; }
  tr { break-inside: avoid; }
  .reason { display: inline-block; max-width: 28em; word-break: break-word; }
  .outcome-succeeded { color: ${OUTCOME_COLOURS.succeeded}; font-weight: 600; }
  .outcome-failed { color: ${OUTCOME_COLOURS.failed}; font-weight: 600; }
  .outcome-not_verified { color: ${OUTCOME_COLOURS.not_verified}; font-weight: 600; }
  .outcome-canceled { color: ${OUTCOME_COLOURS.canceled}; font-weight: 600; }
  .outcome-unfinished { color: ${OUTCOME_COLOURS.unfinished}; font-weight: 600; }
  .muted { color: #777; }
`;

function detailsList(opts: ReportOptions, summary: { events: number; generatedAt: Date }): string {
  const items: Array<[string, string | undefined]> = [
    ['Site', opts.site],
    ['Customer', opts.customer],
    ['Technician', opts.technician],
    ['Report made', time(summary.generatedAt.getTime())],
    ['Events', String(summary.events)],
    ['Since', opts.since],
    ['Device', opts.device],
    ['Notes', opts.notes],
  ];
  return items
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join('');
}

function tableRow(r: ReportRow): string {
  const end = r.end;
  const cells = [
    escapeHtml(r.device),
    escapeHtml(r.source),
    escapeHtml(r.campaign),
    escapeHtml(r.firmwareBefore ?? '—'),
    escapeHtml(r.firmwareAfter ?? '—'),
    escapeHtml(time(r.start)),
    escapeHtml(end === undefined ? `— (last seen ${time(r.lastSeen)})` : time(end)),
    escapeHtml(r.start !== undefined && end !== undefined ? duration(end - r.start) : '—'),
    `<span class="outcome-${r.outcome}">${escapeHtml(OUTCOME_WORDS[r.outcome])}</span>`,
    `<span class="reason">${escapeHtml(r.reason ?? '')}</span>`,
    String(r.events),
  ];
  return `<tr data-device="${escapeHtml(r.device)}">${cells.map((c) => `<td>${c}</td>`).join('')}</tr>\n`;
}

export async function exportReport(journal: Journal, out: Writable, opts: ReportOptions = {}): Promise<ExportSummary> {
  const since = sinceMs(opts.since);
  const folded = new ReportRows();
  for await (const batch of exportRecords(journal, opts, ['event', 'upgrade'])) {
    for (const r of batch) {
      if (isEventRecord(r)) {
        folded.addEvent(r.event);
        continue;
      }
      const upgrade = (r as { upgrade?: { sn?: unknown; updatedAt?: unknown } }).upgrade;
      if (opts.device !== undefined && upgrade?.sn !== opts.device) continue;
      if (since !== undefined && !(Date.parse(String(upgrade?.updatedAt)) >= since)) continue;
      folded.addUpgrade(upgrade);
    }
  }
  const rows = folded.result();
  const counts = outcomeCounts(rows);
  const generatedAt = opts.generatedAt ?? new Date();
  const title = opts.title ?? `Firmware upgrade report${opts.site ? ` — ${opts.site}` : ''}`;
  const bars = timelineBars(rows, CHART_ROWS);

  await writeChunk(
    out,
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<dl class="details">${detailsList(opts, { events: folded.eventCount, generatedAt })}</dl>
<p class="counts">${OUTCOMES.map((o) => `<span class="outcome-${o}">${escapeHtml(OUTCOME_WORDS[o])}: ${counts[o]}</span>`).join('')}<span class="muted">devices: ${new Set(rows.map((r) => r.device)).size}</span></p>
<h2>Timeline</h2>
${timelineSvg(bars) || '<p class="muted">No upgrade with a known start to draw.</p>'}
${rows.length > CHART_ROWS ? `<p class="muted">The chart shows the first ${CHART_ROWS} of ${rows.length} rows; the table lists them all.</p>` : ''}
<h2>Devices</h2>
<table>
<thead><tr><th>Device</th><th>Protocol</th><th>Campaign</th><th>Firmware before</th><th>Firmware after</th><th>Start</th><th>End</th><th>Duration</th><th>Outcome</th><th>Reason</th><th>Events</th></tr></thead>
<tbody>
`,
  );
  for (let i = 0; i < rows.length; i += 500) await writeChunk(out, rows.slice(i, i + 500).map(tableRow).join(''));
  if (rows.length === 0) await writeChunk(out, '<tr><td colspan="11" class="muted">No upgrades in this journal for these filters.</td></tr>\n');
  await writeChunk(out, '</tbody>\n</table>\n</body>\n</html>\n');
  return { events: folded.eventCount };
}
