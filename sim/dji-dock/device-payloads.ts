// Who a DJI Dock 2 with its Matrice 3D says it is: the topology it announces (update_topo on
// sys/product/{gateway}/status), as the Dock 2 device-management document shapes it
// (https://developer.dji.com/doc/cloud-api-tutorial/en/api-reference/dock-to-cloud/mqtt/dock/dock2/device.html);
// an aircraft that is powered off leaves sub_devices empty. Values are our own.
import { randomBytes } from 'node:crypto';

/** domain-type-sub_type of Dock 2 and Matrice 3D (https://developer.dji.com/doc/cloud-api-tutorial/en/overview/product-support.html). */
export const DOCK_MODEL = { domain: 3, type: 2, sub_type: 0 } as const;
export const DRONE_MODEL = { domain: 0, type: 91, sub_type: 0 } as const;
const THING_VERSION = '1.2.0';

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
