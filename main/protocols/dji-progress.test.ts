import { describe, expect, it } from 'vitest';
import { UpgradeEventSchema, type Phase, type State } from '../../preload/api';
import { explainDjiCode } from '../../preload/dji-codes';
import { djiProgressEvent } from './dji-event';
import { readDjiProgress } from './dji-progress';

// The ota_progress example of spec 004, as a base the table rows vary.
const specExample = {
  output: { progress: { percent: 0, step: 1, step_key: 'download_firmware' }, status: 'failed', sub_status: 'DOWNLOAD_FAILED' },
  result: 0,
};

function read(data: unknown) {
  const r = readDjiProgress(data);
  if (!r.ok) throw new Error(r.reason);
  return r.progress;
}

describe('readDjiProgress', () => {
  it('reads the spec example', () => {
    expect(read(specExample)).toEqual({ result: 0, status: 'failed', subStatus: 'DOWNLOAD_FAILED', step: 'download', percent: 0, rate: null });
  });

  it('reads the spec services_reply example (status sent, empty step_key and sub_status)', () => {
    const reply = { output: { progress: { percent: 0, step: 1, step_key: '' }, status: 'sent', sub_status: '' }, result: 0 };
    expect(read(reply)).toMatchObject({ status: 'sent', subStatus: null, step: 'download', percent: 0 });
  });

  /**
   * The eight output.status values of spec 004, read by hand onto the timeline: the upgrade step and no
   * sub_status, so the phase is the step's unless the status itself ends or has not started the task.
   */
  it.each([
    ['sent', 'pending', 'queued', 'sent (Sent to the dock)'],
    ['in_progress', 'running', 'install', 'in_progress (In progress)'],
    ['paused', 'paused', 'install', 'paused (Paused)'],
    ['ok', 'succeeded', 'done', 'ok (Upgraded)'],
    ['failed', 'failed', 'install', 'failed (Failed)'],
    ['rejected', 'failed', 'install', 'rejected (Rejected by the dock)'],
    ['canceled', 'canceled', 'install', 'canceled (Canceled)'],
    ['timeout', 'failed', 'install', 'timeout (Timed out)'],
  ] as const)('status %s → %s, phase %s, "%s"', (status, state: State, phase: Phase, message) => {
    const p = read({ result: 0, output: { status, progress: { percent: 50, step_key: 'upgrade_firmware' } } });
    expect(p.status).toBe(status);
    const ev = djiProgressEvent({ device: 'DOCK1', tid: 't', time: 1707048089244, progress: p, raw: {} });
    expect(ev).toMatchObject({ state, phase, message, percent: 50 });
    expect(UpgradeEventSchema.parse(ev)).toEqual(ev);
  });

  /**
   * The eleven sub_status values of spec 004, each while the step says upgrade: a download or verify
   * sub_status names its own phase over the step's, UNKNOWN leaves it to the step.
   */
  it.each([
    ['UNKNOWN', 'install', 'Unknown'],
    ['VERIFY', 'verify', 'Verifying the file'],
    ['VERIFY_SUCCESS', 'verify', 'File verified'],
    ['UPGRADING', 'install', 'Upgrading'],
    ['UPGRADE_SUCCESS', 'install', 'Upgrade successful'],
    ['UPGRADE_FAIL', 'install', 'Upgrade failed'],
    ['DOWNLOADING', 'download', 'Downloading'],
    ['DOWNLOAD_SUCCESS', 'download', 'Download successful'],
    ['DOWNLOAD_FAILED', 'download', 'Download failed'],
    ['UPLOADING_DRONE', 'install', 'Uploading the package to the drone'],
    ['VERIFY_FAILED', 'verify', 'File verification failed'],
  ] as const)('sub_status %s → phase %s, "%s"', (sub, phase: Phase, words) => {
    const p = read({ result: 0, output: { status: 'in_progress', sub_status: sub, progress: { percent: 10, step_key: 'upgrade_firmware' } } });
    expect(p.subStatus).toBe(sub);
    const ev = djiProgressEvent({ device: 'DOCK1', tid: 't', time: 0, progress: p, raw: {} });
    expect(ev).toMatchObject({ phase, state: 'running', message: `in_progress (In progress) / ${sub} (${words})` });
  });

  it.each([
    ['step_key download_firmware', { step_key: 'download_firmware' }, 'download'],
    ['step_key upgrade_firmware', { step_key: 'upgrade_firmware' }, 'upgrade'],
    ['current_step integer 1', { current_step: 1 }, 'download'],
    ['current_step integer 2', { current_step: 2 }, 'upgrade'],
    ['current_step string', { current_step: 'upgrade_firmware' }, 'upgrade'],
    ['integer step only', { step: 2 }, 'upgrade'],
    ['step with empty step_key', { step: 1, step_key: '' }, 'download'],
    ['no step at all', {}, null],
  ] as const)('reads the step from %s', (_label, progress, step) => {
    expect(read({ result: 0, output: { status: 'in_progress', progress: { percent: 1, ...progress } } }).step).toBe(step);
  });

  it.each([
    [42, 42],
    ['42', 42],
    [130, 100],
    [-5, 0],
    [33.6, 34],
    ['', null],
    ['abc', null],
  ] as const)('clamps percent %j to %j', (percent, expected) => {
    expect(read({ result: 0, output: { status: 'in_progress', progress: { percent } } }).percent).toBe(expected);
  });

  it('reads ext.rate beside progress (DJI sample server) as bytes per second', () => {
    expect(read({ result: 0, output: { status: 'in_progress', progress: { percent: 3, current_step: 1 }, ext: { rate: 1048576 } } }).rate).toBe(1048576);
  });

  it('keeps an unknown sub_status instead of failing', () => {
    const p = read({ result: 0, output: { status: 'in_progress', sub_status: 'SOMETHING_NEW' } });
    expect(p.unknownSubStatus).toBe('SOMETHING_NEW');
    expect(djiProgressEvent({ device: 'D', tid: 't', time: 0, progress: p, raw: {} }).message).toContain('SOMETHING_NEW (unknown sub_status)');
  });

  it.each([
    ['not an object', 'hello', 'data is not an object'],
    ['array', [1], 'data is not an object'],
    ['result not a number', { result: 'x' }, 'result is not an integer'],
    ['output not an object', { result: 0, output: 3 }, 'output is not an object'],
    ['unknown status', { result: 0, output: { status: 'exploded' } }, 'unknown status "exploded"'],
    ['status wrong type', { result: 0, output: { status: 7 } }, 'unknown status 7'],
  ])('rejects %s with a reason', (_label, data, reason) => {
    const r = readDjiProgress(data);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});

describe('DJI error codes', () => {
  /** A code of each group of the field notes, with the meaning the notes give it. */
  it.each([
    [312001, 'consistency upgrade sent, but the device did not ask for one'],
    [312004, 'upgrade failed, try again'],
    [312014, 'an upgrade is already running — do not send again'],
    [312015, 'dock busy — retry when idle'],
    [312027, 'no aircraft in the dock'],
    [312704, 'battery below 20%'],
    [514151, 'device busy upgrading (other services refuse)'],
  ])('a non-zero result %i fails the event and explains the code', (code, meaning) => {
    const p = read({ result: code, output: { status: 'in_progress' } });
    const ev = djiProgressEvent({ device: 'D', tid: 't', time: 0, progress: p, raw: {} });
    expect(ev.state).toBe('failed');
    expect(ev.message).toBe(`in_progress (In progress) / result ${code}: ${meaning}`);
  });

  it('shows an unknown code raw', () => {
    expect(explainDjiCode(399999)).toBe("399999: DJI error code not in Dockside's table");
  });
});

describe('djiProgressEvent', () => {
  it('is done and succeeded on ok, with the tid as campaign and the device time', () => {
    const p = read({ result: 0, output: { status: 'ok', sub_status: 'UPGRADE_SUCCESS', progress: { percent: 100, step_key: 'upgrade_firmware' } } });
    const ev = djiProgressEvent({ device: 'DOCK1', tid: 'tid-1', time: 1707048089244, progress: p, raw: { a: 1 } });
    expect(ev).toMatchObject({ source: 'dji', device: 'DOCK1', campaign: 'tid-1', phase: 'done', state: 'succeeded', percent: 100, time: '2024-02-04T12:01:29.244Z' });
  });

  it('gives the same id to the same message received twice, and different ids per device', () => {
    const p = read(specExample);
    const a = djiProgressEvent({ device: 'A', tid: 't', time: 1, progress: p, raw: specExample });
    expect(djiProgressEvent({ device: 'A', tid: 't', time: 1, progress: p, raw: specExample }).id).toBe(a.id);
    expect(djiProgressEvent({ device: 'B', tid: 't', time: 1, progress: p, raw: specExample }).id).not.toBe(a.id);
  });
});
