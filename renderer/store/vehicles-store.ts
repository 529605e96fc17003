// Vehicles and campaigns from vehicles.list and the vehicle/campaign streams. A summary replaces only its
// own object, so a row selecting its key re-renders when its vehicle changes and no other row does;
// `order` changes only when a vehicle is new. The filters of the Vehicles view live here too.
import { createStore } from 'zustand/vanilla';
import type { CampaignSummary, Source, State, VehicleSummary } from '../../preload/api';

/** The campaign tab showing every vehicle. */
export const ALL_CAMPAIGNS = '';

export interface VehicleFilters {
  /** `${source}|${campaign}` of the selected tab, or ALL_CAMPAIGNS. */
  campaign: string;
  source: Source | '';
  state: State | '';
  /** Part of the device id (VIN, Astarte device id). */
  device: string;
  /** Part of the device, campaign or latest message. */
  search: string;
}

export interface VehiclesState {
  byKey: Record<string, VehicleSummary>;
  order: string[];
  campaigns: Record<string, CampaignSummary>;
  filters: VehicleFilters;
  replace: (list: { vehicles: VehicleSummary[]; campaigns: CampaignSummary[] }) => void;
  applyVehicles: (vehicles: VehicleSummary[]) => void;
  applyCampaigns: (campaigns: CampaignSummary[]) => void;
  setFilters: (patch: Partial<VehicleFilters>) => void;
}

export const NO_FILTERS: VehicleFilters = { campaign: ALL_CAMPAIGNS, source: '', state: '', device: '', search: '' };

export const campaignKeyOf = (v: Pick<VehicleSummary, 'source' | 'campaign'>) => `${v.source}|${v.campaign}`;

const byDevice = (byKey: Record<string, VehicleSummary>) => (a: string, b: string) => byKey[a]!.device.localeCompare(byKey[b]!.device) || byKey[a]!.source.localeCompare(byKey[b]!.source);

/** A summary counts its vehicle's events: a queued push behind a fresh list never replaces a newer one. */
function isNewer(incoming: VehicleSummary, current: VehicleSummary | undefined): boolean {
  return !current || incoming.events >= current.events;
}

export function createVehiclesStore() {
  return createStore<VehiclesState>()((set, get) => ({
    byKey: {},
    order: [],
    campaigns: {},
    filters: NO_FILTERS,
    replace({ vehicles, campaigns }) {
      const byKey = Object.fromEntries(vehicles.map((v) => [v.key, v]));
      set({ byKey, order: Object.keys(byKey).sort(byDevice(byKey)), campaigns: Object.fromEntries(campaigns.map((c) => [c.key, c])) });
    },
    applyVehicles(vehicles) {
      const { byKey } = get();
      let next: Record<string, VehicleSummary> | undefined;
      let added = false;
      for (const v of vehicles) {
        const current = (next ?? byKey)[v.key];
        if (!isNewer(v, current)) continue;
        next ??= { ...byKey };
        next[v.key] = v;
        if (!current) added = true;
      }
      if (!next) return;
      set(added ? { byKey: next, order: Object.keys(next).sort(byDevice(next)) } : { byKey: next });
    },
    applyCampaigns(campaigns) {
      const next = { ...get().campaigns };
      for (const c of campaigns) next[c.key] = c;
      set({ campaigns: next });
    },
    setFilters(patch) {
      set({ filters: { ...get().filters, ...patch } });
    },
  }));
}

/** The keys the list shows, in order: the tab's campaign, then the filters, then the search. */
export function visibleVehicles(state: Pick<VehiclesState, 'byKey' | 'order' | 'filters'>): string[] {
  const { campaign, source, state: wanted, device, search } = state.filters;
  const deviceNeedle = device.trim().toLowerCase();
  const needle = search.trim().toLowerCase();
  return state.order.filter((key) => {
    const v = state.byKey[key];
    if (!v) return false;
    if (campaign !== ALL_CAMPAIGNS && campaignKeyOf(v) !== campaign) return false;
    if (source && v.source !== source) return false;
    if (wanted && v.state !== wanted) return false;
    if (deviceNeedle && !v.device.toLowerCase().includes(deviceNeedle)) return false;
    if (needle && !`${v.device}\n${v.campaign}\n${v.lastMessage}`.toLowerCase().includes(needle)) return false;
    return true;
  });
}

/** The vehicles the list shows, by their current state: the tab's campaign and every filter applied. */
export function visibleCounts(state: Pick<VehiclesState, 'byKey' | 'order' | 'filters'>): Partial<Record<State, number>> {
  const counts: Partial<Record<State, number>> = {};
  for (const key of visibleVehicles(state)) {
    const s = state.byKey[key]!.state;
    counts[s] = (counts[s] ?? 0) + 1;
  }
  return counts;
}

/**
 * The campaigns given a tab: the biggest (most vehicles), so a large campaign always has one however many
 * small ones came after it; ties go to the newest. Listed biggest first.
 */
export function campaignTabs(campaigns: Readonly<Record<string, CampaignSummary>>, limit: number): string[] {
  const keys = Object.keys(campaigns);
  const arrival = new Map(keys.map((k, i) => [k, i]));
  return keys.sort((a, b) => campaigns[b]!.vehicles - campaigns[a]!.vehicles || arrival.get(b)! - arrival.get(a)!).slice(0, limit);
}
