import { describe, expect, it } from 'vitest';
import { defaultVariant, misspellsTimestamp, PROGRESS_VARIANTS, progressData, UPGRADE_PLAN, type ProgressSnapshot, type ProgressVariant } from './progress-shapes';

const downloading: ProgressSnapshot = { status: 'in_progress', subStatus: 'DOWNLOADING', step: 1, percent: 37, result: 0, rate: 812_345.6 };
const upgraded: ProgressSnapshot = { status: 'ok', subStatus: 'UPGRADE_SUCCESS', step: 2, percent: 100, result: 0 };
const failed: ProgressSnapshot = { status: 'failed', subStatus: 'VERIFY_FAILED', step: 1, percent: 100, result: 312003 };

describe('progressData', () => {
  const cases: Array<[ProgressVariant, ProgressSnapshot, number, object]> = [
    ['step_key', downloading, 0, { percent: 37, step_key: 'download_firmware' }],
    ['step_key', upgraded, 1, { percent: 100, step_key: 'upgrade_firmware' }],
    ['current_step_int', downloading, 0, { percent: 37, current_step: 1 }],
    ['current_step_int', upgraded, 0, { percent: 100, current_step: 2 }],
    ['current_step_string', downloading, 0, { percent: 37, current_step: 'download_firmware' }],
    ['current_step_string', downloading, 1, { percent: '37', current_step: 'download_firmware' }],
    ['current_step_string', upgraded, 3, { percent: '100', current_step: 'upgrade_firmware' }],
    ['step_int', downloading, 0, { percent: 37, step: 1, step_key: 'download_firmware' }],
    ['step_int', failed, 0, { percent: 100, step: 1, step_key: 'download_firmware' }],
  ];
  it.each(cases)('%s, seq %#: progress is spelled as that firmware spells it', (variant, snapshot, seq, progress) => {
    const data = progressData(variant, snapshot, seq);
    expect(data.output.progress).toEqual(progress);
    expect(data.output.status).toBe(snapshot.status);
    expect(data.output.sub_status).toBe(snapshot.subStatus);
    expect(data.result).toBe(snapshot.result);
  });

  it.each(PROGRESS_VARIANTS.map((v) => [v]))('%s without sub_status (Dock 2): the key is absent, the rest unchanged', (variant) => {
    const data = progressData(variant, downloading, 0, false);
    expect(Object.keys(data.output)).not.toContain('sub_status');
    expect(data.output.progress).toEqual(progressData(variant, downloading, 0).output.progress);
    expect(data.output.status).toBe('in_progress');
  });

  it('puts ext.rate (whole bytes/s) beside progress only in the sample-server shape, only while downloading', () => {
    expect(progressData('current_step_int', downloading, 0).output.ext).toEqual({ rate: 812_346 });
    expect(progressData('current_step_int', upgraded, 0).output.ext).toBeUndefined();
    for (const v of PROGRESS_VARIANTS.filter((x) => x !== 'current_step_int')) expect(progressData(v, downloading, 0).output.ext).toBeUndefined();
  });
});

describe('quirks and defaults', () => {
  it('misspells "timestamp:" on every third step_key event and never in the other shapes', () => {
    expect([0, 1, 2, 3, 4, 5].map((i) => misspellsTimestamp('step_key', i))).toEqual([false, false, true, false, false, true]);
    for (const v of PROGRESS_VARIANTS.filter((x) => x !== 'step_key')) expect(misspellsTimestamp(v, 2)).toBe(false);
  });

  it('picks the same variant for a gateway and run, and every variant over four runs', () => {
    expect(defaultVariant('DOCK-A', 3)).toBe(defaultVariant('DOCK-A', 3));
    expect(new Set([0, 1, 2, 3].map((run) => defaultVariant('DOCK-A', run)))).toEqual(new Set(PROGRESS_VARIANTS));
  });

  it.each(Object.entries(UPGRADE_PLAN))('the %s upgrade plan climbs and stays below 100 until UPGRADE_SUCCESS', (_, plan) => {
    const percents = plan.map(([, p]) => p);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(Math.max(...percents)).toBeLessThan(100);
  });
});
