// What each simulated dock does with an ota_create, as data: the CLI, the demo mode and the tests pick by name.

/** The 312xxx/31xxxx codes the simulator answers with (meanings in shared/specs/dji-field-notes.md). */
export const DOCK_ERRORS = {
  verifyFailed: 312003,
  downloadFailed: 312004,
  invalidParameters: 312012,
  upgradeAlreadyRunning: 312014,
  dockBusy: 312015,
  noAircraft: 312027,
  notSupported: 314000,
  busyUpgrading: 319038,
} as const;

export interface ScenarioSpec {
  summary: string;
  /** Non-zero: every ota_create is refused in services_reply with this result. */
  refuseWith?: number;
  /** Abort the download once this share (%) of the bytes has arrived → DOWNLOAD_FAILED. */
  abortDownloadAtPercent?: number;
  /** Stop reading and go silent once this share (%) of the bytes has arrived. */
  stallAtPercent?: number;
  /** Spoil the MD5 the dock computed, so the comparison with the sent md5 fails → VERIFY_FAILED. */
  corruptDigest?: boolean;
  /** The dock carries an aircraft even when no drone SN was given. */
  needsDrone?: boolean;
}

const TABLE = {
  ok: { summary: 'downloads, verifies and upgrades; reports the new firmware version' },
  'download-fail': { summary: 'the download breaks off at 40% → DOWNLOAD_FAILED (312004)', abortDownloadAtPercent: 40 },
  'md5-mismatch': { summary: 'the computed MD5 does not match → VERIFY_FAILED (312003)', corruptDigest: true },
  reject: { summary: 'refuses every ota_create: dock busy (312015)', refuseWith: DOCK_ERRORS.dockBusy },
  busy: { summary: 'refuses every ota_create: an upgrade is already running (312014)', refuseWith: DOCK_ERRORS.upgradeAlreadyRunning },
  stall: { summary: 'starts downloading, then stops reading and reporting (for the app\'s watchdog)', stallAtPercent: 30 },
  drone: { summary: 'a dock with its aircraft: upgrades both in one ota_create', needsDrone: true },
} as const satisfies Record<string, ScenarioSpec>;

export type ScenarioName = keyof typeof TABLE;
export const SCENARIOS: Readonly<Record<ScenarioName, ScenarioSpec>> = TABLE;
export const SCENARIO_NAMES = Object.keys(TABLE) as ScenarioName[];

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}
