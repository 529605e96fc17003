import type { DeviceInfo } from '../../preload/api';

/** Matches SN, gateway, model, firmware version and mode, case aside; every word must match. */
export function matchesSearch(device: DeviceInfo, search: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = [device.sn, device.gateway, device.model, device.kind, device.firmwareVersion ?? '', device.mode ?? ''].join(' ').toLowerCase();
  return words.every((w) => text.includes(w));
}
