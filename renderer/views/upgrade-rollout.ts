// The rollout as the technician typed it: read into the contract's Rollout, checked, and said in words
// for the confirmation. Empty fields keep today's behaviour: every dock at once (the core sends at most
// eight at a time), no stop.
import type { Rollout } from '../../preload/api';
import type { RolloutFields } from '../store/ui-store';

export interface ReadRollout {
  rollout?: Rollout;
  problems: string[];
  words: string;
}

function whole(value: string, min: number, name: string, problems: string[]): number | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > 1000) {
    problems.push(`${name}: a whole number from ${min} to 1000, or empty.`);
    return undefined;
  }
  return n;
}

const docks = (n: number) => `${n} dock${n === 1 ? '' : 's'}`;

export function readRollout(fields: RolloutFields): ReadRollout {
  const problems: string[] = [];
  const canary = whole(fields.canary, 0, 'Canary docks', problems) ?? 0;
  const maxParallel = whole(fields.maxParallel, 1, 'At most at once', problems);
  const stopAfterFailures = whole(fields.stopAfterFailures, 1, 'Stop after failures', problems);
  const parts: string[] = [];
  if (canary > 0) parts.push(`${docks(canary)} first as canary; the rest wait until every canary is verified`);
  parts.push(maxParallel ? `at most ${docks(maxParallel)} at once` : 'every dock at once (at most 8 at a time)');
  if (stopAfterFailures) parts.push(`devices not yet sent are held once ${stopAfterFailures} ended without success`);
  const words = `Rollout: ${parts.join('; ')}.`;
  if (canary === 0 && maxParallel === undefined && stopAfterFailures === undefined) return { problems, words };
  return { rollout: { canary, ...(maxParallel ? { maxParallel } : {}), ...(stopAfterFailures ? { stopAfterFailures } : {}) }, problems, words };
}
