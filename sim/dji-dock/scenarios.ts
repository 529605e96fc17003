// What each simulated dock is like and does with an ota_create, as data: the CLI, the demo mode and the tests pick
// by name. A refusal is never scripted: a scenario puts the dock in a state (its telemetry, as the Dock 2 property
// document names it) and the dock refuses from that state, as a real one does (ota-gates.ts).
import type { TelemetryPatch } from './telemetry';

export interface RebootPlan {
  /** How long the dock stays off MQTT while it restarts into the new firmware. */
  offlineMs: number;
  /** Whether it sends an `ok` ota_progress once it is back (many docks never do). */
  reportOk: boolean;
}

export interface ScenarioSpec {
  summary: string;
  /** The state the dock (and its aircraft) is in, over the defaults: an idle dock, its aircraft in it and charged. */
  telemetry?: TelemetryPatch;
  /** Abort the download once this share (%) of the bytes has arrived → DOWNLOAD_FAILED. */
  abortDownloadAtPercent?: number;
  /** Stop reading and go silent once this share (%) of the bytes has arrived. */
  stallAtPercent?: number;
  /** Spoil the MD5 the dock computed, so the comparison with the sent md5 fails → VERIFY_FAILED. */
  corruptDigest?: boolean;
  /** The dock carries an aircraft even when no drone SN was given. */
  needsDrone?: boolean;
  /** After installing, the dock restarts to apply the firmware instead of reporting `ok` at once. */
  reboot?: RebootPlan;
  /** It reports `ok` but keeps reporting the firmware_version it had. */
  keepsOldVersion?: boolean;
  /** It raises hms health alerts while it upgrades. */
  hms?: boolean;
}

/** Docks are off MQTT for minutes while they restart into new firmware. */
export const DEFAULT_REBOOT: RebootPlan = { offlineMs: 180_000, reportOk: false };

const TABLE = {
  ok: { summary: 'downloads, verifies and upgrades; reports the new firmware version' },
  'download-fail': { summary: 'the download breaks off at 40% → DOWNLOAD_FAILED (312004)', abortDownloadAtPercent: 40 },
  'md5-mismatch': { summary: 'the computed MD5 does not match → VERIFY_FAILED (312003)', corruptDigest: true },
  reject: { summary: 'the dock is in operation (mode_code 4): refuses ota_create, dock busy (312015)', telemetry: { mode_code: 4 } },
  busy: {
    summary: 'another upgrade is running (mode_code 3, firmware_upgrade_status 1): refuses ota_create (312014)',
    telemetry: { mode_code: 3, firmware_upgrade_status: 1 },
  },
  stall: { summary: "starts downloading, then stops reading and reporting (for the app's watchdog)", stallAtPercent: 30 },
  drone: { summary: 'a dock with its aircraft: upgrades both in one ota_create', needsDrone: true },
  reboot: {
    summary: `upgrades, then restarts to apply: off MQTT for ${DEFAULT_REBOOT.offlineMs / 1000} s, back on the new version, no ok`,
    reboot: DEFAULT_REBOOT,
  },
  'stale-version': { summary: 'reports ok but keeps reporting the old firmware_version', keepsOldVersion: true },
  hms: { summary: 'upgrades and raises hms health alerts on the way (resolved at the end)', hms: true },
  'no-aircraft': {
    summary: 'its aircraft is away (drone_in_dock 0): an upgrade of the aircraft is refused (312027)',
    needsDrone: true,
    telemetry: { drone_in_dock: 0, sub_device: { device_online_status: 0 }, aircraft: { mode_code: 14 } },
  },
  'aircraft-off': {
    summary: 'its aircraft is powered off (device_online_status 0): an upgrade of the aircraft is refused (312022)',
    needsDrone: true,
    telemetry: { sub_device: { device_online_status: 0 }, aircraft: { mode_code: 14 } },
  },
  'low-battery': {
    summary: 'its aircraft is charging at 12%: an upgrade of the aircraft is refused (312704)',
    needsDrone: true,
    telemetry: { drone_charge_state: { state: 1, capacity_percent: 12 } },
  },
  'emergency-stop': { summary: 'the emergency stop is pressed (emergency_stop_state 1): refuses ota_create (312023)', telemetry: { emergency_stop_state: 1 } },
  consistency: {
    summary: 'its aircraft asks for a consistency upgrade (compatible_status 1); a consistency upgrade of anything else is refused (312001)',
    needsDrone: true,
    telemetry: { aircraft: { compatible_status: 1 } },
  },
} as const satisfies Record<string, ScenarioSpec>;

export type ScenarioName = keyof typeof TABLE;
export const SCENARIOS: Readonly<Record<ScenarioName, ScenarioSpec>> = TABLE;
export const SCENARIO_NAMES = Object.keys(TABLE) as ScenarioName[];

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}
