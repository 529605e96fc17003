import { describe, expect, it } from 'vitest';
import type { DjiStatus } from '../../preload/api';
import type { DjiProgress } from '../protocols/dji-progress';
import { initialState, RETRYABLE, step, type UpgradeInput, type UpgradeState } from './upgrade-machine';

const progress = (p: Partial<DjiProgress>): DjiProgress => ({ result: 0, status: 'in_progress', subStatus: null, step: null, percent: null, rate: null, ...p });
const at = (status: DjiStatus, extra: Partial<UpgradeState> = {}): UpgradeState => ({ ...initialState(), status, ...extra });
const report = (status: DjiProgress['status']): UpgradeInput => ({ type: 'report', progress: progress({ status }) });
const seen: UpgradeInput = { type: 'version-seen', version: '10.01.1700' };

/** What each input does from each status, written out by hand: the expected side of the table. */
const EXPECTED: [from: DjiStatus, input: UpgradeInput, to: DjiStatus | 'ignored'][] = [
  ['queued', { type: 'publish' }, 'sent'],
  ['queued', { type: 'cancel' }, 'canceled'],
  ['queued', { type: 'send-failed', message: 'no URL' }, 'failed'],
  ['queued', report('in_progress'), 'ignored'],
  ['queued', { type: 'hold', reason: 'held by rollout' }, 'held'],
  ['held', { type: 'release' }, 'queued'],
  ['held', { type: 'cancel' }, 'canceled'],
  ['held', { type: 'publish' }, 'ignored'],
  ['held', { type: 'hold', reason: 'still held' }, 'held'],
  ['in_progress', { type: 'release' }, 'ignored'],
  ['in_progress', { type: 'hold', reason: 'x' }, 'ignored'],
  ['queued', seen, 'ignored'],
  ['sent', { type: 'reply', progress: progress({ status: 'sent' }) }, 'sent'],
  ['sent', { type: 'reply', progress: progress({ status: null, result: 312015 }) }, 'rejected'],
  ['sent', { type: 'upgrading' }, 'in_progress'],
  ['sent', { type: 'reply-timeout', message: 'no reply' }, 'timeout'],
  ['sent', { type: 'cancel' }, 'ignored'],
  ['sent', seen, 'ok'],
  ['in_progress', report('sent'), 'ignored'],
  ['in_progress', report('in_progress'), 'in_progress'],
  ['in_progress', report('paused'), 'paused'],
  ['in_progress', report('ok'), 'verifying'],
  ['in_progress', report('failed'), 'failed'],
  ['in_progress', report('rejected'), 'rejected'],
  ['in_progress', report('canceled'), 'canceled'],
  ['in_progress', report('timeout'), 'timeout'],
  ['in_progress', { type: 'silence', seconds: 120, during: 'while downloading' }, 'timeout'],
  ['in_progress', { type: 'upgrading' }, 'ignored'],
  ['in_progress', seen, 'ok'],
  ['in_progress', { type: 'retry' }, 'ignored'],
  ['paused', report('in_progress'), 'in_progress'],
  ['verifying', seen, 'ok'],
  ['verifying', { type: 'verify-timeout', seconds: 600, target: '10.01.1700' }, 'not_verified'],
  ['verifying', report('in_progress'), 'ignored'],
  ['verifying', report('failed'), 'ignored'],
  ['verifying', { type: 'silence', seconds: 900, during: 'while installing' }, 'ignored'],
  ['timeout', report('in_progress'), 'in_progress'],
  ['timeout', report('ok'), 'verifying'],
  ['timeout', { type: 'upgrading' }, 'in_progress'],
  ['timeout', seen, 'ok'],
  ['timeout', { type: 'retry' }, 'queued'],
  ['not_verified', seen, 'ok'],
  ['not_verified', { type: 'retry' }, 'queued'],
  ['not_verified', report('in_progress'), 'ignored'],
  ['ok', report('in_progress'), 'ignored'],
  ['ok', { type: 'retry' }, 'ignored'],
  ['ok', seen, 'ignored'],
  ['failed', report('in_progress'), 'ignored'],
  ['failed', seen, 'ignored'],
  ['failed', { type: 'retry' }, 'queued'],
  ['rejected', { type: 'retry' }, 'queued'],
  ['canceled', { type: 'retry' }, 'queued'],
];

