// Values of our own, shaped like what the core sends.
import type { DeviceInfo, DeviceUpgrade, FirmwareInfo } from '../../preload/api';

export const T0 = '2024-06-03T08:00:00.000Z';

export function dock(sn: string, firmwareVersion?: string, extra: Partial<DeviceInfo> = {}): DeviceInfo {
  return { sn, gateway: sn, kind: 'dock', model: 'Dock 2', firmwareVersion, online: true, mode: 'idle', lastSeen: T0, ...extra };
}

export function firmware(extra: Partial<FirmwareInfo> = {}): FirmwareInfo {
  return { id: 'fw-a', fileName: 'Dock2_V10.01.0500.bin', size: 52_428_800, md5: '5f0c6a1b8e2d4c3b9a7f6e5d4c3b2a19', version: '10.01.0500', addedAt: T0, ...extra };
}

export function upgradeRow(sn: string, extra: Partial<DeviceUpgrade> = {}): DeviceUpgrade {
  return {
    key: `tid-x:${sn}`,
    tid: 'tid-x',
    gateway: sn,
    sn,
    firmwareId: 'fw-a',
    fileName: 'Dock2_V10.01.0500.bin',
    targetVersion: '10.01.0500',
    fromVersion: '10.01.0300',
    type: 'regular',
    step: 'download',
    percent: 10,
    status: 'in_progress',
    subStatus: 'DOWNLOADING',
    verified: false,
    bytesServed: 5_242_880,
    fileSize: 52_428_800,
    speed: 1_000_000,
    etaSeconds: 47,
    startedAt: T0,
    updatedAt: '2024-06-03T08:00:05.000Z',
    ...extra,
  };
}
