// The per-device upgrade state machine: a transition table and one `step(state, event)` function.
import type { DjiStatus } from '../../preload/api';
import { DJI_TERMINAL_STATUSES } from '../../preload/dji-codes';
import type { DjiProgress } from '../protocols/dji-progress';

export type UpgradeInput =
  | { type: 'publish' }
  | { type: 'reply'; progress: DjiProgress }
  | { type: 'report'; progress: DjiProgress }
  | { type: 'watchdog'; silentSeconds: number }
  | { type: 'reply-timeout'; message: string }
  | { type: 'cancel' }
  | { type: 'send-failed'; message: string };

export interface UpgradeState {
  status: DjiStatus;
  subStatus: string;
  step: 'download' | 'upgrade' | null;
  percent: number;
  code?: number;
  reason?: string;
}

/** The ends of an upgrade: the renderer and the power-save watcher use the same set. */
export const TERMINAL: ReadonlySet<DjiStatus> = DJI_TERMINAL_STATUSES;

/**
 * Which status may follow which. A report naming a status not listed for the current one is ignored
 * (a late in_progress after ok, say). `timeout` is ours, not the dock's: if the dock speaks again
 * after we gave up on it, tracking resumes rather than leaving a live upgrade marked dead.
 */
export const TRANSITIONS: Readonly<Record<DjiStatus, readonly DjiStatus[]>> = {
  queued: ['sent', 'canceled', 'failed'],
  sent: ['sent', 'in_progress', 'paused', 'ok', 'failed', 'rejected', 'canceled', 'timeout'],
  in_progress: ['in_progress', 'paused', 'ok', 'failed', 'rejected', 'canceled', 'timeout'],
  paused: ['in_progress', 'paused', 'ok', 'failed', 'rejected', 'canceled', 'timeout'],
  timeout: ['in_progress', 'paused', 'ok', 'failed', 'rejected', 'canceled'],
  ok: [],
  failed: [],
  rejected: [],
  canceled: [],
};

export type StepResult = { changed: true; state: UpgradeState } | { changed: false; state: UpgradeState; ignored: string };

function to(from: UpgradeState, next: UpgradeState): StepResult {
  if (!TRANSITIONS[from.status].includes(next.status)) {
    return { changed: false, state: from, ignored: `${next.status} is not expected after ${from.status}` };
  }
  return { changed: true, state: next };
}

function fromProgress(from: UpgradeState, p: DjiProgress, isReply: boolean): UpgradeState {
  const next: UpgradeState = { ...from, status: p.status ?? (isReply ? 'sent' : 'in_progress') };
  if (p.subStatus ?? p.unknownSubStatus) next.subStatus = (p.subStatus ?? p.unknownSubStatus)!;
  if (p.step) {
    if (p.step !== from.step) next.percent = 0;
    next.step = p.step;
  }
  if (p.percent !== null) next.percent = p.percent;
  if (p.result !== 0) {
    next.code = p.result;
    // A non-zero result is an error whatever status came with it: the dock refused or failed.
    if (!TERMINAL.has(next.status)) next.status = isReply ? 'rejected' : 'failed';
  }
  if (next.status === 'ok') next.percent = 100;
  return next;
}

export function step(state: UpgradeState, input: UpgradeInput): StepResult {
  switch (input.type) {
    case 'publish':
      return to(state, { ...state, status: 'sent', subStatus: 'waiting for the dock to reply' });
    case 'reply':
      return to(state, fromProgress(state, input.progress, true));
    case 'report':
      return to(state, fromProgress(state, input.progress, false));
    case 'watchdog':
      return to(state, { ...state, status: 'timeout', reason: `no progress for ${input.silentSeconds} s` });
    case 'reply-timeout':
      return to(state, { ...state, status: 'timeout', reason: input.message });
    case 'send-failed':
      return to(state, { ...state, status: 'failed', reason: input.message });
    case 'cancel':
      return state.status === 'queued'
        ? to(state, { ...state, status: 'canceled', reason: 'canceled before it was sent' })
        : { changed: false, state, ignored: 'only a device still queued can be canceled: DJI has no cancel for a sent upgrade' };
  }
}

export function initialState(): UpgradeState {
  return { status: 'queued', subStatus: '', step: null, percent: 0 };
}
