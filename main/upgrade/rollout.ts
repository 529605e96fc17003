// Staged rollout, as fleet tools do it: a few canary docks first, the rest only once every canary is
// verified; and a batch that stops sending once too many of its devices failed. Pure: the batch as it
// stands in, which rows to let go or hold (and why) out.
import type { DjiStatus } from '../../preload/api';
import { DJI_STATUS_WORDS } from '../../preload/dji-codes';
import { TERMINAL } from './upgrade-machine';

export interface RolloutPlan {
  canary: number;
  maxParallel?: number;
  stopAfterFailures?: number;
}

/** Why a row waits unsent; only the rollout lets go of its own holds. */
export type HoldKind = 'gate' | 'rollout' | 'stopped' | 'restart';

export interface RolloutRow {
  key: string;
  sn: string;
  canary: boolean;
  status: DjiStatus;
  hold?: HoldKind;
}

export interface RolloutDecision {
  release: string[];
  hold: { key: string; kind: HoldKind; reason: string }[];
}

/** Ends that count against the stop threshold; a device the technician canceled does not. */
const FAILURES: ReadonlySet<DjiStatus> = new Set(['failed', 'rejected', 'timeout', 'not_verified']);

export const waitingForCanaries = (n: number) => `held by rollout: waiting for the ${n === 1 ? 'canary dock' : `${n} canary docks`} to be verified`;

export function rolloutStep(plan: RolloutPlan, rows: readonly RolloutRow[]): RolloutDecision {
  const decision: RolloutDecision = { release: [], hold: [] };
  const failures = rows.filter((r) => FAILURES.has(r.status)).length;
  if (plan.stopAfterFailures !== undefined && failures >= plan.stopAfterFailures) {
    const reason = `held: ${failures} device${failures === 1 ? '' : 's'} of this batch ended without success (it stops after ${plan.stopAfterFailures}); release to go on, or cancel`;
    for (const r of rows) if (r.status === 'queued' || (r.status === 'held' && r.hold === 'rollout')) decision.hold.push({ key: r.key, kind: 'stopped', reason });
    return decision;
  }
  const canaries = rows.filter((r) => r.canary);
  if (canaries.length === 0 || !canaries.every((r) => TERMINAL.has(r.status))) return decision;
  const waiting = rows.filter((r) => r.status === 'held' && r.hold === 'rollout');
  const bad = canaries.filter((r) => r.status !== 'ok');
  if (bad.length === 0) {
    decision.release.push(...waiting.map((r) => r.key));
  } else {
    const why = bad.map((r) => `${r.sn} ${DJI_STATUS_WORDS[r.status].toLowerCase()}`).join(', ');
    for (const r of waiting) decision.hold.push({ key: r.key, kind: 'rollout', reason: `held by rollout: canary ${why}; release to go on anyway, or cancel` });
  }
  return decision;
}
