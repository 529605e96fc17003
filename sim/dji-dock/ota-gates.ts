// Whether a dock takes an ota_create, decided from its own telemetry, as a table. The codes and their meanings are
// DJI's (FirmwareErrorCodeEnum in dji-sdk/DJI-Cloud-API-Demo; shared/specs/dji-field-notes.md); the conditions
// are the Dock 2 properties they name, and the checks DJI's sample server makes before it sends an ota_create
// (DeviceServiceImpl.checkOtaConditions: dock idle, emergency stop released). Rows are tried in order.
import { DOCK_ERRORS } from './dock-errors';
import type { DockTelemetry } from './telemetry';

/** What the request asks of the dock, as far as the gates care. */
export interface GateRequest {
  /** The aircraft is one of the devices to upgrade. */
  aircraft: boolean;
  /** Which devices are asked for a consistency upgrade (firmware_upgrade_type 2). */
  consistency: { dock: boolean; aircraft: boolean };
}

export interface OtaGate {
  name: string;
  code: number;
  refuses: (t: DockTelemetry, r: GateRequest) => boolean;
  reason: (t: DockTelemetry) => string;
}

/** The battery level below which a dock will not upgrade its aircraft (312704). */
export const MIN_AIRCRAFT_BATTERY_PERCENT = 20;

export const OTA_GATES: readonly OtaGate[] = [
  {
    name: 'already upgrading',
    code: DOCK_ERRORS.upgradeAlreadyRunning,
    refuses: (t) => t.mode_code === 3 || t.firmware_upgrade_status === 1 || t.aircraft.firmware_upgrade_status === 1,
    reason: (t) => `an upgrade is already running (mode_code ${t.mode_code}, firmware_upgrade_status ${t.firmware_upgrade_status}/${t.aircraft.firmware_upgrade_status})`,
  },
  {
    name: 'dock not idle',
    code: DOCK_ERRORS.dockBusy,
    refuses: (t) => t.mode_code !== 0,
    reason: (t) => `the dock is not idle (mode_code ${t.mode_code})`,
  },
  {
    name: 'emergency stop pressed',
    code: DOCK_ERRORS.emergencyStop,
    refuses: (t) => t.emergency_stop_state === 1,
    reason: () => 'the emergency stop is pressed (emergency_stop_state 1)',
  },
  {
    name: 'aircraft not in the dock',
    code: DOCK_ERRORS.noAircraft,
    refuses: (t, r) => r.aircraft && t.drone_in_dock !== 1,
    reason: () => 'the aircraft is not in the dock (drone_in_dock 0)',
  },
  {
    name: 'aircraft off or not paired',
    code: DOCK_ERRORS.aircraftOffOrUnpaired,
    refuses: (t, r) => r.aircraft && (t.sub_device.device_online_status !== 1 || t.sub_device.device_paired !== 1),
    reason: (t) => `the aircraft is not powered on or not paired (device_online_status ${t.sub_device.device_online_status}, device_paired ${t.sub_device.device_paired})`,
  },
  {
    name: 'aircraft battery low',
    code: DOCK_ERRORS.lowBattery,
    refuses: (t, r) => r.aircraft && t.drone_charge_state.capacity_percent < MIN_AIRCRAFT_BATTERY_PERCENT,
    reason: (t) => `the aircraft battery is at ${t.drone_charge_state.capacity_percent}% (below ${MIN_AIRCRAFT_BATTERY_PERCENT}%)`,
  },
  {
    name: 'consistency upgrade not asked for',
    code: DOCK_ERRORS.consistencyNotAsked,
    refuses: (t, r) => (r.consistency.dock && t.compatible_status !== 1) || (r.consistency.aircraft && t.aircraft.compatible_status !== 1),
    reason: () => 'a consistency upgrade was sent, but the device did not ask for one (compatible_status 0)',
  },
];

/** The first gate that refuses, or null when the dock takes the request. */
export function refusal(t: DockTelemetry, r: GateRequest): { code: number; gate: string; reason: string } | null {
  const gate = OTA_GATES.find((g) => g.refuses(t, r));
  return gate ? { code: gate.code, gate: gate.name, reason: gate.reason(t) } : null;
}
