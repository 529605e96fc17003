// One upgrade row in words: what it is doing, how it ended and why, for the Progress view.
import type { DeviceUpgrade, DjiStatus } from '../../preload/api';
import { DJI_RETRYABLE_STATUSES, DJI_STATUS_WORDS, DJI_STEP_WORDS, DJI_TERMINAL_STATUSES, explainDjiCode, subStatusInWords } from '../../preload/dji-codes';
import type { Tone } from '../components/StateBadge';

export const STATUS_TONE: Record<DjiStatus, Tone> = {
  queued: 'idle',
  held: 'warn',
  sent: 'busy',
  in_progress: 'busy',
  paused: 'warn',
  verifying: 'busy',
  ok: 'ok',
  not_verified: 'doubt',
  failed: 'bad',
  rejected: 'bad',
  canceled: 'idle',
  timeout: 'bad',
};

export function stepWords(row: DeviceUpgrade): string {
  if (row.status === 'verifying') return `Waiting for the device to report ${row.targetVersion}`;
  if (row.step) return DJI_STEP_WORDS[row.step];
  if (row.status === 'queued') return 'Not sent yet';
  return DJI_TERMINAL_STATUSES.has(row.status) ? 'Never started' : 'Waiting for the first progress report';
}

/** Status and the dock's sub_status; a dock that sends no sub_status is read from its step alone. */
export function statusWords(row: DeviceUpgrade): string {
  if (row.status === 'sent' && row.subStatus === '') return `${DJI_STATUS_WORDS.sent} — waiting for its reply`;
  // After the dock's ok only the device's own version counts: its last sub_status would only confuse.
  if (row.status === 'verifying' || row.status === 'ok' || row.status === 'not_verified') return DJI_STATUS_WORDS[row.status];
  const sub = subStatusInWords(row.subStatus) || (row.status === 'in_progress' && row.step ? DJI_STEP_WORDS[row.step] : '');
  return sub && sub !== DJI_STATUS_WORDS[row.status] ? `${DJI_STATUS_WORDS[row.status]} — ${sub}` : DJI_STATUS_WORDS[row.status];
}

/** How it ended, with the reason and the DJI code in words; undefined while it runs. */
export function endWords(row: DeviceUpgrade): string | undefined {
  if (!DJI_TERMINAL_STATUSES.has(row.status)) return undefined;
  if (row.status === 'ok') return `Upgraded to ${row.targetVersion}; the device reports the new version`;
  const parts = [DJI_STATUS_WORDS[row.status]];
  if (row.reason) parts.push(row.reason);
  // The core often words the code into the reason already; say it once.
  if (row.code !== undefined && row.code !== 0 && !row.reason?.includes(String(row.code))) parts.push(explainDjiCode(row.code));
  return parts.join(': ');
}

export const canCancel = (row: DeviceUpgrade) => row.status === 'queued' || row.status === 'held';
export const canRelease = (row: DeviceUpgrade) => row.status === 'held';
export const canRetry = (row: DeviceUpgrade) => DJI_RETRYABLE_STATUSES.has(row.status);
