// What every vehicle decoder returns, and the one boundary that keeps a decoder from ever throwing.
// Inside a decoder, validation helpers throw `Malformed` to stop at the first bad field; `decodeSafely`
// turns that (or any surprise) into a typed DecodeError, and checks every event against the contract.
import { UpgradeEventSchema, type Source, type UpgradeEvent } from '../../preload/api';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../wire/json-depth';
import { Malformed } from './malformed';

export type DecodeError = { kind: 'decode-error'; protocol: Source; reason: string };
export type DecodeResult = { ok: true; events: UpgradeEvent[] } | { ok: false; error: DecodeError };

export interface DecodeContext {
  /** The device named by the transport (header, query, topic); used where the payload names none. */
  device?: string;
  /** When the payload reached us: the event time only when the payload carries no time of its own. */
  receivedAt: Date;
}

/** The input is text (JSON), bytes (BSON) or an already parsed value; each decoder says which it reads. */
export type Decoder = (input: unknown, ctx: DecodeContext) => DecodeResult;

export function decodeFailure(protocol: Source, reason: string): DecodeResult {
  return { ok: false, error: { kind: 'decode-error', protocol, reason } };
}

export function decodeSafely(protocol: Source, decode: (input: unknown, ctx: DecodeContext) => UpgradeEvent[]): Decoder {
  return (input, ctx) => {
    let events: UpgradeEvent[];
    try {
      events = decode(input, ctx);
    } catch (e) {
      if (e instanceof Malformed) return decodeFailure(protocol, e.message);
      return decodeFailure(protocol, `could not decode the ${protocol} payload: ${e instanceof Error ? e.message : String(e)}`);
    }
    for (const [index, event] of events.entries()) {
      // Refused here, before anything that recurses (the journal's JSON.stringify) meets the raw payload.
      if (nestsDeeperThan(event.raw)) return decodeFailure(protocol, `event ${index} nests deeper than ${MAX_JSON_DEPTH} levels: no ${protocol} report does`);
      const check = UpgradeEventSchema.safeParse(event);
      if (!check.success) {
        const issue = check.error.issues[0];
        return decodeFailure(protocol, `event ${index} breaks the event contract at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
      }
    }
    return { ok: true, events };
  };
}

export { Malformed, malformed } from './malformed';
export { readDeviceTime, eventTime, type TimeRead } from './device-time';
export { hashEventId, canonicalJson } from './event-id';
