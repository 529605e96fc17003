// Reading fields of untrusted JSON/BSON with reasons that name the exact place ("element 2: event.success").
import { malformed } from './malformed';

export type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** "element 2: " + "event." + "success" — `at` is the prefix up to and including the parent. */
function name(at: string, key: string): string {
  return `${at}${key}`;
}

export function optString(o: Obj, key: string, at: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') malformed(`${name(at, key)} is ${kindOf(v)}, expected text`);
  return v;
}

export function reqString(o: Obj, key: string, at: string): string {
  const v = optString(o, key, at);
  if (v === undefined || v.trim() === '') malformed(`${name(at, key)} missing`);
  return v;
}

/** Ids may be sent as text or as a number (C_18 campaignId, some aktualizr forks): both read as text. */
export function optId(o: Obj, key: string, at: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') malformed(`${name(at, key)} is ${kindOf(v)}, expected text or a number`);
  return v;
}

export function optNumber(o: Obj, key: string, at: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') malformed(`${name(at, key)} is ${kindOf(v)}, expected a number`);
  if (!Number.isFinite(v)) malformed(`${name(at, key)} is not a finite number`);
  return v;
}

export function optObject(o: Obj, key: string, at: string): Obj | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) malformed(`${name(at, key)} is ${kindOf(v)}, expected an object`);
  return v;
}

export function reqObject(o: Obj, key: string, at: string): Obj {
  const v = optObject(o, key, at);
  if (v === undefined) malformed(`${name(at, key)} missing`);
  return v;
}

export function optArray(o: Obj, key: string, at: string): unknown[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) malformed(`${name(at, key)} is ${kindOf(v)}, expected a list`);
  return v as unknown[];
}

/** A percentage from a done/total pair, to one decimal; an impossible pair is malformed, a zero total gives null. */
export function ratioPercent(done: number, total: number, what: string): number | null {
  if (done < 0 || total < 0) malformed(`${what}: negative values (${done} of ${total})`);
  if (total === 0) return null;
  if (done > total) malformed(`${what}: ${done} is more than the total ${total}`);
  return Math.round((done / total) * 1000) / 10;
}
