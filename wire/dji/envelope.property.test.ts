// Property tests of the DJI envelope codec (fast-check): any bytes decode to a typed result without
// throwing, a decoded envelope always has the types the rest of the app relies on, and what we encode
// decodes back to itself. Bounded here; `npm run fuzz` runs them ≥ 100,000 times each.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyJson, asTextOrBytes, deepNesting, fuzzRuns, mutationsOf, noise, oddNumber, oddText } from '../../test-support/fuzz';
import { decodeEnvelope, encodeEnvelope, requireMethod, type Decoded, type Envelope } from './envelope';

const RUNS = fuzzRuns(250);

const PROGRESS: Envelope = {
  tid: '6a7bfe89-c386-4043-b600-b518e10096cc',
  bid: 'ab2a3a1f-e5a0-4b36-8c4a-6e8e2f3b9d11',
  timestamp: 1741079700000,
  method: 'ota_progress',
  gateway: 'DOCK01',
  need_reply: 1,
  data: { result: 0, output: { status: 'in_progress', progress: { percent: 40, step_key: 'download_firmware' } } },
};

function holdsTheContract(decoded: Decoded): void {
  if (!decoded.ok) {
    expect(decoded.error.kind).toBe('envelope-error');
    expect(decoded.error.reason.length).toBeGreaterThan(0);
    expect(decoded.error.text.length).toBeLessThanOrEqual(2000);
    return;
  }
  const e = decoded.envelope;
  expect(typeof e.tid).toBe('string');
  expect(typeof e.bid).toBe('string');
  expect(typeof e.method).toBe('string');
  // Every timestamp can become a date: the journal and the window show it.
  expect(Number.isFinite(new Date(e.timestamp).getTime())).toBe(true);
  if (e.gateway !== undefined) expect(typeof e.gateway).toBe('string');
  if (e.need_reply !== undefined) expect(typeof e.need_reply).toBe('number');
  // What we keep of it can be journaled.
  expect(typeof JSON.stringify(e)).toBe('string');
}

function decodesSafely(inputs: fc.Arbitrary<unknown>): void {
  fc.assert(
    fc.property(inputs, (input) => {
      const payload = input instanceof Uint8Array || typeof input === 'string' ? input : (JSON.stringify(input) ?? 'null');
      const decoded = decodeEnvelope(payload);
      holdsTheContract(decoded);
      holdsTheContract(requireMethod(decoded));
    }),
    { numRuns: RUNS },
  );
}

describe('decodeEnvelope', () => {
  it('holds its contract on a valid envelope with fields replaced or removed', () => {
    decodesSafely(asTextOrBytes(mutationsOf(PROGRESS)));
  });

  it('holds its contract on noise, and on JSON nested far too deep', () => {
    decodesSafely(fc.oneof({ weight: 9, arbitrary: noise }, { weight: 1, arbitrary: asTextOrBytes(deepNesting.map((d) => ({ ...PROGRESS, data: d }))) }));
  });

  it('decodes what encodeEnvelope wrote back to the same envelope', () => {
    const envelope = fc.record(
      {
        tid: oddText,
        bid: oddText,
        timestamp: fc.integer({ min: 0, max: 8.64e15 }),
        method: oddText,
        data: anyJson,
        gateway: oddText,
        need_reply: fc.integer({ min: 0, max: 1 }),
      },
      { requiredKeys: ['tid', 'bid', 'timestamp', 'method', 'data'] },
    );
    fc.assert(
      fc.property(envelope, (e) => {
        const decoded = decodeEnvelope(encodeEnvelope(e));
        expect(decoded.ok).toBe(true);
        // JSON drops what it cannot carry (-0, undefined): compare with what went over the wire.
        if (decoded.ok) expect(decoded.envelope).toEqual(JSON.parse(JSON.stringify(e)));
      }),
      { numRuns: RUNS },
    );
  });

  it("takes any timestamp a dock may send, and one outside Date's range as now", () => {
    fc.assert(
      fc.property(fc.oneof(oddNumber, oddText), (timestamp) => {
        const decoded = decodeEnvelope(JSON.stringify({ ...PROGRESS, timestamp }));
        holdsTheContract(decoded);
      }),
      { numRuns: RUNS },
    );
  });
});
