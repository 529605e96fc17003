// One upgrade row in words: what it is doing, how it ended and why, for the Progress view.
import type { DeviceUpgrade, DjiStatus } from '../../preload/api';
import { DJI_STATUS_WORDS, DJI_STEP_WORDS, DJI_TERMINAL_STATUSES, explainDjiCode, subStatusInWords } from '../../preload/dji-codes';
import type { Tone } from '../components/StateBadge';

export const STATUS_TONE: Record<DjiStatus, Tone> = {
  queued: 'idle',
  sent: 'busy',
  in_progress: 'busy',
  paused: 'warn',
  ok: 'ok',
  failed: 'bad',
  rejected: 'bad',
  canceled: 'idle',
  timeout: 'bad',
};

export function stepWords(row: DeviceUpgrade): string {
  if (row.step) return DJI_STEP_WORDS[row.step];
  if (row.status === 'queued') return 'Not sent yet';
  return DJI_TERMINAL_STATUSES.has(row.status) ? 'Never started' : 'Waiting for the first progress report';
}

export function statusWords(row: DeviceUpgrade): string {
  // Once it ended, only the dock's own sub_status still says something; our interim words
  // ("waiting for the dock to reply") would read as if it were still waiting.
  const fromDock = /^[A-Z][A-Z0-9_]*$/.test(row.subStatus);
  const sub = DJI_TERMINAL_STATUSES.has(row.status) && !fromDock ? '' : subStatusInWords(row.subStatus);
  return sub && sub !== DJI_STATUS_WORDS[row.status] ? `${DJI_STATUS_WORDS[row.status]} — ${sub}` : DJI_STATUS_WORDS[row.status];
}

/** How it ended, with the reason and the DJI code in words; undefined while it runs. */
export function endWords(row: DeviceUpgrade): string | undefined {
  if (!DJI_TERMINAL_STATUSES.has(row.status)) return undefined;
  if (row.status === 'ok') {
    return row.verified ? `Upgraded to ${row.targetVersion}; the device reports the new version` : `Upgraded to ${row.targetVersion}; waiting for the device to report the new version`;
  }
  const parts = [DJI_STATUS_WORDS[row.status]];
  if (row.reason) parts.push(row.reason);
  // The core often words the code into the reason already; say it once.
  if (row.code !== undefined && row.code !== 0 && !row.reason?.includes(String(row.code))) parts.push(explainDjiCode(row.code));
  return parts.join(': ');
}

export const canCancel = (row: DeviceUpgrade) => row.status === 'queued';
export const canRetry = (row: DeviceUpgrade) => ['failed', 'timeout', 'rejected', 'canceled'].includes(row.status);
