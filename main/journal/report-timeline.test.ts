import { describe, expect, it } from 'vitest';
import type { ReportRow } from './report-rows';
import { reportClock } from './report-time';
import { tickLabels, timeTicks, timelineBars, timelineSvg, type TimelineBar } from './report-timeline';

const UTC = reportClock('UTC');

const T0 = Date.parse('2026-03-04T10:00:00Z');
const MIN = 60_000;

describe('timeTicks', () => {
  it.each([
    ['40 s', T0, T0 + 40_000, 10_000],
    ['10 min', T0, T0 + 10 * MIN, 2 * MIN],
    ['31 min', T0, T0 + 31 * MIN, 5 * MIN],
    ['3 h', T0, T0 + 180 * MIN, 30 * MIN],
    ['2 days', T0, T0 + 2 * 1440 * MIN, 12 * 60 * MIN],
    ['9 weeks', T0, T0 + 63 * 1440 * MIN, 14 * 1440 * MIN],
  ])('over %s: at most 8 whole-step ticks inside the span', (_, min, max, step) => {
    const t = timeTicks(min, max);
    expect(t.step).toBe(step);
    expect(t.ticks.length).toBeGreaterThan(1);
    expect(t.ticks.length).toBeLessThanOrEqual(8);
    for (const tick of t.ticks) {
      expect(tick % step).toBe(0);
      expect(tick).toBeGreaterThanOrEqual(min);
      expect(tick).toBeLessThanOrEqual(max);
    }
  });
});

describe('timelineBars', () => {
  const row = (device: string, extra: Partial<ReportRow>): ReportRow => ({ device, source: 'dji', campaign: 'c1', outcome: 'unfinished', events: 1, ...extra });

  it('draws rows with a start; one not ended runs to its last event; the limit holds', () => {
    const rows = [row('A', { start: T0, end: T0 + MIN, outcome: 'succeeded' }), row('B', {}), row('C', { start: T0, lastSeen: T0 + 2 * MIN }), row('D', { start: T0 })];
    expect(timelineBars(rows, 10)).toEqual([
      { label: 'A · c1', start: T0, end: T0 + MIN, outcome: 'succeeded' },
      { label: 'C · c1', start: T0, end: T0 + 2 * MIN, outcome: 'unfinished' },
      { label: 'D · c1', start: T0, end: T0, outcome: 'unfinished' },
    ]);
    expect(timelineBars(rows, 1)).toHaveLength(1);
  });
});

describe('timelineSvg', () => {
  const bars: TimelineBar[] = [
    { label: 'DOCK-1 · tid-1', start: T0, end: T0 + 30 * MIN, outcome: 'succeeded' },
    { label: 'CAR <9> & "co" · camp', start: T0 + 10 * MIN, end: T0 + 20 * MIN, outcome: 'failed' },
    { label: 'DOCK-2 · tid-2', start: T0 + 5 * MIN, end: T0 + 5 * MIN, outcome: 'unfinished' },
  ];
  const svg = timelineSvg(bars, UTC);
  const rects = [...svg.matchAll(/<rect class="bar" data-outcome="(\w+)" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*fill="(#\w+)"/g)].map((m) => ({
    outcome: m[1],
    x: Number(m[2]),
    width: Number(m[3]),
    fill: m[4],
  }));

  it('is one accessible image with a bar per row, each in the colour its outcome has in the legend', () => {
    expect(svg).toMatch(/^<svg class="timeline" xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 1000 \d+" role="img" aria-label="Upgrade timeline per device"><title>/);
    expect(svg.endsWith('</svg>')).toBe(true);
    const legend = new Map([...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="12" height="12" rx="2" fill="(#\w+)"\/><text class="tick"[^>]*>([^<]+)<\/text>/g)].map((m) => [m[2]!, m[1]!]));
    expect([...legend.keys()]).toEqual(['succeeded', 'failed', 'not verified', 'canceled', 'unfinished']);
    expect(new Set(legend.values()).size).toBe(5);
    expect(rects.map((r) => [r.outcome, r.fill])).toEqual([
      ['succeeded', legend.get('succeeded')],
      ['failed', legend.get('failed')],
      ['unfinished', legend.get('unfinished')],
    ]);
  });

  it('places bars on one time scale: positions and lengths follow the times, a zero-length row stays visible', () => {
    const [whole, middle, instant] = rects;
    expect(middle!.x - whole!.x).toBeCloseTo(whole!.width / 3, 0);
    expect(middle!.width).toBeCloseTo(whole!.width / 3, 0);
    expect(instant!.width).toBeGreaterThanOrEqual(3);
  });

  it('escapes labels and tooltips, and names the time zone its times are in', () => {
    expect(svg).toContain('CAR &#60;9&#62; &#38; &#34;co&#34; · camp');
    expect(svg).not.toContain('<9>');
    expect(svg).toContain('<title>DOCK-1 · tid-1: succeeded, 2026-03-04 10:00:00 → 2026-03-04 10:30:00</title>');
    expect(svg).toContain('2026-03-04, UTC (UTC');
    expect(svg).toMatch(/>10:10<\/text>/);
    const berlin = timelineSvg(bars, reportClock('Europe/Berlin'));
    expect(berlin).toContain('2026-03-04, Europe/Berlin (UTC+01:00)');
    expect(berlin).toMatch(/>11:10<\/text>/);
  });

  it('never shows two ticks that read the same, and puts them on round local times', () => {
    for (const [zone, min, max] of [
      ['UTC', T0, T0 + 2 * 1440 * MIN],
      ['Asia/Kolkata', T0, T0 + 3 * 1440 * MIN + 7 * 60 * MIN],
      ['America/New_York', T0 + 17 * MIN, T0 + 95 * MIN],
    ] as const) {
      const clock = reportClock(zone);
      const { step, ticks } = timeTicks(min, max, clock.offsetMs(min));
      const labels = tickLabels(ticks, step, clock);
      expect(new Set(labels).size, `${zone}: ${labels.join(', ')}`).toBe(labels.length);
      for (const t of ticks) expect((t + clock.offsetMs(t)) % Math.min(step, 60 * MIN)).toBe(0);
    }
  });

  it('draws nothing for no rows', () => {
    expect(timelineSvg([], UTC)).toBe('');
  });
});
