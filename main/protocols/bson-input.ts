// Astarte payloads arrive as BSON over MQTT and as BSON or JSON over HTTP. A BSON document starts with
// its own int32 length, so bytes whose length prefix is wrong but that open with "{" are JSON text.
import { Long, deserialize } from 'bson';
import { bytesToText, parseJsonText } from './json-input';
import { malformed } from './malformed';

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

function looksLikeJson(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && WHITESPACE.has(bytes[i]!)) i++;
  return bytes[i] === 0x7b;
}

function declaresOwnLength(bytes: Uint8Array): boolean {
  if (bytes.length < 5) return false;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(0, true) === bytes.length;
}

/** BSON values that JSON cannot carry, made plain so `raw` survives the journal and the exports. */
export function plainFromBson(value: unknown): unknown {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : String(value);
  if (value instanceof Long) return value.toString();
  if (Array.isArray(value)) return value.map(plainFromBson);
  if (typeof value === 'object' && value !== null) {
    if ('_bsontype' in value) {
      const json = (value as { toJSON?: () => unknown }).toJSON;
      return typeof json === 'function' ? json.call(value) : String(value);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainFromBson(v)]));
  }
  return value;
}

export function readBsonOrJson(bytes: Uint8Array, what: string): unknown {
  if (!declaresOwnLength(bytes) && looksLikeJson(bytes)) return parseJsonText(bytesToText(bytes, what), what);
  try {
    return deserialize(bytes);
  } catch (e) {
    return malformed(`${what} is not valid BSON (${e instanceof Error ? e.message : String(e)})`);
  }
}
