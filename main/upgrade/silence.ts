// How long a dock may stay silent about a task before we give up on it. A download that stops moving
// is a stall; a dock that is installing restarts and drops off MQTT for minutes, so that step gets a
// longer limit. Pure: the task and the time in, a verdict out.
import type { UpgradeState } from './upgrade-machine';

export interface SilenceLimits {
  /** While waiting for the first report and while downloading (`--timeout`). */
  watchdogMs: number;
  /** Once the download is done: installing, and the restart that applies it (`--reboot-timeout`). */
  rebootMs: number;
}

export interface SilenceVerdict {
  seconds: number;
  during: string;
}

/** The dock has the file: what follows (install, restart) may keep it away for minutes. */
export function pastDownload(state: Pick<UpgradeState, 'step' | 'percent' | 'subStatus'>): boolean {
  if (state.step === 'upgrade') return true;
  return state.step === 'download' && (state.percent >= 100 || /^(DOWNLOAD_SUCCESS|VERIFY)/.test(state.subStatus));
}

export function silence(state: UpgradeState, lastWord: number, now: number, limits: SilenceLimits): SilenceVerdict | null {
  const installing = pastDownload(state);
  const limit = installing ? limits.rebootMs : limits.watchdogMs;
  if (now - lastWord <= limit) return null;
  const during = installing ? 'while installing (it restarts to apply the firmware, but not for this long)' : state.step === 'download' ? 'while downloading' : 'after it accepted the upgrade';
  return { seconds: Math.round(limit / 1000), during };
}
