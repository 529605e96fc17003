// One upgrade row in words: what it is doing, how it ended and why, for the Progress view.
import type { DeviceUpgrade, DjiStatus } from '../../preload/api';
import { DJI_END_NEXT_STEP, DJI_RETRYABLE_STATUSES, DJI_STATUS_WORDS, DJI_STEP_WORDS, DJI_TERMINAL_STATUSES, failureInWords, subStatusInWords } from '../../preload/dji-codes';
import { failedGates } from '../../preload/upgrade-gates';
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

/**
 * How it ended, with the reason and the next step in plain words ("Failed: 312003 — the file arrived
 * damaged: add it again and retry"); undefined while it runs. The core words a code into its reason
 * already, so a coded end is said from the code alone, once.
 */
export function endWords(row: DeviceUpgrade): string | undefined {
  if (!DJI_TERMINAL_STATUSES.has(row.status)) return undefined;
  if (row.status === 'ok') return `Upgraded to ${row.targetVersion}; the device reports the new version`;
  const status = DJI_STATUS_WORDS[row.status];
  if (row.code !== undefined && row.code !== 0) return `${status}: ${failureInWords(row.code)}`;
  const next = DJI_END_NEXT_STEP[row.status];
  const reason = row.reason ? `${status}: ${row.reason}` : status;
  return next ? `${reason} — ${next}` : reason;
}

/** Why a held device waits, as the core said it: a gate, the rollout, a restart. */
export function heldWords(row: DeviceUpgrade): string | undefined {
  if (row.status !== 'held') return undefined;
  const reason = row.reason?.replace(/^held: /, '') ?? 'waiting for the technician';
  return /^held by /.test(reason) ? `Held ${reason.slice('held '.length)}` : `Held back: ${reason}`;
}

/** Seconds without a word from the device before a running row says so. Docks report every second or two. */
export const SILENT_AFTER_SECONDS = 15;

const LISTENING: ReadonlySet<DjiStatus> = new Set(['sent', 'in_progress']);

export interface RowTiming {
  /** Since the attempt started: still ticking while it runs, its duration once it ended. */
  elapsedSeconds?: number;
  /** How long the device has said nothing, once that is past SILENT_AFTER_SECONDS. */
  silentSeconds?: number;
}

/** The row's clock, read against the host's time now (the page's clock corrected by the skew). */
export function rowTiming(row: DeviceUpgrade, hostNowMs: number): RowTiming {
  const started = Date.parse(row.startedAt);
  if (row.status === 'queued' || row.status === 'held') return {};
  const end = row.endedAt !== undefined ? Date.parse(row.endedAt) : DJI_TERMINAL_STATUSES.has(row.status) ? Date.parse(row.updatedAt) : Math.max(hostNowMs, Date.parse(row.updatedAt));
  const timing: RowTiming = {};
  if (Number.isFinite(started) && end >= started) timing.elapsedSeconds = (end - started) / 1000;
  if (LISTENING.has(row.status)) {
    const last = Date.parse(row.lastReportAt ?? row.updatedAt);
    const silent = (hostNowMs - last) / 1000;
    if (Number.isFinite(silent) && silent >= SILENT_AFTER_SECONDS) timing.silentSeconds = silent;
  }
  return timing;
}

/** A row whose figures still move: its clock ticks. */
export const isLive = (row: DeviceUpgrade) => !DJI_TERMINAL_STATUSES.has(row.status) && row.status !== 'queued' && row.status !== 'held';

export const canCancel = (row: DeviceUpgrade) => row.status === 'queued' || row.status === 'held';
export const canRelease = (row: DeviceUpgrade) => row.status === 'held';
export const canRetry = (row: DeviceUpgrade) => DJI_RETRYABLE_STATUSES.has(row.status);
/** Failed gates the technician may send despite: those the row was held by. */
export const gatesToOverride = (row: DeviceUpgrade) => (row.status === 'held' ? failedGates(row.gates ?? []) : []);
