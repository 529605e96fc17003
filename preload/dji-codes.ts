// DJI upgrade codes and statuses in words, shared by main and the renderer (no Node, no DOM).
// The tables are data from spec 004 and /work/shared/specs/dji-field-notes.md; tests iterate over them.
import { DJI_STATUSES, type DjiStatus } from './api';

/** The 312xxx (and neighbouring) result codes, as the field notes group them. */
export const DJI_ERROR_TABLE: readonly (readonly [codes: readonly number[], meaning: string])[] = [
  [[312001], 'consistency upgrade sent, but the device did not ask for one'],
  [[312002, 312003, 312004, 312013, 312018, 312019, 312020, 312021, 312024], 'upgrade failed, try again'],
  [[312010], 'request does not match the protocol'],
  [[312012], 'invalid parameters'],
  [[312014], 'an upgrade is already running — do not send again'],
  [[312015], 'dock busy — retry when idle'],
  [[312016], 'dock–aircraft link error — restart both'],
  [[312017], 'version check failed'],
  [[312022], 'aircraft does not power on or is not linked'],
  [[312023], 'driving rods do not close — check the emergency stop'],
  [[312025], 'could not delete the old package'],
  [[312026], 'could not unpack the offline package'],
  [[312027], 'no aircraft in the dock'],
  [[312028], 'the device restarted during the upgrade'],
  [[312029], 'the device is restarting — wait'],
  [[312030], 'enhanced (4G) transmission is on — turn it off'],
  [[312704], 'battery below 20%'],
  [[319038, 514147, 514151], 'device busy upgrading (other services refuse)'],
];

export const DJI_ERROR_CODES: ReadonlyMap<number, string> = new Map(DJI_ERROR_TABLE.flatMap(([codes, meaning]) => codes.map((code) => [code, meaning] as const)));

/** "312015: dock busy — retry when idle", or the bare code when it is not in the table. */
export function explainDjiCode(code: number): string {
  const meaning = DJI_ERROR_CODES.get(code);
  return meaning ? `${code}: ${meaning}` : `${code}: DJI error code not in Dockside's table`;
}

const RETRY_ON_DOCK = 'the upgrade failed on the dock: retry; if it fails again, restart the dock, then retry';

/**
 * What happened and what the technician does next, in plain words, per code: what the Progress view,
 * the history and the report say after the code. Codes not listed fall back to their meaning.
 */
export const DJI_NEXT_STEP_TABLE: readonly (readonly [codes: readonly number[], words: string])[] = [
  [[312001], 'a consistency upgrade the device did not ask for: send a regular upgrade instead'],
  [[312002, 312013, 312018, 312019, 312020, 312021, 312024], RETRY_ON_DOCK],
  [[312003], 'the file arrived damaged: add it again and retry'],
  [[312004], "the download broke off: check the dock's network to this laptop, then retry"],
  [[312010, 312012], "the dock did not accept the request: check the file's version, then retry"],
  [[312014], 'an upgrade is already running on the dock: wait for it to end, do not send again'],
  [[312015], 'the dock is busy: wait until it is idle (no flight task, no debugging), then retry'],
  [[312016], 'the dock lost its link to the aircraft: restart both, then retry'],
  [[312017], 'the version check failed: check the file is meant for this device and this version'],
  [[312022], 'the aircraft is off or not paired: power it on, check it is paired with the dock, then retry'],
  [[312023], 'the driving rods did not close: release the emergency stop, check the rods, then retry'],
  [[312025], 'the dock could not delete its old package: restart the dock, then retry'],
  [[312026], 'the dock could not unpack the file: add it again and retry'],
  [[312027], 'no aircraft in the dock: land it in the dock, then retry'],
  [[312028], 'the device restarted during the upgrade: wait until it is back online, then retry'],
  [[312029], 'the device is restarting: wait until it is back online, then retry'],
  [[312030], 'enhanced (4G) transmission is on: turn it off, then retry'],
  [[312704], 'the aircraft battery is below 20%: let it charge, then retry'],
  [[319038, 514147, 514151], 'the device is busy upgrading: wait for that upgrade to end'],
];

