// The OEM REST notifications (spec 003, C_xx_Req): every eventsType × status the spec shows, plus the
// outcomes a vehicle can sensibly send (failure, rejected, canceled…), as one table. An "accepted" is a
// consent given, never the next phase done. Statuses are matched case-insensitively.
import type { Mapping } from './mapping';

const consent = {
  accepted: { phase: 'consent', state: 'succeeded', note: 'the user accepted' },
  rejected: { phase: 'consent', state: 'canceled', note: 'the user rejected: this step will not run' },
  declined: { phase: 'consent', state: 'canceled', note: 'the user declined: this step will not run' },
  postponed: { phase: 'consent', state: 'pending', note: 'the user postponed: consent still pending' },
} as const satisfies Record<string, Mapping>;

export const OEM_EVENTS = {
  /** C_01 campaign status: the vehicle's remote-management state (rmStateExtras). */
  rmState: {
    success: { phase: 'queued', state: 'succeeded', note: 'campaign status reported' },
    failure: { phase: 'queued', state: 'failed', note: 'campaign status reports a failure' },
  },
  /** C_09 download tracking: one file of the download (trackingExtras). */
  tracking: {
    success: { phase: 'download', state: 'running', note: 'a file of the download arrived (tracking, not the whole download)' },
    failure: { phase: 'download', state: 'failed', note: 'a file of the download failed' },
  },
  /** C_12 acceptance, C_13 start, C_15 progress, C_16 completion. */
  download: {
    accepted: { phase: 'consent', state: 'succeeded', note: 'the user accepted the download' },
    rejected: consent.rejected,
    declined: consent.declined,
    postponed: consent.postponed,
    started: { phase: 'download', state: 'running', note: 'download started' },
    inProgress: { phase: 'download', state: 'running', note: 'downloading' },
    success: { phase: 'download', state: 'succeeded', note: 'download completed' },
    failure: { phase: 'download', state: 'failed', note: 'download failed' },
    failed: { phase: 'download', state: 'failed', note: 'download failed' },
    canceled: { phase: 'download', state: 'canceled', note: 'download canceled' },
  },
  /** C_19 acceptance, C_20 progress. */
  installation: {
    accepted: { phase: 'consent', state: 'succeeded', note: 'the user accepted the installation' },
    rejected: consent.rejected,
    declined: consent.declined,
    postponed: consent.postponed,
    started: { phase: 'install', state: 'running', note: 'installation started' },
    inProgress: { phase: 'install', state: 'running', note: 'installing' },
    success: { phase: 'install', state: 'succeeded', note: 'installation completed (activation follows)' },
    failure: { phase: 'install', state: 'failed', note: 'installation failed' },
    failed: { phase: 'install', state: 'failed', note: 'installation failed' },
    canceled: { phase: 'install', state: 'canceled', note: 'installation canceled' },
  },
  /** C_22 acceptance, C_23 progress, C_24 completion result. */
  activate: {
    accepted: { phase: 'consent', state: 'succeeded', note: 'the user accepted the activation' },
    rejected: consent.rejected,
    declined: consent.declined,
    postponed: consent.postponed,
    started: { phase: 'activate', state: 'running', note: 'activation started' },
    inProgress: { phase: 'activate', state: 'running', note: 'activating' },
    success: { phase: 'activate', state: 'succeeded', note: 'activation completed (the update completion notice follows)' },
    failure: { phase: 'activate', state: 'failed', note: 'activation failed' },
    failed: { phase: 'activate', state: 'failed', note: 'activation failed' },
    canceled: { phase: 'activate', state: 'canceled', note: 'activation canceled' },
  },
  /** C_25 software update completion confirmation result. */
  ackinstall: {
    accepted: { phase: 'consent', state: 'succeeded', note: 'the user confirmed the completed update' },
    rejected: consent.rejected,
    declined: consent.declined,
    success: { phase: 'consent', state: 'succeeded', note: 'the completed update was confirmed' },
    failure: { phase: 'consent', state: 'failed', note: 'confirming the completed update failed' },
  },
  /** C_35 software update completion. */
  updateComplete: {
    success: { phase: 'done', state: 'succeeded', note: 'the software update is complete' },
    failure: { phase: 'done', state: 'failed', note: 'the software update ended in failure' },
    failed: { phase: 'done', state: 'failed', note: 'the software update ended in failure' },
    canceled: { phase: 'done', state: 'canceled', note: 'the software update was canceled' },
  },
  /** C_10 user acceptance result. */
  notification: {
    ...consent,
    success: { phase: 'consent', state: 'succeeded', note: 'the user was notified' },
    failure: { phase: 'consent', state: 'failed', note: 'notifying the user failed' },
  },
  /** C_28 vehicle error: the phase the error happened in is not reported. */
  error: {
    failure: { phase: 'done', state: 'failed', note: 'the vehicle reported an error' },
    failed: { phase: 'done', state: 'failed', note: 'the vehicle reported an error' },
  },
} as const satisfies Record<string, Record<string, Mapping>>;

export type OemEventsType = keyof typeof OEM_EVENTS;

function caselessKey(keys: string[], wanted: string): string | undefined {
  const lower = wanted.trim().toLowerCase();
  return keys.find((k) => k.toLowerCase() === lower);
}

/** The table's spelling of an eventsType, whatever case the vehicle used. */
export function oemEventsType(text: string): OemEventsType | undefined {
  return caselessKey(Object.keys(OEM_EVENTS), text) as OemEventsType | undefined;
}

export function oemMapping(eventsType: OemEventsType, status: string): Mapping | undefined {
  const byStatus: Record<string, Mapping> = OEM_EVENTS[eventsType];
  const key = caselessKey(Object.keys(byStatus), status);
  return key === undefined ? undefined : byStatus[key];
}
