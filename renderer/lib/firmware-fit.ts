// Which devices a firmware file is for, read from its name: DJI packages name the product
// ("Dock2_…", "wm265e_…", "EvoNest-V1.2…"). A guess shown to the technician, never a gate.
import type { DeviceInfo, FirmwareInfo } from '../../preload/api';

export interface Fit {
  /** Model name → devices of that model named in the file name. */
  byModel: Map<string, DeviceInfo[]>;
  /** True when nothing named a model and the file only says "dock". */
  byKindOnly: boolean;
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

export function firmwareFit(firmware: Pick<FirmwareInfo, 'fileName'>, devices: readonly DeviceInfo[]): Fit {
  const file = norm(firmware.fileName);
  const byModel = new Map<string, DeviceInfo[]>();
  for (const d of devices) {
    const model = norm(d.model);
    if (model.length >= 3 && file.includes(model)) byModel.set(d.model, [...(byModel.get(d.model) ?? []), d]);
  }
  // "Dock" is inside "Dock2": when a longer model name matched, the shorter one is not meant.
  for (const model of [...byModel.keys()]) {
    if ([...byModel.keys()].some((other) => other !== model && norm(other).includes(norm(model)))) byModel.delete(model);
  }
  if (byModel.size > 0 || !file.includes('dock')) return { byModel, byKindOnly: false };
  for (const d of devices) if (d.kind === 'dock') byModel.set(d.model, [...(byModel.get(d.model) ?? []), d]);
  return { byModel, byKindOnly: true };
}
