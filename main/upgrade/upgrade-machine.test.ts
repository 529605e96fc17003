import { describe, expect, it } from 'vitest';
import { DJI_STATUSES, type DjiStatus } from '../../preload/api';
import type { DjiProgress } from '../protocols/dji-progress';
import { initialState, step, TERMINAL, TRANSITIONS, type UpgradeState } from './upgrade-machine';

const progress = (p: Partial<DjiProgress>): DjiProgress => ({ result: 0, status: 'in_progress', subStatus: null, step: null, percent: null, rate: null, ...p });
const at = (status: DjiStatus, extra: Partial<UpgradeState> = {}): UpgradeState => ({ ...initialState(), status, ...extra });

describe('upgrade state machine', () => {
  it('walks a regular upgrade from queued to ok', () => {
    let s = initialState();
    const inputs = [
      { type: 'publish' } as const,
      { type: 'reply', progress: progress({ status: 'sent' }) } as const,
      { type: 'report', progress: progress({ subStatus: 'DOWNLOADING', step: 'download', percent: 40 }) } as const,
      { type: 'report', progress: progress({ subStatus: 'UPGRADING', step: 'upgrade', percent: 10 }) } as const,
      { type: 'report', progress: progress({ status: 'ok', subStatus: 'UPGRADE_SUCCESS', step: 'upgrade', percent: 100 }) } as const,
    ];
    const seen: string[] = [];
    for (const input of inputs) {
      const r = step(s, input);
      expect(r.changed).toBe(true);
      s = r.state;
      seen.push(`${s.status}:${s.step}:${s.percent}`);
    }
    expect(seen).toEqual(['sent:null:0', 'sent:null:0', 'in_progress:download:40', 'in_progress:upgrade:10', 'ok:upgrade:100']);
  });

  it('every table row is reachable and terminal rows accept nothing', () => {
    for (const status of DJI_STATUSES) {
      if (TERMINAL.has(status) && status !== 'timeout') expect(TRANSITIONS[status]).toEqual([]);
    }
  });

  it.each(DJI_STATUSES.filter((s) => s !== 'queued'))('a report of %s is applied from in_progress exactly when the table allows it', (status) => {
    const r = step(at('in_progress'), { type: 'report', progress: progress({ status: status as DjiProgress['status'] }) });
    expect(r.changed).toBe(TRANSITIONS.in_progress.includes(status));
  });

  it('ignores a late in_progress after ok, with a reason', () => {
    const r = step(at('ok', { percent: 100 }), { type: 'report', progress: progress({ percent: 50 }) });
    expect(r.changed).toBe(false);
    if (!r.changed) expect(r.ignored).toContain('not expected after ok');
  });

  it('a non-zero result in services_reply rejects with the code', () => {
    const r = step(at('sent'), { type: 'reply', progress: progress({ status: null, result: 312015 }) });
    expect(r.state).toMatchObject({ status: 'rejected', code: 312015 });
  });

  it('a non-zero result in ota_progress fails with the code', () => {
    const r = step(at('in_progress'), { type: 'report', progress: progress({ status: 'in_progress', result: 312004 }) });
    expect(r.state).toMatchObject({ status: 'failed', code: 312004 });
  });

  it('the watchdog times out a silent upgrade, and a late report revives it', () => {
    const t = step(at('in_progress', { step: 'download', percent: 30 }), { type: 'watchdog', silentSeconds: 30 });
    expect(t.state).toMatchObject({ status: 'timeout', reason: 'no progress for 30 s' });
    const back = step(t.state, { type: 'report', progress: progress({ step: 'download', percent: 35 }) });
    expect(back.state).toMatchObject({ status: 'in_progress', percent: 35 });
  });

  it('cancel only works while queued', () => {
    expect(step(initialState(), { type: 'cancel' }).state.status).toBe('canceled');
    const r = step(at('in_progress'), { type: 'cancel' });
    expect(r.changed).toBe(false);
  });

  it('percent restarts when the step changes and is 100 on ok', () => {
    const s = step(at('in_progress', { step: 'download', percent: 100 }), { type: 'report', progress: progress({ step: 'upgrade' }) });
    expect(s.state).toMatchObject({ step: 'upgrade', percent: 0 });
    expect(step(s.state, { type: 'report', progress: progress({ status: 'ok' }) }).state.percent).toBe(100);
  });
});
