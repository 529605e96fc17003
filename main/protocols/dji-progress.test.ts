import { describe, expect, it } from 'vitest';
import { UpgradeEventSchema } from '../../preload/api';
import { DJI_ERROR_CODES, DJI_SUB_STATUS_WORDS, explainDjiCode } from '../../preload/dji-codes';
import { DJI_STATUS_STATE, DJI_SUB_STATUS_PHASE, djiProgressEvent } from './dji-event';
import { DJI_SUB_STATUSES, DJI_TASK_STATUSES, readDjiProgress } from './dji-progress';

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

  it.each(DJI_TASK_STATUSES)('accepts status %s and maps it to a normalised state', (status) => {
    const p = read({ result: 0, output: { status, progress: { percent: 50, step_key: 'upgrade_firmware' } } });
    expect(p.status).toBe(status);
    const ev = djiProgressEvent({ device: 'DOCK1', tid: 't', time: 1707048089244, progress: p, raw: {} });
    expect(ev.state).toBe(DJI_STATUS_STATE[status]);
    expect(UpgradeEventSchema.parse(ev)).toEqual(ev);
  });

  it.each(DJI_SUB_STATUSES)('accepts sub_status %s', (sub) => {
    const p = read({ result: 0, output: { status: 'in_progress', sub_status: sub, progress: { percent: 10, step_key: 'download_firmware' } } });
    expect(p.subStatus).toBe(sub);
    const ev = djiProgressEvent({ device: 'DOCK1', tid: 't', time: 0, progress: p, raw: {} });
    expect(ev.phase).toBe(DJI_SUB_STATUS_PHASE[sub] ?? 'download');
    expect(ev.message).toContain(sub);
    expect(ev.message).toContain(DJI_SUB_STATUS_WORDS[sub]!);
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
  it.each([...DJI_ERROR_CODES])('a non-zero result %s fails the event and explains the code', (code, meaning) => {
    const p = read({ result: Number(code), output: { status: 'in_progress' } });
    const ev = djiProgressEvent({ device: 'D', tid: 't', time: 0, progress: p, raw: {} });
    expect(ev.state).toBe('failed');
    expect(ev.message).toContain(`${code}: ${meaning}`);
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
