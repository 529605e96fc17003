// What pressing Upgrade will do, worked out before the dialog shows it: devices, file, versions from → to,
// downgrades, and what stops it (no file, unknown version, no device).
import type { DeviceInfo, FirmwareInfo } from '../../preload/api';
import { isDowngrade } from '../lib/version';

export interface PlannedDevice {
  sn: string;
  model: string;
  from?: string;
  to?: string;
  downgrade: boolean;
  online: boolean;
}

export interface UpgradePlan {
  devices: PlannedDevice[];
  blockers: string[];
  downgrades: PlannedDevice[];
}

export function planUpgrade(firmware: FirmwareInfo | undefined, selected: readonly string[], devices: Readonly<Record<string, DeviceInfo>>): UpgradePlan {
  const planned = selected.map((sn) => {
    const d = devices[sn];
    return {
      sn,
      model: d?.model ?? 'unknown device',
      from: d?.firmwareVersion,
      to: firmware?.version,
      downgrade: isDowngrade(d?.firmwareVersion, firmware?.version),
      online: d?.online ?? false,
    };
  });
  const blockers: string[] = [];
  if (!firmware) blockers.push('Choose a firmware file.');
  else if (firmware.error) blockers.push(`${firmware.fileName} cannot be used: ${firmware.error}`);
  else if (firmware.hashing || !firmware.md5) blockers.push(`${firmware.fileName} is still being hashed.`);
  else if (!firmware.version) blockers.push(`Set the version of ${firmware.fileName} in the Firmware view.`);
  if (planned.length === 0) blockers.push('Select at least one device.');
  return { devices: planned, blockers, downgrades: planned.filter((p) => p.downgrade) };
}
