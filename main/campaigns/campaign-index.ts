// Vehicle campaigns as the operator watches them: per vehicle its latest campaign's timeline of phases,
// per campaign how many vehicles stand in each state. Built from UpgradeEvents (live, and replayed from
// the journal on start); DJI events belong to the Progress view, not here.
import type { CampaignSummary, Phase, State, UpgradeEvent, VehicleSummary } from '../../preload/api';

interface VehicleRecord extends VehicleSummary {
  /** The vehicle's state per campaign, so a campaign's counts can be moved when the vehicle moves. */
  byCampaign: Map<string, State>;
}

export class CampaignIndex {
  private readonly vehicles = new Map<string, VehicleRecord>();
  private readonly campaigns = new Map<string, CampaignSummary>();

  /** Applies one event; returns what changed, for the renderer's streams. */
  add(e: UpgradeEvent): { vehicle?: VehicleSummary; campaign?: CampaignSummary } {
    if (e.source === 'dji' || e.device === '') return {};
    const key = `${e.source}|${e.device}`;
    let v = this.vehicles.get(key);
    if (!v) {
      v = { key, source: e.source, device: e.device, campaign: e.campaign, phase: e.phase, state: e.state, percent: e.percent, lastTime: e.time, lastMessage: e.message, events: 0, campaigns: 0, phases: {}, byCampaign: new Map() };
      this.vehicles.set(key, v);
    }
    v.events++;
    if (e.campaign !== v.campaign) {
      v.campaign = e.campaign;
      v.phases = {};
    }
    v.phase = e.phase;
    v.state = e.state;
    v.percent = e.percent;
    v.lastTime = e.time;
    v.lastMessage = e.message;
    v.phases[e.phase] = { state: e.state, time: e.time, message: e.message };
    // A later phase reached means every earlier running phase is over (protocols rarely say so).
    for (const p of Object.keys(v.phases) as Phase[]) {
      const step = v.phases[p]!;
      if (p !== e.phase && step.state === 'running' && PHASE_ORDER[p] < PHASE_ORDER[e.phase]) v.phases[p] = { ...step, state: 'succeeded' };
    }

    const before = v.byCampaign.get(e.campaign);
    v.byCampaign.set(e.campaign, e.state);
    v.campaigns = v.byCampaign.size;
    const campaign = this.countCampaign(e, before);
    return { vehicle: this.view(v), campaign };
  }

  private countCampaign(e: UpgradeEvent, before: State | undefined): CampaignSummary {
    const key = `${e.source}|${e.campaign}`;
    let c = this.campaigns.get(key);
    if (!c) {
      c = { key, source: e.source, campaign: e.campaign, vehicles: 0, counts: {}, lastTime: e.time };
      this.campaigns.set(key, c);
    }
    if (before === undefined) c.vehicles++;
    else c.counts[before] = (c.counts[before] ?? 1) - 1;
    c.counts[e.state] = (c.counts[e.state] ?? 0) + 1;
    if (e.time > c.lastTime) c.lastTime = e.time;
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
    return [...this.campaigns.values()].map((c) => ({ ...c, counts: { ...c.counts } }));
  }
}

const PHASE_ORDER: Readonly<Record<Phase, number>> = { queued: 0, consent: 1, download: 2, verify: 3, install: 4, activate: 5, reboot: 6, done: 7 };
