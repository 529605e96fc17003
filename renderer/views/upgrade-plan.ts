// What pressing Upgrade will send, worked out before anything is asked of the host: each selected device
// with its file (its own, else the batch's), and what stops it (no file, a file not ready, no device).
// The host's upgrade.plan then adds gates, versions and notes in the confirmation.
import type { DeviceInfo, FirmwareInfo } from '../../preload/api';

export interface PlannedDevice {
  sn: string;
  model: string;
  firmwareId?: string;
}

export interface UpgradePlan {
  devices: PlannedDevice[];
  blockers: string[];
  /** The files the batch would use, each once. */
  files: FirmwareInfo[];
}

function fileProblem(f: FirmwareInfo): string | undefined {
  if (f.error) return `${f.fileName} cannot be used: ${f.error}`;
  if (f.hashing || !f.md5) return `${f.fileName} is still being hashed.`;
  if (!f.version) return `Set the version of ${f.fileName} in the Firmware view.`;
  return undefined;
}

export function planUpgrade(
  firmwareById: Readonly<Record<string, FirmwareInfo>>,
  batchFile: string | undefined,
  selected: readonly string[],
  packages: Readonly<Record<string, string>>,
  devices: Readonly<Record<string, DeviceInfo>>,
): UpgradePlan {
  const planned = selected.map((sn) => {
    const id = packages[sn] ?? batchFile;
    return { sn, model: devices[sn]?.model ?? 'unknown device', ...(id && firmwareById[id] ? { firmwareId: id } : {}) };
  });
  const blockers: string[] = [];
  if (planned.length === 0) blockers.push('Select at least one device.');
  const without = planned.filter((p) => !p.firmwareId);
  if (!batchFile && (planned.length === 0 || without.length > 0)) blockers.push('Choose a firmware file.');
  else if (without.length > 0) blockers.push(`Choose a file for ${without.map((p) => p.sn).join(', ')}.`);
  const files = [...new Set(planned.flatMap((p) => (p.firmwareId ? [p.firmwareId] : [])))].map((id) => firmwareById[id]!);
  for (const f of files) {
    const problem = fileProblem(f);
    if (problem) blockers.push(problem);
  }
  return { devices: planned, blockers, files };
}
