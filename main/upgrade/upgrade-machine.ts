// One device's upgrade as a state machine: which status may follow which (TRANSITIONS), and one
// `step(state, input)` that proposes the next state for an input and lets the table decide.
import type { DjiStatus } from '../../preload/api';
import { DJI_RETRYABLE_STATUSES, DJI_TERMINAL_STATUSES } from '../../preload/dji-codes';
import type { DjiProgress } from '../protocols/dji-progress';

export type UpgradeInput =
  | { type: 'publish' }
  | { type: 'reply'; progress: DjiProgress }
  | { type: 'report'; progress: DjiProgress }
  /** The device's own telemetry says it is upgrading (osd mode_code 3, firmware_upgrade_status 1). */
  | { type: 'upgrading' }
  /** The device reported the target firmware_version, at a moment that proves the upgrade took. */
  | { type: 'version-seen'; version: string }
  /** The device reported another version while we wait for the target one. */
  | { type: 'version-other'; version: string; target: string }
  | { type: 'silence'; seconds: number; during: string }
  | { type: 'reply-timeout'; message: string }
  | { type: 'verify-timeout'; seconds: number; target: string }
  | { type: 'cancel' }
  | { type: 'send-failed'; message: string }
  /** The technician starts the device again: the next attempt of the same row. */
  | { type: 'retry' }
  /** Not to be sent for now: a failed pre-flight gate, the rollout, or a restart of the app. */
  | { type: 'hold'; reason: string }
  /** The technician (or the rollout) lets a held device go. */
  | { type: 'release' };

export interface UpgradeState {
  status: DjiStatus;
  /** The dock's own sub_status of its latest report; '' when it sent none. */
  subStatus: string;
  step: 'download' | 'upgrade' | null;
  percent: number;
  code?: number;
  reason?: string;
}

export const TERMINAL: ReadonlySet<DjiStatus> = DJI_TERMINAL_STATUSES;
export const RETRYABLE: ReadonlySet<DjiStatus> = DJI_RETRYABLE_STATUSES;

/** Waiting for the dock: its silence is watched. */
export const LIVE: ReadonlySet<DjiStatus> = new Set(['sent', 'in_progress', 'paused']);

const WORKING: readonly DjiStatus[] = ['in_progress', 'paused', 'verifying', 'ok', 'failed', 'rejected', 'canceled', 'timeout'];

/**
 * Which status may follow which; a proposal the table does not allow is ignored (a late in_progress
 * after the end, say). The dock's "ok" leads to verifying, never straight to ok: only the device itself,
 * reporting the target firmware_version, makes an upgrade ok. `timeout` is ours, not the dock's: if the
 * dock speaks again, or comes back on the new version after a long reboot, tracking resumes. The
 * retryable ends go back to queued for the next attempt. A held device waits, unsent, until released.
 */
export const TRANSITIONS: Readonly<Record<DjiStatus, readonly DjiStatus[]>> = {
  queued: ['sent', 'canceled', 'failed', 'held'],
  held: ['held', 'queued', 'canceled'],
  sent: ['sent', ...WORKING],
  in_progress: WORKING,
  paused: WORKING,
  verifying: ['verifying', 'ok', 'not_verified'],
  timeout: ['in_progress', 'paused', 'verifying', 'ok', 'failed', 'rejected', 'canceled', 'queued'],
  ok: [],
  not_verified: ['ok', 'queued'],
  failed: ['queued'],
  rejected: ['queued'],
  canceled: ['queued'],
};

export type StepResult = { changed: true; state: UpgradeState } | { changed: false; state: UpgradeState; ignored: string };

function to(from: UpgradeState, next: UpgradeState): StepResult {
  if (!TRANSITIONS[from.status].includes(next.status)) {
    return { changed: false, state: from, ignored: `${next.status} is not expected after ${from.status}` };
  }
  return { changed: true, state: next };
}

function fromProgress(from: UpgradeState, p: DjiProgress, isReply: boolean): UpgradeState {
  const reported = p.status ?? (isReply ? 'sent' : 'in_progress');
  const next: UpgradeState = { ...from, status: reported === 'ok' ? 'verifying' : reported };
  // Docks that send no sub_status (Dock 2's documents list none) are read from their step alone.
  next.subStatus = p.subStatus ?? p.unknownSubStatus ?? '';
  if (p.step) {
    if (p.step !== from.step) next.percent = 0;
    next.step = p.step;
  }
  if (p.percent !== null) next.percent = p.percent;
  if (p.result !== 0) {
    next.code = p.result;
    // A non-zero result is an error whatever status came with it: the dock refused or failed.
    if (!['failed', 'rejected', 'canceled', 'timeout'].includes(next.status)) next.status = isReply ? 'rejected' : 'failed';
  }
  if (next.status === 'verifying') next.percent = 100;
  return next;
}

export function step(state: UpgradeState, input: UpgradeInput): StepResult {
  switch (input.type) {
    case 'publish':
      return to(state, { ...state, status: 'sent', subStatus: '' });
    case 'reply':
      return to(state, fromProgress(state, input.progress, true));
    case 'report':
      return to(state, fromProgress(state, input.progress, false));
    case 'upgrading':
      return state.status === 'sent' || state.status === 'timeout' ? to(state, { ...state, status: 'in_progress', reason: undefined }) : { changed: false, state, ignored: `already ${state.status}` };
    case 'version-seen': {
      const { reason: _stale, code: _code, ...rest } = state;
      return to(state, { ...rest, status: 'ok', percent: 100 });
    }
    case 'version-other':
      return state.status === 'verifying'
        ? to(state, { ...state, reason: `reports firmware_version ${input.version}, expected ${input.target}` })
        : { changed: false, state, ignored: 'only a device waiting for its new version is compared' };
    case 'silence':
      return to(state, { ...state, status: 'timeout', reason: `no word from the dock for ${input.seconds} s ${input.during}` });
    case 'reply-timeout':
      return to(state, { ...state, status: 'timeout', reason: input.message });
    case 'verify-timeout':
      return to(state, {
        ...state,
        status: 'not_verified',
        reason: state.reason ?? `the dock said ok, but the device did not report firmware_version ${input.target} within ${input.seconds} s`,
      });
    case 'send-failed':
      return to(state, { ...state, status: 'failed', reason: input.message });
    case 'cancel':
      return state.status === 'queued' || state.status === 'held'
        ? to(state, { ...state, status: 'canceled', reason: 'canceled before it was sent' })
        : { changed: false, state, ignored: 'only a device not yet sent can be canceled: DJI has no cancel for a sent upgrade' };
    case 'hold':
      return to(state, { ...state, status: 'held', reason: input.reason });
    case 'release':
      return state.status === 'held'
        ? to(state, { ...state, status: 'queued', reason: undefined })
        : { changed: false, state, ignored: `only a held device can be released (this one is ${state.status})` };
    case 'retry':
      return RETRYABLE.has(state.status) ? to(state, initialState()) : { changed: false, state, ignored: `only an upgrade that ended without success can be retried (this one is ${state.status})` };
  }
}

export function initialState(): UpgradeState {
  return { status: 'queued', subStatus: '', step: null, percent: 0 };
}
