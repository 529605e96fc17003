// Device timestamps in every form the vehicle protocols send them, read into ISO 8601 (UTC).
// Numbers and numeric strings below 1e11 are seconds (1e11 s is the year 5138), anything larger is
// milliseconds (1e11 ms is March 1973): no device clock reports the early 1970s in milliseconds.
import { kindOf } from './fields';
import { malformed } from './malformed';

export type TimeRead = string | null;

const SECONDS_BELOW = 1e11;
/** 9999-12-31T23:59:59.999Z: past it ISO 8601 needs an expanded year no consumer expects. */
const LATEST_MS = 253_402_300_799_999;
const NUMERIC = /^[+-]?\d+(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;

function fromMillis(ms: number, field: string, shown: string): string {
  if (!Number.isFinite(ms) || ms < 0 || ms > LATEST_MS) malformed(`${field} ${shown} is not a usable time (expected seconds or milliseconds since 1970, up to the year 9999)`);
  return new Date(ms).toISOString();
}

function fromNumber(n: number, field: string, shown: string): string {
  return fromMillis(Math.abs(n) < SECONDS_BELOW ? n * 1000 : n, field, shown);
}

/**
 * The time a device put in its payload, or null when the field is absent or empty.
 * Accepts seconds or milliseconds (number or numeric string), ISO 8601 strings (no zone means UTC)
 * and Date objects (BSON datetime). Anything else present is malformed.
 */
export function readDeviceTime(value: unknown, field: string): TimeRead {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return fromMillis(value.getTime(), field, String(value));
  if (typeof value === 'bigint') return fromNumber(Number(value), field, value.toString());
  if (typeof value === 'number') return fromNumber(value, field, String(value));
  if (typeof value !== 'string') return malformed(`${field} is ${kindOf(value)}, not a time`);
  const text = value.trim();
  if (text === '') return null;
  if (NUMERIC.test(text)) return fromNumber(Number(text), field, JSON.stringify(value));
  if (ISO_DATE.test(text)) {
    const zoned = text.length > 10 && !HAS_ZONE.test(text) ? `${text}Z` : text;
    return fromMillis(Date.parse(zoned), field, JSON.stringify(value));
  }
  return malformed(`${field} ${JSON.stringify(value.slice(0, 64))} is not a time (expected seconds, milliseconds or ISO 8601)`);
}

/** The first time the payload carries, else the reception time (and says which it was). */
export function eventTime(candidates: readonly TimeRead[], receivedAt: Date): { time: string; fromPayload: boolean } {
  for (const c of candidates) if (c !== null) return { time: c, fromPayload: true };
  return { time: receivedAt.toISOString(), fromPayload: false };
}
