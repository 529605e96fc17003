// The customer report: one self-contained, static HTML file (no script at all, no network) that reads
// well on screen and prints to PDF, for a customer to sign: one row per device and real campaign with the
// latest outcome and the attempts below it, file, MD5 and model, overrides, times local to a named zone,
// the site/technician/customer/notes, each DJI device's upgrade history, and a signature block. Every
// piece of text from the journal or the technician is escaped; the timeline is inline SVG
// (report-timeline.ts), and the file's own CSP forbids any script.
import type { Writable } from 'node:stream';
import type { DeviceHistoryEntry } from '../../preload/api';
import { DeviceHistory } from './device-history';
import { isEventRecord } from './records';
import type { Journal } from './journal';
import { exportRecords, sinceMs, writeChunk, type ExportOptions, type ExportSummary, type JobDetails } from './export-source';
import { DJI_OUTCOME, OUTCOME_WORDS, outcomeCounts, OUTCOMES, ReportRows, type ReportAttempt, type ReportRow } from './report-rows';
import { reportClock, type ReportClock } from './report-time';
import { escapeMarkup as escapeHtml, OUTCOME_COLOURS, timelineBars, timelineSvg } from './report-timeline';

export interface ReportDetails extends JobDetails {
  title?: string;
  /** When the report was made; defaults to now. */
  generatedAt?: Date;
  /** The IANA time zone the report's times are written in; defaults to the host's. */
  timeZone?: string;
}

export type ReportOptions = ExportOptions & ReportDetails;

