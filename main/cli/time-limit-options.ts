// The three time limits of an upgrade, as flags: `dockside upgrade` and `dockside web` take the same
// ones with the same meaning, so a site that needs longer reboots sets them the same way in both.
import type { UpgradeTimings } from '../upgrade/upgrade-service';
import { intOption } from './command';

export const TIME_LIMIT_FLAGS = {
  timeout: { type: 'string' },
  'reboot-timeout': { type: 'string' },
  'verify-timeout': { type: 'string' },
} as const;

export const TIME_LIMIT_USAGE = `  --timeout SECONDS       no word from the dock for this long, before or during the download, ends a
                          device as timed out (default 120)
  --reboot-timeout S      the same once the download is done: installing, and restarting to apply
                          the firmware, when a dock drops off for minutes (default 900)
  --verify-timeout S      after the dock's ok, how long to wait for the device to report the new
                          firmware_version before it ends "not verified" (default 600; 0: at once)`;

export type TimeLimits = Pick<UpgradeTimings, 'watchdogMs' | 'rebootMs' | 'verifyTimeoutMs' | 'replyTimeoutMs'>;

export function timeLimitOptions(values: { timeout?: string; 'reboot-timeout'?: string; 'verify-timeout'?: string }): TimeLimits {
  const watchdogMs = intOption(values.timeout, 'timeout', 120, 1, 86_400) * 1000;
  return {
    watchdogMs,
    rebootMs: intOption(values['reboot-timeout'], 'reboot-timeout', 900, 1, 86_400) * 1000,
    verifyTimeoutMs: intOption(values['verify-timeout'], 'verify-timeout', 600, 0, 86_400) * 1000,
    // A reply never waits longer than the silence limit it belongs to.
    replyTimeoutMs: Math.min(10_000, watchdogMs),
  };
}
