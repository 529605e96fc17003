// Property tests of the four vehicle decoders (fast-check): whatever arrives, in whatever form, a decoder
// never throws, always answers a typed result, and every event it makes keeps the UpgradeEvent contract
// and can be journaled. Bounded here; `npm run fuzz` runs the same properties ≥ 100,000 times each.
import { deserialize, serialize } from 'bson';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UpgradeEventSchema } from '../../preload/api';
import { fuzzRuns, mutationsOf, noise, wireForms } from '../../test-support/fuzz';
import { aktualizrReport, carotaEnvelope, edgehogBson, edgehogValue, oemNotification } from '../../test-support/vehicle-payloads';
import type { VehicleProtocol } from '../../wire/vehicles';
import { fixtureJson } from './testing/expect-decoded';
import { decoders, type DecodeContext, type DecodeResult } from './index';

const RUNS = fuzzRuns(250);
const RECEIVED_AT = new Date('2025-06-02T08:00:00.000Z');

const context: fc.Arbitrary<DecodeContext> = fc.oneof(
  fc.constant({ receivedAt: RECEIVED_AT }),
  fc.string({ maxLength: 30 }).map((device) => ({ device, receivedAt: RECEIVED_AT })),
);

/** The contract every answer keeps, whatever the input. */
function holdsTheContract(protocol: VehicleProtocol, result: DecodeResult): void {
  expect(typeof result.ok).toBe('boolean');
  if (!result.ok) {
    expect(result.error.kind).toBe('decode-error');
    expect(result.error.protocol).toBe(protocol);
    expect(typeof result.error.reason).toBe('string');
    expect(result.error.reason.length).toBeGreaterThan(0);
    return;
  }
  expect(Array.isArray(result.events)).toBe(true);
  for (const event of result.events) {
    expect(UpgradeEventSchema.safeParse(event).success).toBe(true);
    expect(event.source).toBe(protocol);
    expect(Number.isFinite(Date.parse(event.time))).toBe(true);
    // The journal stores it as one JSON line.
    expect(typeof JSON.stringify(event)).toBe('string');
  }
}

function decodesSafely(protocol: VehicleProtocol, inputs: fc.Arbitrary<unknown>, runs = RUNS): void {
  fc.assert(
    fc.property(inputs, context, (input, ctx) => {
      let first: DecodeResult;
      try {
        first = decoders[protocol](input, ctx);
      } catch (e) {
        throw new Error(`the ${protocol} decoder threw: ${(e as Error).message}`, { cause: e });
      }
      holdsTheContract(protocol, first);
      // The same bytes decode the same way: ids stay stable across a redelivery.
      expect(decoders[protocol](input, ctx)).toEqual(first);
    }),
    { numRuns: runs },
  );
}

/** A CarOTA envelope around a body; a body JSON cannot write (nested too deep) goes as noise. */
function carotaWithBody(body: unknown) {
  let text: string;
  try {
    text = JSON.stringify(body) ?? 'null';
  } catch {
    text = '{"deep":'.repeat(3) + '[';
  }
  return { ...carotaEnvelope(), body: Buffer.from(text).toString('base64') };
}

const carotaBody = JSON.parse(Buffer.from(carotaEnvelope().body, 'base64').toString('utf8')) as unknown;

const BASES: Record<VehicleProtocol, unknown[]> = {
  aktualizr: [aktualizrReport(3), fixtureJson('aktualizr-report.json'), ...Object.values(fixtureJson<Record<string, unknown>>('aktualizr-variants.json')).map((e) => [e])],
  carota: [carotaEnvelope(), carotaEnvelope(6), fixtureJson('carota-ota-event.json'), fixtureJson('carota-ota-trigger-ack.json')],
  edgehog: [{ v: edgehogValue(), t: '2025-03-04T09:16:00Z' }, fixtureJson('edgehog-downloading.json'), { v: edgehogValue('Failure'), t: 1741079760000 }],
  oem: [oemNotification(), oemNotification('installation', 'success'), ...Object.values(fixtureJson<Record<string, unknown>>('oem-requests.json'))],
};

describe.each(Object.keys(BASES) as VehicleProtocol[])('the %s decoder', (protocol) => {
  const bases = BASES[protocol];

  it('decodes every base payload the mutations start from', () => {
    for (const base of bases) {
      const result = decoders[protocol](base, { device: 'ctx-device', receivedAt: RECEIVED_AT });
      expect(result.ok, JSON.stringify(result)).toBe(true);
    }
  });

  it('holds its contract on valid payloads with fields replaced or removed, in every wire form', () => {
    decodesSafely(protocol, wireForms(fc.constantFrom(...bases).chain(mutationsOf)));
  });

  it('holds its contract on noise: random JSON, text and bytes', () => {
    decodesSafely(protocol, noise);
  });
});

describe('payloads inside payloads', () => {
  it('CarOTA: a mutated body, base64 inside a valid envelope', () => {
    decodesSafely('carota', mutationsOf(carotaBody).map(carotaWithBody));
  });

  it('Edgehog: BSON of mutated payloads, cut-off BSON and random bytes', () => {
    const bsonOf = (value: unknown) => {
      try {
        return serialize(value as Record<string, unknown>);
      } catch {
        return new Uint8Array(0);
      }
    };
    const valid = edgehogBson();
    const cutOff = fc.nat({ max: valid.length }).map((n) => valid.subarray(0, n));
    const mutated = mutationsOf(deserialize(valid)).map(bsonOf);
    decodesSafely('edgehog', fc.oneof(mutated, cutOff, fc.uint8Array({ maxLength: 200 })));
  });
});
