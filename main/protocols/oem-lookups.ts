// The OEM look-up requests (spec 003 API_2–API_6): the vehicle asks the server for actions, commands,
// a campaign's validity or new metadata. They report no progress, so they decode to zero events; a
// `signed` object that is neither these nor a notification with events[] is malformed.
import type { Obj } from './fields';

export const OEM_LOOKUPS = {
  'C_03 / C_36': 'OTA action or command acquisition: {vin, primaryId}',
  C_18: 'campaign validity check: {vin, primaryId, campaignId}',
  C_05: 'vehicle configuration upload: {vin, primaryId, ecuVersionManifests, clientDigest, augmentedManifest}',
} as const;

export type OemLookup = keyof typeof OEM_LOOKUPS;

const C_05_KEYS = ['augmentedManifest', 'ecuVersionManifests', 'clientDigest'];
const IDENTITY_KEYS = new Set(['vin', 'primaryId']);

/** Which look-up a `signed` object without events is, or null when it is none of them. */
export function recogniseOemLookup(signed: Obj): OemLookup | null {
  if ('events' in signed) return null;
  if (C_05_KEYS.some((k) => k in signed)) return 'C_05';
  const others = Object.keys(signed).filter((k) => !IDENTITY_KEYS.has(k));
  if (others.length === 1 && others[0] === 'campaignId') return 'C_18';
  if (others.length === 0 && 'vin' in signed) return 'C_03 / C_36';
  return null;
}
