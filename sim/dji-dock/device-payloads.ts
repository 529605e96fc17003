// What a DJI Dock 2 with its Matrice 3D reports about itself: topology (update_topo), state and osd data.
// Shapes follow the public Cloud API device-management and dock-property pages; values are our own.
import { randomBytes } from 'node:crypto';

/** domain-type-sub_type of the products we simulate (Cloud API "product support" table). */
export const DOCK_MODEL = { domain: 3, type: 2, sub_type: 0 } as const;
export const DRONE_MODEL = { domain: 0, type: 91, sub_type: 0 } as const;
const THING_VERSION = '1.2.0';

/** Dock mode_code values the simulator passes through. */
export const DOCK_MODE = { idle: 0, upgrading: 3 } as const;

export interface Credentials {
  device_secret: string;
  nonce: string;
}

export function newCredentials(): Credentials {
  return { device_secret: randomBytes(16).toString('hex'), nonce: randomBytes(8).toString('hex') };
}

export function updateTopoData(dock: Credentials, drone?: { sn: string; credentials: Credentials }) {
  return {
    ...DOCK_MODEL,
    ...dock,
    thing_version: THING_VERSION,
    sub_devices: drone ? [{ sn: drone.sn, ...DRONE_MODEL, index: 'A', ...drone.credentials, thing_version: THING_VERSION }] : [],
  };
}

export interface DeviceState {
  firmware_version: string;
  /** 0: versions consistent, 1: a consistency upgrade is needed. */
  compatible_status: 0 | 1;
  /** 0: not upgrading, 1: upgrading. */
  firmware_upgrade_status: 0 | 1;
}

export function stateData(firmwareVersion: string, upgrading: boolean): DeviceState {
  return { firmware_version: firmwareVersion, compatible_status: 0, firmware_upgrade_status: upgrading ? 1 : 0 };
}

export function dockOsdData(mode: number, drone: string | undefined) {
  return {
    mode_code: mode,
    cover_state: 0,
    drone_in_dock: drone ? 1 : 0,
    network_state: { type: 2, quality: 4, rate: 5120 },
    temperature: 24.5,
    humidity: 41,
    environment_temperature: 19,
    latitude: 46.2044,
    longitude: 6.1432,
    height: 412.3,
    sub_device: drone
      ? { device_sn: drone, product_type: `${DRONE_MODEL.domain}-${DRONE_MODEL.type}-${DRONE_MODEL.sub_type}`, device_online_status: 1, device_paired: 1 }
      : { device_sn: '', product_type: '', device_online_status: 0, device_paired: 0 },
  };
}
