// Vehicle campaigns as the operator watches them: per vehicle its latest campaign's timeline of phases,
// per campaign how many vehicles stand in each state. Built from UpgradeEvents (live, and replayed from
// the journal on start); DJI events belong to the Progress view, not here.
import type { CampaignSummary, Phase, State, UpgradeEvent, VehicleSummary } from '../../preload/api';

/**
 * aktualizr names a campaign by its campaignId in campaign_accepted and by the correlation id
 * `urn:here-ota:campaign:<campaignId>` in every later event (aktualizr's own naming). The Vehicles view
 * groups both as one campaign; the events themselves keep what was sent.
 */
const AKTUALIZR_CAMPAIGN_URN = /^urn:here-ota:campaign:(.+)$/;

export function campaignGroup(source: UpgradeEvent['source'], campaign: string): string {
  if (source !== 'aktualizr') return campaign;
  return AKTUALIZR_CAMPAIGN_URN.exec(campaign)?.[1] ?? campaign;
}

interface VehicleRecord extends VehicleSummary {
  /** The vehicle's state per campaign, so a campaign's counts can be moved when the vehicle moves. */
  byCampaign: Map<string, State>;
}

export class CampaignIndex {
  private readonly vehicles = new Map<string, VehicleRecord>();
  private readonly campaigns = new Map<string, CampaignSummary>();
  private readonly dirtyVehicles = new Set<string>();
  private readonly dirtyCampaigns = new Set<string>();

  /**
   * Applies one event. What changed is collected, not copied: a 1,000-event batch from 50 vehicles
   * becomes 50 vehicle views when `drainChanges` is called, not 1,000.
   * @returns whether the event concerned a vehicle at all
   */
  add(e: UpgradeEvent): boolean {
    if (e.source === 'dji' || e.device === '') return false;
    const campaign = campaignGroup(e.source, e.campaign);
    const key = `${e.source}|${e.device}`;
    let v = this.vehicles.get(key);
    if (!v) {
      v = {
        key,
        source: e.source,
        device: e.device,
        campaign,
        phase: e.phase,
        state: e.state,
        percent: e.percent,
        lastTime: e.time,
        lastMessage: e.message,
        events: 0,
        campaigns: 0,
        phases: {},
        byCampaign: new Map(),
      };
      this.vehicles.set(key, v);
    }
    v.events++;
    if (campaign !== v.campaign) {
      v.campaign = campaign;
      v.phases = {};
    }
    v.phase = e.phase;
    v.state = e.state;
    v.percent = e.percent;
    v.lastTime = e.time;
    v.lastMessage = e.message;
    v.phases[e.phase] = { state: e.state, time: e.time, message: e.message };
    // A later phase reached means every earlier phase still running or pending is over: protocols rarely
    // say so (aktualizr's "installed, reboot pending" is followed by the next report, not a "rebooted").
    for (const p of Object.keys(v.phases) as Phase[]) {
      const step = v.phases[p]!;
      if (PHASE_ORDER[p] < PHASE_ORDER[e.phase] && (step.state === 'running' || step.state === 'pending')) v.phases[p] = { ...step, state: 'succeeded' };
    }

    const before = v.byCampaign.get(campaign);
    v.byCampaign.set(campaign, e.state);
    v.campaigns = v.byCampaign.size;
    this.countCampaign(e, campaign, before);
    this.dirtyVehicles.add(key);
    return true;
  }

  /** The vehicles and campaigns changed since the last call, as fresh views. */
  drainChanges(): { vehicles: VehicleSummary[]; campaigns: CampaignSummary[] } {
    const vehicles = [...this.dirtyVehicles].map((k) => this.view(this.vehicles.get(k)!));
    const campaigns = [...this.dirtyCampaigns].map((k) => this.campaignView(this.campaigns.get(k)!));
    this.dirtyVehicles.clear();
    this.dirtyCampaigns.clear();
    return { vehicles, campaigns };
  }

  private countCampaign(e: UpgradeEvent, campaign: string, before: State | undefined): void {
    const key = `${e.source}|${campaign}`;
    let c = this.campaigns.get(key);
    if (!c) {
      c = { key, source: e.source, campaign, vehicles: 0, counts: {}, lastTime: e.time };
      this.campaigns.set(key, c);
    }
    if (before === undefined) c.vehicles++;
    else c.counts[before] = (c.counts[before] ?? 1) - 1;
    c.counts[e.state] = (c.counts[e.state] ?? 0) + 1;
    if (e.time > c.lastTime) c.lastTime = e.time;
    this.dirtyCampaigns.add(key);
  }

  private campaignView(c: CampaignSummary): CampaignSummary {
    return { ...c, counts: { ...c.counts } };
  }

  private view(v: VehicleRecord): VehicleSummary {
    const { byCampaign: _byCampaign, ...summary } = v;
    return { ...summary, phases: { ...summary.phases } };
  }

  vehiclesList(): VehicleSummary[] {
    return [...this.vehicles.values()].map((v) => this.view(v));
  }

  campaignsList(): CampaignSummary[] {
    return [...this.campaigns.values()].map((c) => this.campaignView(c));
  }
}

const PHASE_ORDER: Readonly<Record<Phase, number>> = { queued: 0, consent: 1, download: 2, verify: 3, install: 4, activate: 5, reboot: 6, done: 7 };
