// The ota_progress payload shapes seen in the field: spec 004, the Dock 2 firmware document (progress.current_step
// as a string, no sub_status: https://developer.dji.com/doc/cloud-api-tutorial/en/api-reference/dock-to-cloud/mqtt/dock/dock2/firmware.html),
// DJI's sample server (OtaProgress.java: current_step, ext.rate) and dji-field-notes.md. One simulator sends all of
// them, so the app's decoder meets every variant before a real dock does.

export const PROGRESS_VARIANTS = ['step_key', 'current_step_int', 'current_step_string', 'step_int'] as const;
export type ProgressVariant = (typeof PROGRESS_VARIANTS)[number];

export const STEP_KEYS = { 1: 'download_firmware', 2: 'upgrade_firmware' } as const;
export type Step = keyof typeof STEP_KEYS;

export type OtaStatus = 'in_progress' | 'ok' | 'failed';
export type SubStatus = 'DOWNLOADING' | 'DOWNLOAD_SUCCESS' | 'DOWNLOAD_FAILED' | 'VERIFY' | 'VERIFY_SUCCESS' | 'VERIFY_FAILED' | 'UPLOADING_DRONE' | 'UPGRADING' | 'UPGRADE_SUCCESS' | 'UPGRADE_FAIL';

/** One moment of an upgrade, independent of how a given firmware spells it. */
export interface ProgressSnapshot {
  status: OtaStatus;
  subStatus: SubStatus;
  step: Step;
  percent: number;
  result: number;
  /** Download speed in bytes/s, while downloading. */
  rate?: number;
}

export interface ProgressData {
  result: number;
  output: {
    status: OtaStatus;
    /** Absent from the Dock 1/2/3 documents and DJI's sample server; present in spec 004's. */
    sub_status?: SubStatus;
    progress: Record<string, string | number>;
    ext?: { rate: number };
  };
}

/**
 * The `data` of one ota_progress event in the given variant. `seq` (the event's index within its job) drives
 * the occasional quirks, so a run is reproducible: current_step_string sends every other percent as a
 * numeric string. Without `withSubStatus` the output carries no sub_status key at all, as Dock 2 documents it.
 */
export function progressData(variant: ProgressVariant, s: ProgressSnapshot, seq: number, withSubStatus = true): ProgressData {
  const stepKey = STEP_KEYS[s.step];
  let progress: Record<string, string | number>;
  switch (variant) {
    case 'step_key':
      progress = { percent: s.percent, step_key: stepKey };
      break;
    case 'current_step_int':
      progress = { percent: s.percent, current_step: s.step };
      break;
    case 'current_step_string':
      progress = { percent: seq % 2 === 1 ? String(s.percent) : s.percent, current_step: stepKey };
      break;
    case 'step_int':
      progress = { percent: s.percent, step: s.step, step_key: stepKey };
      break;
  }
  const output: ProgressData['output'] = { status: s.status, ...(withSubStatus && { sub_status: s.subStatus }), progress };
  // DJI's sample server puts the download speed beside `progress`.
  if (variant === 'current_step_int' && s.step === 1 && s.rate !== undefined) output.ext = { rate: Math.round(s.rate) };
  return { result: s.result, output };
}

/** The published docs example spells the envelope key "timestamp:"; the step_key variant does so every third event. */
export function misspellsTimestamp(variant: ProgressVariant, seq: number): boolean {
  return variant === 'step_key' && seq % 3 === 2;
}

/** Which variant a dock uses when none is asked for: fixed per gateway and run, so all four get exercised. */
export function defaultVariant(gateway: string, run: number): ProgressVariant {
  let h = 0;
  for (const ch of gateway) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PROGRESS_VARIANTS[(h + run) % PROGRESS_VARIANTS.length]!;
}

/** Step 2 after a verified download, one entry a tick; the percent keeps climbing across the drone upload. */
export const UPGRADE_PLAN: Record<'dock' | 'withDrone', ReadonlyArray<readonly [SubStatus, number]>> = {
  dock: [
    ['UPGRADING', 0],
    ['UPGRADING', 20],
    ['UPGRADING', 40],
    ['UPGRADING', 60],
    ['UPGRADING', 80],
  ],
  withDrone: [
    ['UPLOADING_DRONE', 0],
    ['UPLOADING_DRONE', 15],
    ['UPLOADING_DRONE', 30],
    ['UPGRADING', 40],
    ['UPGRADING', 55],
    ['UPGRADING', 70],
    ['UPGRADING', 85],
  ],
};
