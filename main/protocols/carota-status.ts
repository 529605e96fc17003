// The CarOTA "OTA Event" enum (spec 001), its meaning, and where each value lands on the timeline.
import type { Mapping } from './mapping';

export interface CarotaStatus extends Mapping {
  /** The enum name of the spec: the protocol's own code, shown in every message. */
  readonly name: string;
}

export const CAROTA_STATUS = {
  1: { name: 'received', phase: 'queued', state: 'succeeded', note: 'the download agent received the update script' },
  2: { name: 'cancel', phase: 'done', state: 'canceled', note: 'the user cancelled the update' },
  3: { name: 'downloading', phase: 'download', state: 'running', note: 'the update package is downloading' },
  4: { name: 'downloaded', phase: 'download', state: 'succeeded', note: 'the update package is downloaded to the device' },
  5: { name: 'reboot', phase: 'install', state: 'running', note: 'the device begins to update' },
  6: { name: 'success', phase: 'done', state: 'succeeded', note: 'the device updated successfully' },
  7: { name: 'failure', phase: 'install', state: 'failed', note: 'the device failed to update' },
  8: { name: 'download_fail', phase: 'download', state: 'failed', note: 'the update package failed to download' },
  9: { name: 'md5_check_success', phase: 'verify', state: 'succeeded', note: 'the update package passed the MD5 check' },
  10: { name: 'md5_check_fail', phase: 'verify', state: 'failed', note: 'the update package failed the MD5 check' },
  11: { name: 'pki_check_success', phase: 'verify', state: 'succeeded', note: 'the update package passed PKI verification' },
  12: { name: 'pki_check_fail', phase: 'verify', state: 'failed', note: 'the update package failed PKI verification' },
  13: { name: 'rollback_success', phase: 'install', state: 'failed', note: 'the update did not hold: the device rolled back to the previous version' },
  14: { name: 'rollback_fail', phase: 'install', state: 'failed', note: 'the update failed and so did the rollback' },
  15: { name: 'pause', phase: 'download', state: 'paused', note: 'the update activity is paused' },
  16: { name: 'resume', phase: 'download', state: 'running', note: 'the update activity resumed' },
  100: { name: 'consent_accepted', phase: 'consent', state: 'succeeded', note: 'the user accepted the update in the IVI app' },
  101: { name: 'consent_rejected', phase: 'consent', state: 'canceled', note: 'the user rejected the update in the IVI app' },
} as const satisfies Record<number, CarotaStatus>;

/** What the decoder does with each envelope `message_type`. */
export const CAROTA_MESSAGE_TYPES = {
  OTA_EVENT: { accepted: true, note: 'vehicle → cloud: one event from the base64 body (status enum below)' },
  OTA_TRIGGER_ACK: { accepted: true, note: 'vehicle → cloud: one event, the vehicle acknowledged the trigger' },
  OTA_TRIGGER: { accepted: false, note: 'cloud → vehicle: not a vehicle report; refused with a clear reason' },
} as const;

export const CAROTA_TRIGGER_ACK: Mapping = { phase: 'queued', state: 'succeeded', note: 'the vehicle acknowledged the OTA trigger' };
