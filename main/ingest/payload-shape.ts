// Which protocol a parsed capture payload belongs to, told from its shape alone.
import type { VehicleProtocol } from '../../wire/vehicles';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** aktualizr: an array of `{eventType}`; CarOTA: `{message_type}`; OEM: `{signed}`; Edgehog: `{v}`. */
export function detectProtocol(value: unknown): VehicleProtocol | null {
  if (Array.isArray(value)) return value.length > 0 && value.every((e) => isObject(e) && 'eventType' in e) ? 'aktualizr' : null;
  if (!isObject(value)) return null;
  if ('message_type' in value) return 'carota';
  if ('signed' in value) return 'oem';
  if ('v' in value) return 'edgehog';
  return null;
}

/**
 * The payloads a parsed .json capture holds: one payload, or an array of payloads. An array is one
 * aktualizr report when its elements are aktualizr events (or `protocol` says aktualizr and no element is
 * itself an array).
 */
export function payloadsOf(value: unknown, protocol?: VehicleProtocol): unknown[] {
  if (!Array.isArray(value)) return [value];
  if (detectProtocol(value) === 'aktualizr') return [value];
  if (protocol === 'aktualizr' && !value.some(Array.isArray)) return [value];
  return value;
}
