// The shapes the upgrade service works on. A task is one ota_create (a dock, and maybe its aircraft)
// named by its bid; a row is one device in its batch, the same row through every attempt.
import type { DeviceUpgrade, UpgradeType } from '../../preload/api';
import type { HoldKind } from './rollout';
import type { IndexedTask } from './task-index';
import type { UpgradeState } from './upgrade-machine';

export interface UpgradeRow {
  /** What crosses the contract to the window, the CLI and the journal. */
  view: DeviceUpgrade;
  state: UpgradeState;
  /** Monotonic ms at which the dock said ok; the verify window runs from there. */
  verifyingSince?: number;
  /** Bytes served at the last tick, to see a download move. */
  lastBytes: number;
  /** Why a held row waits: only the rollout lets go of its own holds. */
  hold?: HoldKind;
}

export interface SendState {
  /** ota_create tries made so far. */
  tries: number;
  /** Monotonic ms after which the current try counts as unanswered. */
  deadline: number;
  /** Monotonic ms of the first try: telemetry newer than this may show the dock took it. */
  firstAt: number;
  lastError?: string;
}

export interface UpgradeTask extends IndexedTask {
  readonly bid: string;
  /** The first ota_create's tid: the attempt's campaign id in the log and the exports. */
  tid: string;
  readonly tids: Set<string>;
  readonly batchId: string;
  readonly gateway: string;
  readonly type: UpgradeType;
  readonly rows: UpgradeRow[];
  /** Monotonic ms of the last sign of life from the dock about this task. */
  lastWord: number;
  /** Set while ota_create tries wait for a services_reply. */
  send?: SendState;
  /** A newer attempt of its rows has started: its late messages are noted, never applied. */
  superseded: boolean;
  /** One of its batch's canary docks: the rest of the batch waits for it. */
  canary: boolean;
}

export function rowKey(batchId: string, sn: string): string {
  return `${batchId}:${sn}`;
}
