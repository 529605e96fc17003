// What a DJI Dock 2 and its Matrice 3D report about their condition, and the osd / state payloads that carry it.
// Field names, values and topics follow the property documents; the values themselves are our own:
//   Dock 2: https://developer.dji.com/doc/cloud-api-tutorial/en/api-reference/dock-to-cloud/mqtt/dock/dock2/properties.html
//   M3D:    https://developer.dji.com/doc/cloud-api-tutorial/en/api-reference/dock-to-cloud/mqtt/aircraft/m3d-properties.html
// pushMode 0 goes on thing/product/{sn}/osd at 0.5 Hz, pushMode 1 on thing/product/{sn}/state when it changes.
import { DRONE_MODEL } from './device-payloads';

/** Dock 2 `mode_code` (osd), as the Dock 2 property document enumerates it. */
export const DOCK_MODE = { idle: 0, onSiteDebugging: 1, remoteDebugging: 2, upgrading: 3, working: 4, awaitingCalibration: 5 } as const;

/** The aircraft's own `mode_code` (osd) values the simulator uses (M3D property document: 0 standby … 13 upgrading, 14 not connected). */
export const AIRCRAFT_MODE = { standby: 0, upgrading: 13, notConnected: 14 } as const;

export interface DockTelemetry {
  /** DOCK_MODE. */
  mode_code: number;
  /** 0 outside the dock, 1 inside. */
  drone_in_dock: 0 | 1;
  /** state 0 idle, 1 charging; capacity_percent 0–100. */
  drone_charge_state: { state: 0 | 1; capacity_percent: number };
  /** 0 released, 1 pressed. */
  emergency_stop_state: 0 | 1;
  /** The aircraft on the pad: powered on (device_online_status 1) and paired with the dock (device_paired 1). */
  sub_device: { device_online_status: 0 | 1; device_paired: 0 | 1 };
  /** type 1 4G, 2 Ethernet; quality 0 no signal … 5 good; rate in KB/s. */
  network_state: { type: 1 | 2; quality: number; rate: number };
  /** 0 not upgrading, 1 upgrading. */
  firmware_upgrade_status: 0 | 1;
  /** 1: the dock asks for a consistency upgrade. */
  compatible_status: 0 | 1;
  /** The aircraft's own properties (M3D): osd mode_code, state firmware_upgrade_status and compatible_status. */
  aircraft: { mode_code: number; firmware_upgrade_status: 0 | 1; compatible_status: 0 | 1 };
}

type Patch<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };
/** Any part of the telemetry; a struct may be given in part. */
export type TelemetryPatch = Patch<DockTelemetry>;

/** The topic each dock property travels on, from its pushMode in the Dock 2 property document. */
export const DOCK_PUSH_MODE = {
  mode_code: 'osd',
  drone_in_dock: 'osd',
  drone_charge_state: 'osd',
  emergency_stop_state: 'osd',
  sub_device: 'osd',
  network_state: 'osd',
  firmware_upgrade_status: 'state',
  compatible_status: 'state',
} as const satisfies Record<Exclude<keyof DockTelemetry, 'aircraft'>, 'osd' | 'state'>;

/** The aircraft's properties and their topics, from the M3D property document (battery.capacity_percent is osd). */
export const AIRCRAFT_PUSH_MODE = { mode_code: 'osd', firmware_upgrade_status: 'state', compatible_status: 'state' } as const satisfies Record<keyof DockTelemetry['aircraft'], 'osd' | 'state'>;

/**
 * The key naming the aircraft model inside `sub_device`: `product_type` in the English Dock 1/Dock 2 documents,
 * `device_model_key` in the current Dock 2/Dock 3 ones and in DJI's sample server (DockSubDevice.java).
 */
export type SubDeviceModelKey = 'product_type' | 'device_model_key';

/** An idle dock on Ethernet, its aircraft (when it has one) in the dock, powered, paired and charged. */
export function defaultTelemetry(hasAircraft: boolean): DockTelemetry {
  return {
    mode_code: DOCK_MODE.idle,
    drone_in_dock: hasAircraft ? 1 : 0,
    drone_charge_state: { state: 0, capacity_percent: hasAircraft ? 86 : 0 },
    emergency_stop_state: 0,
    sub_device: { device_online_status: hasAircraft ? 1 : 0, device_paired: hasAircraft ? 1 : 0 },
    network_state: { type: 2, quality: 5, rate: 5120 },
    firmware_upgrade_status: 0,
    compatible_status: 0,
    aircraft: { mode_code: AIRCRAFT_MODE.standby, firmware_upgrade_status: 0, compatible_status: 0 },
  };
}

export function patchTelemetry(base: DockTelemetry, patch: TelemetryPatch): DockTelemetry {
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = typeof value === 'object' && typeof current === 'object' && current !== null ? { ...current, ...value } : value;
  }
  return out as unknown as DockTelemetry;
}

/** What the devices of a running upgrade report: the dock in mode 3, each upgraded device upgrading. */
export function whileUpgrading(t: DockTelemetry, upgrading: { dock: boolean; aircraft: boolean }): DockTelemetry {
  return patchTelemetry(t, {
    mode_code: DOCK_MODE.upgrading,
    ...(upgrading.dock && { firmware_upgrade_status: 1 }),
    ...(upgrading.aircraft && { aircraft: { mode_code: AIRCRAFT_MODE.upgrading, firmware_upgrade_status: 1 } }),
  });
}

function pick<K extends string>(t: Record<string, unknown>, table: Record<K, 'osd' | 'state'>, topic: 'osd' | 'state'): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(table)
      .filter(([, where]) => where === topic)
      .map(([key]) => [key, t[key]]),
  );
}

/** The dock's osd `data`: its pushMode-0 properties plus where it stands and how warm it is. */
export function dockOsdData(t: DockTelemetry, aircraftSn: string | undefined, modelKey: SubDeviceModelKey) {
  const osd = pick(t as unknown as Record<string, unknown>, DOCK_PUSH_MODE, 'osd');
  return {
    ...osd,
    sub_device: {
      device_sn: aircraftSn ?? '',
      [modelKey]: aircraftSn ? `${DRONE_MODEL.domain}-${DRONE_MODEL.type}-${DRONE_MODEL.sub_type}` : '',
      ...t.sub_device,
    },
    cover_state: 0,
    temperature: 24.5,
    humidity: 41,
    environment_temperature: 19,
    latitude: 46.2044,
    longitude: 6.1432,
    height: 412.3,
  };
}

export interface DeviceState {
  firmware_version: string;
  firmware_upgrade_status: 0 | 1;
  compatible_status: 0 | 1;
}

/** A device's state `data` (dock or aircraft): the pushMode-1 properties the upgrade depends on. */
export function stateData(firmwareVersion: string, t: Pick<DockTelemetry['aircraft'], 'firmware_upgrade_status' | 'compatible_status'>): DeviceState {
  return { firmware_version: firmwareVersion, firmware_upgrade_status: t.firmware_upgrade_status, compatible_status: t.compatible_status };
}

/** The aircraft's osd `data`: its mode and its battery, which the dock also reports as drone_charge_state. */
export function aircraftOsdData(t: DockTelemetry) {
  return { ...pick(t.aircraft, AIRCRAFT_PUSH_MODE, 'osd'), battery: { capacity_percent: t.drone_charge_state.capacity_percent } };
}
