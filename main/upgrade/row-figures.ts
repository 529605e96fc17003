// The numbers of a running row: bytes our file server really sent for this attempt, the speed, and the
// ETA (from the bytes while downloading, from the dock's percent while installing). Pure.
import type { DeviceUpgrade } from '../../preload/api';
import type { UpgradeState } from './upgrade-machine';

export interface Served {
  bytes: number;
  /** Bytes per second over the last few seconds. */
  speed: number;
  /** From the first byte sent to the last. */
  seconds: number;
}

/** The row fields to change, or an empty patch. */
export function runningFigures(row: DeviceUpgrade, state: UpgradeState, served: Served, stepSeconds: number): Partial<DeviceUpgrade> {
  const patch: Partial<DeviceUpgrade> = {};
  if (served.bytes !== row.bytesServed) patch.bytesServed = served.bytes;
  const speed = served.speed > 0 ? served.speed : state.step === 'download' ? row.speed : undefined;
  if (speed !== row.speed) patch.speed = speed;
  let eta: number | undefined;
  if (state.step !== 'upgrade' && speed && speed > 0 && row.fileSize > 0) {
    eta = Math.max(0, (row.fileSize - served.bytes) / speed);
  } else if (state.percent > 0 && state.percent < 100) {
    eta = (stepSeconds * (100 - state.percent)) / state.percent;
  }
  const rounded = eta === undefined ? undefined : Math.round(eta);
  if (rounded !== row.etaSeconds) patch.etaSeconds = rounded;
  return patch;
}

/** A row that ended keeps its bytes and says the download's average speed, not a frozen live one. */
export function endedFigures(served: Served): Partial<DeviceUpgrade> {
  const average = served.bytes > 0 && served.seconds > 0 ? Math.round(served.bytes / served.seconds) : undefined;
  return { bytesServed: served.bytes, speed: average, etaSeconds: undefined };
}
