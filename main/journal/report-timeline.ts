// The report's timeline: one bar per device and campaign from start to end, coloured by outcome, drawn
// as inline SVG. No script and no library at run time: the file is static, vector (prints sharp), and the
// bars' native <title> tooltips carry the exact times.
import type { Outcome, ReportRow } from './report-rows';
import { OUTCOMES } from './report-rows';

export const OUTCOME_COLOURS: Record<Outcome, string> = {
  succeeded: '#2e7d32',
  failed: '#c62828',
  not_verified: '#6f42c1',
  canceled: '#6d6d6d',
  unfinished: '#1565c0',
};

export const TIMELINE_NAME = 'Upgrade timeline per device';

const WIDTH = 1000;
const LABEL_WIDTH = 270;
const PLOT_RIGHT = WIDTH - 20;
const ROW_HEIGHT = 22;
const AXIS_HEIGHT = 28;
const LEGEND_HEIGHT = 30;
const LABEL_CHARS = 40;
/** A row shorter than this still shows as a visible sliver. */
const MIN_BAR = 3;
const MAX_TICKS = 8;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TICK_STEPS = [1, 2, 5, 10, 15, 30].map((s) => s * SECOND)
  .concat([1, 2, 5, 10, 15, 30].map((m) => m * MINUTE))
  .concat([1, 2, 3, 6, 12].map((h) => h * HOUR))
  .concat([1, 2, 7, 14, 28].map((d) => d * DAY));

export interface TimelineBar {
  label: string;
  start: number;
  end: number;
  outcome: Outcome;
}

/** Text for HTML and SVG alike: the five markup characters as numeric references. */
export function escapeMarkup(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function utcTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function tickLabel(ms: number, step: number): string {
  const iso = new Date(ms).toISOString();
  if (step < MINUTE) return iso.slice(11, 19);
  if (step < DAY) return iso.slice(11, 16);
  return iso.slice(5, 10);
}

/** Round-numbered times across [min, max]: at most MAX_TICKS of them, on a whole step. */
export function timeTicks(min: number, max: number): { step: number; ticks: number[] } {
  const span = Math.max(max - min, SECOND);
  const step = TICK_STEPS.find((s) => span / s <= MAX_TICKS - 1) ?? Math.ceil(span / (MAX_TICKS - 1) / DAY) * DAY;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max; t += step) ticks.push(t);
  return { step, ticks };
}

function shortLabel(label: string): string {
  return label.length <= LABEL_CHARS ? label : `${label.slice(0, LABEL_CHARS - 1)}…`;
}

/** The rows that have a start, as bars; a row not ended runs to its last event. */
export function timelineBars(rows: ReportRow[], limit: number): TimelineBar[] {
  return rows
    .filter((r) => r.start !== undefined)
    .slice(0, limit)
    .map((r) => ({ label: `${r.device} · ${r.campaign}`, start: r.start!, end: r.end ?? r.lastSeen ?? r.start!, outcome: r.outcome }));
}

/** The SVG element, or an empty string when there is nothing to draw. */
export function timelineSvg(bars: TimelineBar[]): string {
  if (bars.length === 0) return '';
  const min = Math.min(...bars.map((b) => b.start));
  const max = Math.max(min + MINUTE, ...bars.map((b) => b.end));
  const x = (ms: number) => LABEL_WIDTH + ((ms - min) / (max - min)) * (PLOT_RIGHT - LABEL_WIDTH);
  const plotBottom = AXIS_HEIGHT + bars.length * ROW_HEIGHT;
  const height = plotBottom + LEGEND_HEIGHT;
  const { step, ticks } = timeTicks(min, max);

  const grid = ticks
    .map((t) => {
      const tx = x(t).toFixed(1);
      return `<line class="grid" x1="${tx}" y1="${AXIS_HEIGHT - 4}" x2="${tx}" y2="${plotBottom}"/><text class="tick" x="${tx}" y="${AXIS_HEIGHT - 10}" text-anchor="middle">${tickLabel(t, step)}</text>`;
    })
    .join('');
  const rows = bars
    .map((b, i) => {
      const y = AXIS_HEIGHT + i * ROW_HEIGHT;
      const left = x(b.start);
      const width = Math.max(x(b.end) - left, MIN_BAR);
      const tooltip = `${b.label}: ${b.outcome}, ${utcTime(b.start)} → ${utcTime(b.end)}`;
      return (
        `<text class="label" x="${LABEL_WIDTH - 8}" y="${y + ROW_HEIGHT / 2 + 4}" text-anchor="end">${escapeMarkup(shortLabel(b.label))}</text>` +
        `<rect class="bar" data-outcome="${b.outcome}" x="${left.toFixed(1)}" y="${y + 4}" width="${width.toFixed(1)}" height="${ROW_HEIGHT - 8}" rx="2" fill="${OUTCOME_COLOURS[b.outcome]}"><title>${escapeMarkup(tooltip)}</title></rect>`
      );
    })
    .join('');
  const legend = OUTCOMES.map((o, i) => {
    const lx = LABEL_WIDTH + i * 130;
    return `<rect x="${lx}" y="${plotBottom + 12}" width="12" height="12" rx="2" fill="${OUTCOME_COLOURS[o]}"/><text class="tick" x="${lx + 18}" y="${plotBottom + 22}">${o}</text>`;
  }).join('');
  const caption = `times in UTC, ${utcTime(min).slice(0, 10)}${utcTime(max).slice(0, 10) === utcTime(min).slice(0, 10) ? '' : ` to ${utcTime(max).slice(0, 10)}`}`;

  return (
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${TIMELINE_NAME}">` +
    `<title>${TIMELINE_NAME}</title>` +
    `<text class="tick" x="0" y="${AXIS_HEIGHT - 10}">${caption}</text>` +
    grid +
    rows +
    legend +
    '</svg>'
  );
}
