// Vehicle and campaign summaries of our own, shaped like what the core's campaign index sends.
import type { CampaignSummary, LoggedEvent, Source, VehicleSummary } from '../../preload/api';

export const VT0 = '2025-03-04T09:15:00.000Z';

export function vehicle(device: string, extra: Partial<VehicleSummary> = {}): VehicleSummary {
  const source: Source = extra.source ?? 'aktualizr';
  return {
    key: `${source}|${device}`,
    source,
    device,
    campaign: 'camp-rollout-7',
    phase: 'download',
    state: 'running',
    percent: null,
    lastTime: VT0,
    lastMessage: 'EcuDownloadStarted: the ECU started downloading',
    events: 2,
    campaigns: 1,
    phases: {
      consent: { state: 'succeeded', time: VT0, message: 'campaign_accepted: the user accepted' },
      download: { state: 'running', time: VT0, message: 'EcuDownloadStarted: the ECU started downloading' },
    },
    ...extra,
  };
}

export function campaign(source: Source, id: string, counts: CampaignSummary['counts'], extra: Partial<CampaignSummary> = {}): CampaignSummary {
  const vehicles = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  return { key: `${source}|${id}`, source, campaign: id, vehicles, counts, lastTime: VT0, ...extra };
}

/** The event of `seq`, its message naming its seq so a test can tell rows apart. */
export function logged(seq: number, extra: Partial<LoggedEvent> = {}): LoggedEvent {
  return {
    seq,
    id: `ev-${seq}`,
    time: new Date(Date.parse(VT0) + seq * 1000).toISOString(),
    source: 'oem',
    device: 'DKSVS4E20SD104711',
    campaign: '24601',
    phase: 'download',
    state: 'running',
    percent: null,
    message: `event number ${seq}`,
    raw: { seq, eventsType: 'download', status: 'inProgress' },
    ...extra,
  };
}
