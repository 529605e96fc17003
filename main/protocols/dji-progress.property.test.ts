// Property tests of the DJI progress decoder (fast-check), from the bytes on the events topic to the
// UpgradeEvent the app records: never a throw, always a typed result, always an event that keeps the
// contract and can be journaled. Bounded here; `npm run fuzz` runs them ≥ 100,000 times each.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UpgradeEventSchema } from '../../preload/api';
import { asTextOrBytes, fuzzRuns, mutationsOf, noise } from '../../test-support/fuzz';
import { decodeEnvelope } from '../../wire/dji/envelope';
import { djiProgressEvent } from './dji-event';
import { DJI_SUB_STATUSES, DJI_TASK_STATUSES, readDjiProgress, type DjiProgressResult } from './dji-progress';

const RUNS = fuzzRuns(250);

const DATA = [
  { result: 0, output: { status: 'in_progress', progress: { percent: 40, step_key: 'download_firmware' }, ext: { rate: 1048576 } } },
  { result: 0, output: { status: 'in_progress', sub_status: 'UPGRADING', progress: { percent: '55', current_step: 2 } } },
  { result: 312004, output: { status: 'failed', sub_status: 'DOWNLOAD_FAILED', progress: { percent: 12, step: 1 } } },
  { output: { status: 'ok', progress: { percent: 100 } } },
];

function holdsTheContract(read: DjiProgressResult): void {
  if (!read.ok) {
    expect(typeof read.reason).toBe('string');
    expect(read.reason.length).toBeGreaterThan(0);
    return;
  }
  const p = read.progress;
  expect(Number.isInteger(p.result)).toBe(true);
  if (p.status !== null) expect(DJI_TASK_STATUSES).toContain(p.status);
  if (p.subStatus !== null) expect(DJI_SUB_STATUSES).toContain(p.subStatus);
  if (p.percent !== null) expect(Number.isInteger(p.percent) && p.percent >= 0 && p.percent <= 100).toBe(true);
  if (p.rate !== null) expect(Number.isFinite(p.rate) && p.rate >= 0).toBe(true);
}

describe('readDjiProgress', () => {
  it('reads every base payload the mutations start from', () => {
    for (const data of DATA) expect(readDjiProgress(data).ok).toBe(true);
  });

  it('holds its contract on progress data with fields replaced or removed, and on noise', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...DATA).chain(mutationsOf), noise), (data) => holdsTheContract(readDjiProgress(data))),
      { numRuns: RUNS },
    );
  });
});

describe('from the events topic to the recorded event', () => {
  it('any ota_progress message becomes a typed refusal or an event that keeps the contract', () => {
    const message = fc.constantFrom(...DATA).chain((data) => mutationsOf({ tid: 'tid-1', bid: 'bid-1', timestamp: 1741079700000, method: 'ota_progress', gateway: 'DOCK01', data }));
    const bytes = asTextOrBytes(message);
    fc.assert(
      fc.property(bytes, (payload) => {
        const decoded = decodeEnvelope(payload);
        if (!decoded.ok) return;
        const read = readDjiProgress(decoded.envelope.data);
        holdsTheContract(read);
        if (!read.ok) return;
        const event = djiProgressEvent({ device: 'DOCK01', tid: decoded.envelope.tid, time: decoded.envelope.timestamp, progress: read.progress, raw: decoded.envelope });
        expect(UpgradeEventSchema.safeParse(event).success).toBe(true);
        expect(typeof JSON.stringify(event)).toBe('string');
      }),
      { numRuns: RUNS },
    );
  });
});