const NEXT_STEPS: ReadonlyMap<number, string> = new Map(DJI_NEXT_STEP_TABLE.flatMap(([codes, words]) => codes.map((code) => [code, words] as const)));

/** "312003 — the file arrived damaged: add it again and retry"; a code without a next step says its meaning. */
export function failureInWords(code: number): string {
  const words = NEXT_STEPS.get(code) ?? DJI_ERROR_CODES.get(code);
  return words ? `${code} — ${words}` : explainDjiCode(code);
}

/** The next step after an end that carries no code, by how it ended. */
export const DJI_END_NEXT_STEP: Readonly<Partial<Record<DjiStatus, string>>> = {
  timeout: 'check that the dock is online and can reach this laptop, then retry',
  not_verified: 'check the version the device reports in Devices; retry if it still runs the old one',
  canceled: 'retry to send it',
};

/** The task statuses a dock reports (spec 004 `output.status`), in words. */
export const DJI_TASK_STATUS_WORDS = {
  sent: 'Sent to the dock',
  in_progress: 'In progress',
  paused: 'Paused',
  ok: 'Upgraded',
  failed: 'Failed',
  rejected: 'Rejected by the dock',
  canceled: 'Canceled',
  timeout: 'Timed out',
} as const;

/** A device's upgrade status in words: the dock's own statuses, and ours around them. */
export const DJI_STATUS_WORDS: Readonly<Record<DjiStatus, string>> = {
  ...DJI_TASK_STATUS_WORDS,
  queued: 'Waiting in the batch',
  held: 'Held back',
  verifying: 'Checking the new version',
  ok: 'Upgraded and verified',
  not_verified: 'Not verified',
};

/** Where an upgrade has ended: it stays there unless a timed-out dock speaks again. */
export const DJI_TERMINAL_STATUSES: ReadonlySet<DjiStatus> = new Set(['ok', 'not_verified', 'failed', 'rejected', 'canceled', 'timeout']);

/** The ends a technician can start again (a fresh ota_create, the next attempt of the same row). */
export const DJI_RETRYABLE_STATUSES: ReadonlySet<DjiStatus> = new Set(['not_verified', 'failed', 'rejected', 'canceled', 'timeout']);

/** ota_progress sub_status values of spec 004. */
export const DJI_SUB_STATUS_WORDS: Readonly<Record<string, string>> = {
  UNKNOWN: 'Unknown',
  VERIFY: 'Verifying the file',
  VERIFY_SUCCESS: 'File verified',
  VERIFY_FAILED: 'File verification failed',
  UPGRADING: 'Upgrading',
  UPGRADE_SUCCESS: 'Upgrade successful',
  UPGRADE_FAIL: 'Upgrade failed',
  DOWNLOADING: 'Downloading',
  DOWNLOAD_SUCCESS: 'Download successful',
  DOWNLOAD_FAILED: 'Download failed',
  UPLOADING_DRONE: 'Uploading the package to the drone',
};

/** A sub_status in words; one the table lacks is shown as sent, so nothing is hidden. */
export function subStatusInWords(subStatus: string): string {
  if (subStatus === '') return '';
  return DJI_SUB_STATUS_WORDS[subStatus] ?? subStatus;
}

export const DJI_STEP_WORDS: Readonly<Record<'download' | 'upgrade', string>> = {
  download: 'Downloading firmware',
  upgrade: 'Upgrading firmware',
};

/** Batch counts in words, in status order, zeros left out: "2 upgraded and verified, 1 failed". */
export function batchCountsInWords(counts: Readonly<Record<string, number>>): string {
  return DJI_STATUSES.filter((s) => (counts[s] ?? 0) > 0)
    .map((s) => `${counts[s]} ${DJI_STATUS_WORDS[s].toLowerCase()}`)
    .join(', ');
}

/** True when any device of the batch ended other than upgraded and verified. */
export function batchHadProblems(counts: Readonly<Record<string, number>>): boolean {
  return [...DJI_RETRYABLE_STATUSES].some((s) => (counts[s] ?? 0) > 0);
}
