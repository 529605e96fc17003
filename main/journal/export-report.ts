// The customer report: one self-contained HTML file (Chart.js inlined, no network) that reads well on
// screen and prints to PDF. Every piece of text from the journal or the technician is HTML-escaped;
// the chart's data travels as JSON in a non-executed script element.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { isEventRecord } from './records';
import type { Journal } from './journal';
import { exportRecords, sinceMs, writeChunk, type ExportOptions, type ExportSummary } from './export-source';
import { OUTCOME_WORDS, outcomeCounts, OUTCOMES, ReportRows, type Outcome, type ReportRow } from './report-rows';

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

let chartJs: string | undefined;

/** Chart.js's UMD build: its package exports do not expose dist/, so locate it beside the CJS entry. */
export function chartJsSource(): string {
  if (chartJs === undefined) {
    const entry = createRequire(import.meta.url).resolve('chart.js');
    chartJs = readFileSync(join(dirname(entry), 'chart.umd.js'), 'utf8');
  }
  return chartJs;
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Keeps inline script text from closing its element early. */
function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function time(ms: number | undefined): string {
  return ms === undefined ? '—' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
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

const OUTCOME_COLOURS: Record<Outcome, string> = {
  succeeded: '#2e7d32',
  failed: '#c62828',
  not_verified: '#6f42c1',
  canceled: '#6d6d6d',
  unfinished: '#1565c0',
};

const STYLE = `
  @page { size: A4 landscape; margin: 12mm; }
  body { font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1d; margin: 24px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 24px 0 8px; }
  dl.details { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
  dl.details dt { color: #555; }
  dl.details dd { margin: 0; white-space: pre-wrap; }
  .counts span { display: inline-block; margin-right: 16px; }
  .chart { position: relative; }
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

/** Runs in the page: draws one floating bar per row from start to end, coloured by outcome. */
const DRAW_TIMELINE = `
(function () {
  var data = JSON.parse(document.getElementById('timeline-data').textContent);
  var canvas = document.getElementById('timeline');
  if (!data.rows.length || typeof Chart === 'undefined') { canvas.parentNode.style.display = 'none'; return; }
  function label(ms) { return new Date(ms).toISOString().slice(0, 16).replace('T', ' '); }
  new Chart(canvas, {
    type: 'bar',
    data: {
      labels: data.rows.map(function (r) { return r.label; }),
      datasets: [{
        data: data.rows.map(function (r) { return [r.start, Math.max(r.end, r.start + data.minSpan)]; }),
        backgroundColor: data.rows.map(function (r) { return data.colours[r.outcome]; }),
        borderSkipped: false,
        barPercentage: 0.8,
      }],
    },
    options: {
      indexAxis: 'y',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: function (c) { var r = data.rows[c.dataIndex]; return r.outcome + ': ' + label(r.start) + ' → ' + label(r.end); } } },
      },
      scales: {
        x: { type: 'linear', min: data.min, max: data.max, ticks: { callback: function (v) { return label(v); }, maxTicksLimit: 8 } },
      },
    },
  });
})();
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

function timelineData(rows: ReportRow[]) {
  const drawn = rows
    .filter((r) => r.start !== undefined)
    .slice(0, CHART_ROWS)
    .map((r) => ({ label: `${r.device} · ${r.campaign}`, start: r.start!, end: r.end ?? r.lastSeen ?? r.start!, outcome: r.outcome }));
  const min = Math.min(...drawn.map((r) => r.start));
  const max = Math.max(...drawn.map((r) => r.end));
  const span = Number.isFinite(max - min) ? Math.max(max - min, 60_000) : 60_000;
  return { rows: drawn, min: drawn.length ? min : 0, max: drawn.length ? min + span : 1, minSpan: span / 200, colours: OUTCOME_COLOURS };
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
  const chart = timelineData(rows);

  await writeChunk(
    out,
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<dl class="details">${detailsList(opts, { events: folded.eventCount, generatedAt })}</dl>
<p class="counts">${OUTCOMES.map((o) => `<span class="outcome-${o}">${escapeHtml(OUTCOME_WORDS[o])}: ${counts[o]}</span>`).join('')}<span class="muted">devices: ${new Set(rows.map((r) => r.device)).size}</span></p>
<h2>Timeline</h2>
<div class="chart" style="height:${Math.max(160, chart.rows.length * 22 + 60)}px"><canvas id="timeline" role="img" aria-label="Upgrade timeline per device"></canvas></div>
${rows.length > CHART_ROWS ? `<p class="muted">The chart shows the first ${CHART_ROWS} of ${rows.length} rows; the table lists them all.</p>` : ''}
<h2>Devices</h2>
<table>
<thead><tr><th>Device</th><th>Protocol</th><th>Campaign</th><th>Firmware before</th><th>Firmware after</th><th>Start</th><th>End</th><th>Duration</th><th>Outcome</th><th>Reason</th><th>Events</th></tr></thead>
<tbody>
`,
  );
  for (let i = 0; i < rows.length; i += 500) await writeChunk(out, rows.slice(i, i + 500).map(tableRow).join(''));
  if (rows.length === 0) await writeChunk(out, '<tr><td colspan="11" class="muted">No upgrades in this journal for these filters.</td></tr>\n');
  await writeChunk(out, `</tbody>\n</table>\n<script type="application/json" id="timeline-data">${jsonForScript(chart)}</script>\n<script>\n`);
  await writeChunk(out, inlineScript(chartJsSource()));
  await writeChunk(out, `\n</script>\n<script>${DRAW_TIMELINE}</script>\n</body>\n</html>\n`);
  return { events: folded.eventCount };
}
