// The DJI Cloud API message envelope: {tid, bid, timestamp, method, data, gateway?, need_reply?}.
// decodeEnvelope never throws: malformed input comes back as a typed error the caller logs.
import { randomUUID } from 'node:crypto';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../json-depth';

const MAX_DATE_MS = 8.64e15;

export interface Envelope<D = unknown> {
  tid: string;
  bid: string;
  timestamp: number;
  method: string;
  data: D;
  gateway?: string;
  need_reply?: number;
}

export type EnvelopeError = { kind: 'envelope-error'; reason: string; text: string };
export type Decoded = { ok: true; envelope: Envelope } | { ok: false; error: EnvelopeError };

export function newEnvelope<D>(method: string, data: D, ids?: { tid?: string; bid?: string }): Envelope<D> {
  return { tid: ids?.tid ?? randomUUID(), bid: ids?.bid ?? randomUUID(), timestamp: Date.now(), method, data };
}

export function encodeEnvelope(envelope: Envelope): Buffer {
  return Buffer.from(JSON.stringify(envelope));
}

function fail(reason: string, payload: Uint8Array | string): Decoded {
  const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
  return { ok: false, error: { kind: 'envelope-error', reason, text: text.slice(0, 2000) } };
}

/** Topics whose messages name a method (services_reply, events, status); osd and state do not. */
export function requireMethod(decoded: Decoded): Decoded {
  if (decoded.ok && decoded.envelope.method === '') {
    return { ok: false, error: { kind: 'envelope-error', reason: 'missing "method"', text: JSON.stringify(decoded.envelope).slice(0, 2000) } };
  }
  return decoded;
}

export function decodeEnvelope(payload: Uint8Array | string): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8'));
  } catch (e) {
    return fail(`not JSON: ${(e as Error).message}`, payload);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('not a JSON object', payload);
  if (nestsDeeperThan(value)) return fail(`nested deeper than ${MAX_JSON_DEPTH} levels: no DJI message is`, payload);
  const o = value as Record<string, unknown>;
  // osd and state messages carry no method; the caller decides where one is required.
  if (o.method !== undefined && typeof o.method !== 'string') return fail('"method" is not a string', payload);
  if (o.tid !== undefined && typeof o.tid !== 'string') return fail('"tid" is not a string', payload);
  if (o.bid !== undefined && typeof o.bid !== 'string') return fail('"bid" is not a string', payload);
  // Published DJI examples carry a misspelled "timestamp:" key; accept either, and numeric strings.
  const rawTs = o.timestamp ?? o['timestamp:'];
  const ts = typeof rawTs === 'number' ? rawTs : typeof rawTs === 'string' && rawTs.trim() !== '' ? Number(rawTs) : Number.NaN;
  const envelope: Envelope = {
    tid: o.tid ?? '',
    bid: o.bid ?? '',
    // Outside Date's range (±8.64e15 ms) a time cannot be shown or stored: taken as now, like a missing one.
    timestamp: Number.isFinite(ts) && Math.abs(ts) <= MAX_DATE_MS ? ts : Date.now(),
    method: o.method ?? '',
    data: o.data,
  };
  if (typeof o.gateway === 'string') envelope.gateway = o.gateway;
  if (o.need_reply !== undefined) envelope.need_reply = Number(o.need_reply);
  return { ok: true, envelope };
}
