// What the journal holds. Events are the history; the other kinds are app state the journal keeps
// opaquely so the app can rebuild itself on start (the last record of a key wins).
import type { DeviceUpgrade, FirmwareInfo, UpgradeEvent } from '../../preload/api';

export type EventRecord = {
  kind: 'event';
  event: UpgradeEvent;
};

/** Any other kind: the journal stores it as given. `seq` is reserved (replay sets it). */
export type StateRecord = {
  kind: string;
  [field: string]: unknown;
};

export type JournalRecord = EventRecord | StateRecord;

// The shapes the app writes for its own state, so exports and replay agree on them. Type aliases
// rather than interfaces: only aliases are assignable to StateRecord's index signature.
export type UpgradeRecord = {
  kind: 'upgrade';
  upgrade: DeviceUpgrade;
};
export type FirmwareRecord = {
  kind: 'firmware';
  firmware: FirmwareInfo;
};
export type FirmwareRemovedRecord = {
  kind: 'firmwareRemoved';
  id: string;
};
export type SettingsRecord = {
  kind: 'settings';
  settings: Record<string, unknown>;
};

export type Sequenced<T> = T & { seq: number };

export function isEventRecord(record: { kind: string }): record is EventRecord {
  return record.kind === 'event' && typeof (record as { event?: unknown }).event === 'object' && (record as { event?: unknown }).event !== null;
}

/** Event time in ms since the epoch, or undefined when the device sent something Date cannot read. */
export function eventTimeMs(event: { time?: unknown }): number | undefined {
  if (typeof event.time !== 'string') return undefined;
  const ms = Date.parse(event.time);
  return Number.isFinite(ms) ? ms : undefined;
}
