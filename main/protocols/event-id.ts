// Event ids for messages that carry none of their own (Edgehog; any element missing its id).
// The id is a hash of what identifies the message, so re-ingesting the same capture gives the same id
// and the journal can recognise a duplicate. Keys are sorted first: Astarte sends object keys in any order.
import { createHash } from 'node:crypto';
import type { Source } from '../../preload/api';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return JSON.stringify(value.toString());
    return JSON.stringify(value) ?? 'null';
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * `<source>-<32 hex>` from source, device and the raw message. `receivedAt` joins the hash only when the
 * payload has no time of its own: then two identical reports sent a minute apart stay two events.
 */
export function hashEventId(source: Source, device: string, raw: unknown, receivedAt?: string): string {
  const digest = createHash('sha256')
    .update(canonicalJson([source, device, raw, receivedAt ?? null]))
    .digest('hex');
  return `${source}-${digest.slice(0, 32)}`;
}
