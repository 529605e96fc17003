// The ten event types aktualizr's ReportQueue sends (reportqueue.h), as data. Types that carry
// `success` map the false case separately; campaign events name their campaign `campaignId`.
import type { Mapping } from './mapping';

export interface AktualizrEventType {
  /** The field in `event` that names the campaign. */
  readonly campaignField: 'correlationId' | 'campaignId';
  /** The event, or for types with `success`, the `success: true` case. */
  readonly ok: Mapping;
  /** Present for types that carry `event.success`: the `success: false` case. */
  readonly failed?: Mapping;
}

export const AKTUALIZR_EVENTS = {
  EcuDownloadStarted: {
    campaignField: 'correlationId',
    ok: { phase: 'download', state: 'running', note: 'download of the target for this ECU started' },
  },
  EcuDownloadCompleted: {
    campaignField: 'correlationId',
    ok: { phase: 'download', state: 'succeeded', note: 'download for this ECU completed' },
    failed: { phase: 'download', state: 'failed', note: 'download for this ECU failed' },
  },
  EcuInstallationStarted: {
    campaignField: 'correlationId',
    ok: { phase: 'install', state: 'running', note: 'installation on this ECU started' },
  },
  EcuInstallationApplied: {
    campaignField: 'correlationId',
    ok: { phase: 'reboot', state: 'pending', note: 'installed, waiting for a reboot to take effect (not done yet)' },
  },
  EcuInstallationCompleted: {
    campaignField: 'correlationId',
    ok: { phase: 'done', state: 'succeeded', note: 'installation on this ECU completed' },
    failed: { phase: 'install', state: 'failed', note: 'installation on this ECU failed' },
  },
  DevicePaused: {
    campaignField: 'correlationId',
    ok: { phase: 'download', state: 'paused', note: 'the client paused its update work (aktualizr pauses downloads)' },
  },
  DeviceResumed: {
    campaignField: 'correlationId',
    ok: { phase: 'download', state: 'running', note: 'the client resumed its update work' },
  },
  campaign_accepted: {
    campaignField: 'campaignId',
    ok: { phase: 'consent', state: 'succeeded', note: 'the campaign was accepted' },
  },
  campaign_declined: {
    campaignField: 'campaignId',
    ok: { phase: 'consent', state: 'canceled', note: 'the campaign was declined: it will not be installed' },
  },
  campaign_postponed: {
    campaignField: 'campaignId',
    ok: { phase: 'consent', state: 'pending', note: 'the campaign was postponed: consent still pending' },
  },
} as const satisfies Record<string, AktualizrEventType>;

/**
 * An event type outside the ten (a fork's, or a newer client's). It is kept, not refused: aktualizr
 * deletes reported events only on a 2xx, so refusing one would make the client resend its whole queue forever.
 */
export const AKTUALIZR_UNKNOWN_EVENT: Mapping = {
  phase: 'queued',
  state: 'pending',
  note: 'an aktualizr event type this app does not know; kept as reported, not interpreted',
};
