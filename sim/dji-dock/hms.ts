// Health alerts a dock raises (method `hms` on thing/product/{gateway}/events), shaped as the Dock 2 HMS document
// gives them (https://developer.dji.com/doc/cloud-api-tutorial/en/api-reference/dock-to-cloud/mqtt/dock/dock2/hms.html):
// data.list[] of {level, module, in_the_sky, code, device_type, imminent, args}. Each report is the complete list
// (https://developer.dji.com/doc/cloud-api-tutorial/en/feature-set/dock-feature-set/hms.html): an alert missing
// from the next report is resolved. The document's example carries no need_reply, and DJI's sample server does not
// answer hms; the simulator asks for a reply only when told to.
import { DOCK_MODEL, DRONE_MODEL } from './device-payloads';

/** `level` and `module` as the Dock 2 HMS document enumerates them. */
export const HMS_LEVEL = { notification: 0, reminder: 1, warning: 2 } as const;
export const HMS_MODULE = { flightMission: 0, deviceManagement: 1, media: 2, hms: 3 } as const;

export interface HmsAlert {
  level: number;
  module: number;
  /** 0 on the ground, 1 in the air. */
  in_the_sky: 0 | 1;
  /** Hexadecimal text; the cloud looks it up in hms.json as dock_tip_{code} or fpv_tip_{code}. */
  code: string;
  /** domain-type-sub_type of the device the alert is about. */
  device_type: string;
  /** 1: the alert goes away by itself when its cause does. */
  imminent: 0 | 1;
  args: { component_index: number; sensor_index: number };
}

const typeOf = (m: { domain: number; type: number; sub_type: number }) => `${m.domain}-${m.type}-${m.sub_type}`;

/** The alerts the simulator raises while it upgrades. The codes are illustrative, not taken from hms.json. */
export const UPGRADE_ALERTS = {
  /** From the dock while it downloads: a notification. */
  dock: { level: HMS_LEVEL.notification, module: HMS_MODULE.hms, in_the_sky: 0, code: '0x1B0A0001', device_type: typeOf(DOCK_MODEL), imminent: 1, args: { component_index: 0, sensor_index: 0 } },
  /** From the aircraft while it installs: a reminder. */
  aircraft: { level: HMS_LEVEL.reminder, module: HMS_MODULE.hms, in_the_sky: 0, code: '0x16100083', device_type: typeOf(DRONE_MODEL), imminent: 0, args: { component_index: 0, sensor_index: 0 } },
} as const satisfies Record<string, HmsAlert>;

/** Which alerts stand at each point of an upgrade; the last list is empty: everything resolved. */
export function upgradeAlerts(point: 'download' | 'install' | 'end', withAircraft: boolean): HmsAlert[] {
  if (point === 'end') return [];
  if (point === 'download' || !withAircraft) return [UPGRADE_ALERTS.dock];
  return [UPGRADE_ALERTS.dock, UPGRADE_ALERTS.aircraft];
}
