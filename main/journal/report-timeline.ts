// The report's timeline: one bar per device and campaign from start to end, coloured by outcome, drawn
// as inline SVG. No script and no library at run time: the file is static, vector (prints sharp), and the
// bars' native <title> tooltips carry the exact times. The axis is in the report's time zone, on round
// local times, and no two ticks read the same.
import type { Outcome, ReportRow } from './report-rows';
import { OUTCOME_WORDS, OUTCOMES } from './report-rows';
import type { ReportClock } from './report-time';

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
/** The caption line, then the tick labels. */
const AXIS_HEIGHT = 44;
const LEGEND_HEIGHT = 30;
const LABEL_CHARS = 40;
/** A row shorter than this still shows as a visible sliver. */
const MIN_BAR = 3;
const MAX_TICKS = 8;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TICK_STEPS = [1, 2, 5, 10, 15, 30]
  .map((s) => s * SECOND)
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

/** Tick labels as coarse as the step allows, made finer until no two read the same. */
export function tickLabels(ticks: readonly number[], step: number, clock: ReportClock): string[] {
  const formats = step < MINUTE ? [clock.seconds] : step < DAY ? [clock.minutes, (t: number) => `${clock.day(t).slice(5)} ${clock.minutes(t)}`] : [(t: number) => clock.day(t).slice(5), clock.day];
  for (const format of formats) {
    const labels = ticks.map(format);
    if (new Set(labels).size === labels.length) return labels;
  }
  return ticks.map(clock.stamp);
}

/** Round-numbered local times across [min, max]: at most MAX_TICKS of them, on a whole step. */
export function timeTicks(min: number, max: number, offsetMs = 0): { step: number; ticks: number[] } {
  const span = Math.max(max - min, SECOND);
  const step = TICK_STEPS.find((s) => span / s <= MAX_TICKS - 1) ?? Math.ceil(span / (MAX_TICKS - 1) / DAY) * DAY;
  const ticks: number[] = [];
  for (let t = Math.ceil((min + offsetMs) / step) * step - offsetMs; t <= max; t += step) ticks.push(t);
  return { step, ticks };
}

function shortLabel(label: string): string {
  return label.length <= LABEL_CHARS ? label : `${label.slice(0, LABEL_CHARS - 1)}…`;
}

/** The rows that have a start, as bars, labelled by `label`; a row not ended runs to its last event. */
export function timelineBars(rows: ReportRow[], limit: number, label: (r: ReportRow) => string = (r) => `${r.device} · ${r.campaign}`): TimelineBar[] {
  return rows
    .filter((r) => r.start !== undefined)
    .slice(0, limit)
    .map((r) => ({ label: label(r), start: r.start!, end: r.end ?? r.lastSeen ?? r.start!, outcome: r.outcome }));
}

/** The SVG element, or an empty string when there is nothing to draw. */
export function timelineSvg(bars: TimelineBar[], clock: ReportClock): string {
  if (bars.length === 0) return '';
  const min = Math.min(...bars.map((b) => b.start));
  const max = Math.max(min + MINUTE, ...bars.map((b) => b.end));
  const x = (ms: number) => LABEL_WIDTH + ((ms - min) / (max - min)) * (PLOT_RIGHT - LABEL_WIDTH);
  const plotBottom = AXIS_HEIGHT + bars.length * ROW_HEIGHT;
  const height = plotBottom + LEGEND_HEIGHT;
  const { step, ticks } = timeTicks(min, max, clock.offsetMs(min));
  const labels = tickLabels(ticks, step, clock);

  const grid = ticks
    .map((t, i) => {
      const tx = x(t).toFixed(1);
      return `<line class="grid" x1="${tx}" y1="${AXIS_HEIGHT - 4}" x2="${tx}" y2="${plotBottom}"/><text class="tick" x="${tx}" y="${AXIS_HEIGHT - 10}" text-anchor="middle">${labels[i]}</text>`;
    })
    .join('');
  const rows = bars
    .map((b, i) => {
      const y = AXIS_HEIGHT + i * ROW_HEIGHT;
      const left = x(b.start);
      const width = Math.max(x(b.end) - left, MIN_BAR);
      const tooltip = `${b.label}: ${OUTCOME_WORDS[b.outcome]}, ${clock.stamp(b.start)} → ${clock.stamp(b.end)}`;
      return (
        `<text class="label" x="${LABEL_WIDTH - 8}" y="${y + ROW_HEIGHT / 2 + 4}" text-anchor="end">${escapeMarkup(shortLabel(b.label))}</text>` +
        `<rect class="bar" data-outcome="${b.outcome}" x="${left.toFixed(1)}" y="${y + 4}" width="${width.toFixed(1)}" height="${ROW_HEIGHT - 8}" rx="2" fill="${OUTCOME_COLOURS[b.outcome]}"><title>${escapeMarkup(tooltip)}</title></rect>`
      );
    })
    .join('');
  const legend = OUTCOMES.map((o, i) => {
    const lx = LABEL_WIDTH + i * 130;
    return `<rect x="${lx}" y="${plotBottom + 12}" width="12" height="12" rx="2" fill="${OUTCOME_COLOURS[o]}"/><text class="tick" x="${lx + 18}" y="${plotBottom + 22}">${OUTCOME_WORDS[o]}</text>`;
  }).join('');
  const caption = `${clock.day(min)}${clock.day(max) === clock.day(min) ? '' : ` to ${clock.day(max)}`}, ${escapeMarkup(clock.zoneWords(min))}`;

  return (
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${TIMELINE_NAME}">` +
    `<title>${TIMELINE_NAME}</title>` +
    `<text class="tick caption" x="0" y="14">${caption}</text>` +
    grid +
    rows +
    legend +
    '</svg>'
  );
}