describe('upgrade state machine', () => {
  it.each(EXPECTED.map(([from, input, to]) => [from, input.type, 'progress' in input ? (input.progress.status ?? input.progress.result) : '', to, input] as const))(
    'from %s, %s %s → %s',
    (from, _type, _detail, to, input) => {
      const r = step(at(from), input);
      if (to === 'ignored') expect(r.changed).toBe(false);
      else expect(r).toMatchObject({ changed: true, state: { status: to } });
    },
  );

  it('walks a regular upgrade from queued to verifying; only the device itself makes it ok', () => {
    let s = initialState();
    const inputs: UpgradeInput[] = [
      { type: 'publish' },
      { type: 'reply', progress: progress({ status: 'sent' }) },
      { type: 'report', progress: progress({ subStatus: 'DOWNLOADING', step: 'download', percent: 40 }) },
      { type: 'report', progress: progress({ subStatus: 'UPGRADING', step: 'upgrade', percent: 10 }) },
      { type: 'report', progress: progress({ status: 'ok', subStatus: 'UPGRADE_SUCCESS', step: 'upgrade', percent: 100 }) },
      seen,
    ];
    const trail: string[] = [];
    for (const input of inputs) {
      const r = step(s, input);
      expect(r.changed).toBe(true);
      s = r.state;
      trail.push(`${s.status}:${s.step}:${s.percent}`);
    }
    expect(trail).toEqual(['sent:null:0', 'sent:null:0', 'in_progress:download:40', 'in_progress:upgrade:10', 'verifying:upgrade:100', 'ok:upgrade:100']);
  });

  it('the ends that can be started again are exactly the unsuccessful ones', () => {
    expect([...RETRYABLE].sort()).toEqual(['canceled', 'failed', 'not_verified', 'rejected', 'timeout']);
  });

  it('a non-zero result fails with the code, in a reply as a refusal', () => {
    expect(step(at('sent'), { type: 'reply', progress: progress({ status: null, result: 312015 }) }).state).toMatchObject({ status: 'rejected', code: 312015 });
    expect(step(at('in_progress'), { type: 'report', progress: progress({ status: 'in_progress', result: 312004 }) }).state).toMatchObject({ status: 'failed', code: 312004 });
    expect(step(at('in_progress'), { type: 'report', progress: progress({ status: 'ok', result: 312028 }) }).state).toMatchObject({ status: 'failed', code: 312028 });
  });

  it('a report without sub_status clears the last one, so the row reads from its step', () => {
    const before = at('in_progress', { subStatus: 'DOWNLOADING', step: 'download', percent: 90 });
    expect(step(before, { type: 'report', progress: progress({ step: 'upgrade', percent: 5 }) }).state).toMatchObject({ subStatus: '', step: 'upgrade', percent: 5 });
    expect(step(at('queued', { subStatus: 'old' }), { type: 'publish' }).state.subStatus).toBe('');
  });

  it('silence times out with the reason, and a late report revives the upgrade', () => {
    const t = step(at('in_progress', { step: 'download', percent: 30 }), { type: 'silence', seconds: 120, during: 'while downloading' });
    expect(t.state).toMatchObject({ status: 'timeout', reason: 'no word from the dock for 120 s while downloading' });
    const back = step(t.state, { type: 'report', progress: progress({ step: 'download', percent: 35 }) });
    expect(back.state).toMatchObject({ status: 'in_progress', percent: 35 });
  });

  it('waiting for the new version keeps the last other version seen as the reason, and not verified says it', () => {
    const other = step(at('verifying'), { type: 'version-other', version: '10.01.1612', target: '10.01.1700' });
    expect(other.state).toMatchObject({ status: 'verifying', reason: 'reports firmware_version 10.01.1612, expected 10.01.1700' });
    const end = step(other.state, { type: 'verify-timeout', seconds: 600, target: '10.01.1700' });
    expect(end.state).toMatchObject({ status: 'not_verified', reason: 'reports firmware_version 10.01.1612, expected 10.01.1700' });
    expect(step(at('verifying'), { type: 'verify-timeout', seconds: 600, target: '10.01.1700' }).state.reason).toBe(
      'the dock said ok, but the device did not report firmware_version 10.01.1700 within 600 s',
    );
  });

  it('ok after a timeout drops the timeout reason; a retry starts from nothing', () => {
    const ok = step(at('timeout', { reason: 'no word from the dock for 900 s', code: 312028 }), seen);
    expect(ok.state).toEqual({ status: 'ok', subStatus: '', step: null, percent: 100 });
    expect(step(at('failed', { code: 312004, percent: 40, step: 'download' }), { type: 'retry' }).state).toEqual(initialState());
  });

  it('explains why cancel or retry is refused', () => {
    const cancel = step(at('in_progress'), { type: 'cancel' });
    expect(cancel.changed ? '' : cancel.ignored).toContain('only a device not yet sent can be canceled');
    const retry = step(at('verifying'), { type: 'retry' });
    expect(retry.changed ? '' : retry.ignored).toContain('only an upgrade that ended without success can be retried');
  });
});