/** Rows beyond this still appear in the table; the chart would be unreadable with more. */
const CHART_ROWS = 400;

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
  .counts .muted { color: #595959; }
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
  .muted { color: #595959; }
  .sub { display: block; color: #595959; font-size: 11px; }
  .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 11px; overflow-wrap: anywhere; }
  .override { display: block; color: #8a5a00; font-weight: 600; }
  tr.attempt td { color: #404040; font-size: 12px; border-bottom-style: dotted; }
  tr.attempt td:first-child { padding-left: 18px; }
  h3 { font-size: 14px; margin: 16px 0 4px; }
  .signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 32px; margin-top: 12px; break-inside: avoid; }
  .signature p { margin: 0 0 4px; }
  .signature .line { border-bottom: 1px solid #1d1d1d; height: 36px; margin-bottom: 2px; }
  .signature .label { color: #595959; font-size: 11px; margin-bottom: 10px; }
  footer { margin-top: 24px; color: #595959; font-size: 11px; }
`;

function detailsList(opts: ReportOptions, clock: ReportClock, summary: { events: number; generatedAt: Date }): string {
  const made = summary.generatedAt.getTime();
  const items: Array<[string, string | undefined]> = [
    ['Site', opts.site],
    ['Customer', opts.customer],
    ['Technician', opts.technician],
    ['Report made', clock.stamp(made)],
    ['Times', `local to ${clock.zoneWords(made)}`],
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

const time = (clock: ReportClock, ms: number | undefined) => (ms === undefined ? '—' : clock.stamp(ms));
const span = (start: number | undefined, end: number | undefined) => (start !== undefined && end !== undefined ? duration(end - start) : '—');
const outcome = (o: ReportRow['outcome']) => `<span class="outcome-${o}">${escapeHtml(OUTCOME_WORDS[o])}</span>`;

/** A DJI batch by when it started; any other protocol by its (folded) campaign id. */
function campaignWords(r: ReportRow, clock: ReportClock): string {
  return r.source === 'dji' && r.batchStart !== undefined ? `batch started ${clock.stamp(r.batchStart)}` : r.campaign;
}

function tableRow(r: ReportRow, clock: ReportClock): string {
  const end = r.end;
  const attempts = r.attempts ? r.attempts.length + 1 : undefined;
  const cells = [
    `${escapeHtml(r.device)}${r.model ? `<span class="sub">${escapeHtml(r.model)}</span>` : ''}`,
    escapeHtml(r.source),
    escapeHtml(campaignWords(r, clock)),
    r.fileName ? `${escapeHtml(r.fileName)}${r.md5 ? `<span class="sub mono">MD5 ${escapeHtml(r.md5)}</span>` : ''}` : '—',
    escapeHtml(r.firmwareBefore ?? '—'),
    escapeHtml(r.firmwareAfter ?? '—'),
    escapeHtml(time(clock, r.start)),
    escapeHtml(end === undefined ? `— (last seen ${time(clock, r.lastSeen)})` : time(clock, end)),
    escapeHtml(span(r.start, end)),
    `${outcome(r.outcome)}${attempts ? `<span class="sub">attempt ${r.attempt ?? attempts} of ${attempts}</span>` : ''}`,
    `<span class="reason">${escapeHtml(r.reason ?? '')}</span>${r.overrides ? `<span class="override">Sent despite failed gates: ${escapeHtml(r.overrides.join(', '))}</span>` : ''}`,
  ];
  const main = `<tr data-device="${escapeHtml(r.device)}">${cells.map((c) => `<td>${c}</td>`).join('')}</tr>\n`;
  return main + (r.attempts ?? []).map((a) => attemptRow(r.device, a, clock)).join('');
}

function attemptRow(device: string, a: ReportAttempt, clock: ReportClock): string {
  const cells = [
    `attempt ${a.attempt}`,
    '',
    '',
    '',
    '',
    '',
    escapeHtml(time(clock, a.start)),
    escapeHtml(time(clock, a.end)),
    escapeHtml(span(a.start, a.end)),
    outcome(a.outcome),
    escapeHtml(a.reason ?? ''),
  ];
  return `<tr class="attempt" data-attempt-of="${escapeHtml(device)}">${cells.map((c) => `<td>${c}</td>`).join('')}</tr>\n`;
}

/** Each DJI device's upgrades as devices.history gives them: the same entries, newest last. */
function historySection(histories: ReadonlyMap<string, DeviceHistoryEntry[]>, clock: ReportClock): string {
  if (histories.size === 0) return '';
  const parts = ['<h2 id="history">Upgrade history of each DJI device</h2>'];
  for (const [sn, entries] of [...histories].sort(([a], [b]) => a.localeCompare(b))) {
    parts.push(`<h3>${escapeHtml(sn)}</h3>`);
    parts.push(
      `<table data-history="${escapeHtml(sn)}"><thead><tr><th>Started</th><th>Version</th><th>File</th><th>Result</th><th>Took</th><th>Bytes served</th><th>Site</th><th>Technician</th></tr></thead><tbody>`,
    );
    for (const e of entries) {
      const started = Date.parse(e.startedAt);
      const result = `<span class="outcome-${DJI_OUTCOME[e.status] ?? 'unfinished'}">${escapeHtml(e.result)}</span>`;
      const cells = [
        `${escapeHtml(time(clock, Number.isFinite(started) ? started : undefined))}${e.attempt && e.attempt > 1 ? `<span class="sub">attempt ${e.attempt}</span>` : ''}`,
        `${escapeHtml(e.fromVersion ?? 'unknown')} → ${escapeHtml(e.toVersion)}`,
        escapeHtml(e.fileName),
        `${result}${e.overrides?.length ? `<span class="override">Sent despite failed gates: ${escapeHtml(e.overrides.join(', '))}</span>` : ''}`,
        escapeHtml(e.durationSeconds === undefined ? '—' : duration(e.durationSeconds * 1000)),
        escapeHtml(e.bytesServed.toLocaleString('en-US')),
        escapeHtml(e.site ?? '—'),
        escapeHtml(e.technician ?? '—'),
      ];
      parts.push(`<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`);
    }
    parts.push('</tbody></table>');
  }
  return `${parts.join('\n')}\n`;
}

function signatures(opts: ReportOptions): string {
  const block = (who: string, name: string | undefined) =>
    `<div class="signature"><p><strong>${who}</strong>${name ? `: ${escapeHtml(name)}` : ''}</p><div class="line"></div><p class="label">Name and signature</p><div class="line"></div><p class="label">Date</p></div>`;
  return `<h2 id="signoff">Sign-off</h2>
<p>The upgrades above were carried out and their outcomes are as listed.</p>
<div class="signatures">${block('Technician', opts.technician)}${block('For the customer', opts.customer)}</div>
`;
}

export async function exportReport(journal: Journal, out: Writable, opts: ReportOptions = {}): Promise<ExportSummary> {
  const since = sinceMs(opts.since);
  const clock = reportClock(opts.timeZone);
  const folded = new ReportRows();
  const histories = new Map<string, DeviceHistory>();
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
      if (typeof upgrade?.sn === 'string') {
        const history = histories.get(upgrade.sn) ?? new DeviceHistory(upgrade.sn);
        history.add(upgrade);
        histories.set(upgrade.sn, history);
      }
    }
  }
  const rows = folded.result();
  const counts = outcomeCounts(rows);
  const generatedAt = opts.generatedAt ?? new Date();
  const title = opts.title ?? `Firmware upgrade report${opts.site ? ` — ${opts.site}` : ''}`;
  const bars = timelineBars(rows, CHART_ROWS, (r) => `${r.device} · ${campaignWords(r, clock)}`);
  const history = new Map([...histories].map(([sn, h]) => [sn, h.entries()] as const).filter(([, e]) => e.length > 0));

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
<header>
<h1>${escapeHtml(title)}</h1>
<dl class="details">${detailsList(opts, clock, { events: folded.eventCount, generatedAt })}</dl>
<p class="counts">${OUTCOMES.map((o) => `<span class="outcome-${o}">${escapeHtml(OUTCOME_WORDS[o])}: ${counts[o]}</span>`).join('')}<span class="muted">devices: ${new Set(rows.map((r) => `${r.source}|${r.device}`)).size}</span></p>
</header>
<main>
<h2>Timeline</h2>
${timelineSvg(bars, clock) || '<p class="muted">No upgrade with a known start to draw.</p>'}
${rows.length > CHART_ROWS ? `<p class="muted">The chart shows the first ${CHART_ROWS} of ${rows.length} rows; the table lists them all.</p>` : ''}
<h2>Devices</h2>
<p class="muted">One row per device and campaign (a DJI batch): its latest outcome, with earlier attempts below it. Times are local to ${escapeHtml(clock.zoneWords(generatedAt.getTime()))}.</p>
<table>
<thead><tr><th>Device</th><th>Protocol</th><th>Campaign</th><th>Firmware file</th><th>Firmware before</th><th>Firmware after</th><th>Start</th><th>End</th><th>Duration</th><th>Outcome</th><th>Reason</th></tr></thead>
<tbody>
`,
  );
  for (let i = 0; i < rows.length; i += 500)
    await writeChunk(
      out,
      rows
        .slice(i, i + 500)
        .map((r) => tableRow(r, clock))
        .join(''),
    );
  if (rows.length === 0) await writeChunk(out, '<tr><td colspan="11" class="muted">No upgrades in this journal for these filters.</td></tr>\n');
  await writeChunk(out, `</tbody>\n</table>\n${historySection(history, clock)}${signatures(opts)}</main>\n<footer>Made by Dockside from its upgrade journal.</footer>\n</body>\n</html>\n`);
  return { events: folded.eventCount };
}
