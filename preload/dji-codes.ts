// DJI Cloud API firmware-upgrade result codes in words (shared/specs/dji-field-notes.md).
// Shared by main (CLI lines, log messages) and renderer (Progress view): plain data, no Node.

const RETRY = 'upgrade failed, try again';
const BUSY_UPGRADING = 'device busy upgrading (other services refuse)';

export const DJI_ERROR_CODES: Readonly<Record<number, string>> = {
  312001: 'consistency upgrade sent, but the device did not ask for one',
  312002: RETRY,
  312003: RETRY,
  312004: RETRY,
  312010: 'request does not match the protocol',
  312012: 'invalid parameters',
  312013: RETRY,
  312014: 'an upgrade is already running — do not send again',
  312015: 'dock busy — retry when idle',
  312016: 'dock–aircraft link error — restart both',
  312017: 'version check failed',
  312018: RETRY,
  312019: RETRY,
  312020: RETRY,
  312021: RETRY,
  312022: 'aircraft does not power on or is not linked',
  312023: 'driving rods do not close — check the emergency stop',
  312024: RETRY,
  312025: 'could not delete the old package',
  312026: 'could not unpack the offline package',
  312027: 'no aircraft in the dock',
  312028: 'the device restarted during the upgrade',
  312029: 'the device is restarting — wait',
  312030: 'enhanced (4G) transmission is on — turn it off',
  312704: 'battery below 20%',
  319038: BUSY_UPGRADING,
  514147: BUSY_UPGRADING,
  514151: BUSY_UPGRADING,
};

/** "312015 dock busy — retry when idle", or the raw code when we do not know it. */
export function explainDjiCode(code: number): string {
  const meaning = DJI_ERROR_CODES[code];
  return meaning ? `${code} ${meaning}` : `${code} (unknown DJI error code)`;
}

export const DJI_STATUS_WORDS = {
  queued: 'Queued',
  sent: 'Sent',
  in_progress: 'In progress',
  paused: 'Paused',
  ok: 'Successful',
  failed: 'Failed',
  rejected: 'Rejected',
  canceled: 'Canceled or terminated',
  timeout: 'Timed out',
} as const;

export const DJI_SUB_STATUS_WORDS = {
  UNKNOWN: 'Unknown',
  VERIFY: 'Verifying the file',
  VERIFY_SUCCESS: 'File verified',
  UPGRADING: 'Upgrading',
  UPGRADE_SUCCESS: 'Upgrade successful',
  UPGRADE_FAIL: 'Upgrade failed',
  DOWNLOADING: 'Downloading',
  DOWNLOAD_SUCCESS: 'Download successful',
  DOWNLOAD_FAILED: 'Download failed',
  UPLOADING_DRONE: 'Uploading the package to the drone',
  VERIFY_FAILED: 'Verification failed',
} as const;
export type DjiSubStatus = keyof typeof DJI_SUB_STATUS_WORDS;
