// The Log view's window onto the journal: the filters and order, the total the host counted, and the
// events loaded so far, keyed by *rank* (the event's position among the matching events, oldest first).
// Ranks do not move when new events arrive or the order flips, so nothing loaded goes stale; which rank
// a row shows is worked out from the order and the total. The rows themselves come from log-pager.ts;
// live events only tell it that something new matches.
import { createStore } from 'zustand/vanilla';
import type { LoggedEvent, LogQuery, Source, State, UpgradeEvent } from '../../preload/api';

export interface LogFilters {
  sources: Source[];
  states: State[];
  /** Exact device id, as the journal's index matches it. */
  device: string;
  /** Exact campaign id. */
  campaign: string;
  /** ISO 8601 bounds on the event's own time, inclusive; '' for none. */
  since: string;
  until: string;
  /** Part of the message, device or campaign, any case. */
  text: string;
}

export type LogOrder = 'asc' | 'desc';

export const NO_LOG_FILTERS: LogFilters = { sources: [], states: [], device: '', campaign: '', since: '', until: '', text: '' };

export interface LogState {
  filters: LogFilters;
  order: LogOrder;
  /** Bumps when the filters change or the host came back: answers to older queries are dropped. */
  generation: number;
  /** Matching events in the journal as of the latest answer; undefined until the first. */
  total: number | undefined;
  rows: ReadonlyMap<number, LoggedEvent>;
  /** Live events that match the filters, not yet followed by a query: the pager fetches when it grows. */
  live: number;
  loading: boolean;
  error?: string;
  /** The event whose raw payload is open. */
  opened?: LoggedEvent;
  setFilters: (patch: Partial<LogFilters>) => void;
  setOrder: (order: LogOrder) => void;
  open: (event: LoggedEvent | undefined) => void;
  /** Forgets what is loaded (the host restarted, or came back after a drop). */
  reset: () => void;
  apply: (events: UpgradeEvent[]) => void;
}

/** The display row `index` shows the event of this rank. */
export function rankAt(index: number, order: LogOrder, total: number): number {
  return order === 'asc' ? index : total - 1 - index;
}

export function queryOf(filters: LogFilters): Omit<LogQuery, 'order' | 'offset' | 'limit'> {
  return {
    ...(filters.sources.length ? { source: filters.sources } : {}),
    ...(filters.states.length ? { state: filters.states } : {}),
    ...(filters.device ? { device: filters.device } : {}),
    ...(filters.campaign ? { campaign: filters.campaign } : {}),
    ...(filters.since ? { since: filters.since } : {}),
    ...(filters.until ? { until: filters.until } : {}),
    ...(filters.text ? { text: filters.text } : {}),
  };
}

/** The host's own filter (main/journal/event-index.ts), for events that arrive live. */
export function matchesFilters(e: UpgradeEvent, f: LogFilters): boolean {
  if (f.sources.length && !f.sources.includes(e.source)) return false;
  if (f.states.length && !f.states.includes(e.state)) return false;
  if (f.device && e.device !== f.device) return false;
  if (f.campaign && e.campaign !== f.campaign) return false;
  if (f.since || f.until) {
    const t = Date.parse(e.time);
    if (f.since && !(t >= Date.parse(f.since))) return false;
    if (f.until && !(t <= Date.parse(f.until))) return false;
  }
  if (f.text) {
    const needle = f.text.toLowerCase();
    if (![e.message, e.device, e.campaign].some((s) => s.toLowerCase().includes(needle))) return false;
  }
  return true;
}

const EMPTY = new Map<number, LoggedEvent>();

export function createLogStore() {
  return createStore<LogState>()((set, get) => ({
    filters: NO_LOG_FILTERS,
    order: 'desc',
    generation: 0,
    total: undefined,
    rows: EMPTY,
    live: 0,
    loading: false,
    setFilters(patch) {
      const s = get();
      set({ filters: { ...s.filters, ...patch }, generation: s.generation + 1, total: undefined, rows: EMPTY, live: 0, error: undefined });
    },
    setOrder: (order) => set({ order }),
    open: (opened) => set({ opened }),
    reset() {
      set({ generation: get().generation + 1, total: undefined, rows: EMPTY, live: 0, error: undefined });
    },
    apply(events) {
      const { filters, live } = get();
      const matching = events.reduce((n, e) => (matchesFilters(e, filters) ? n + 1 : n), 0);
      if (matching > 0) set({ live: live + matching });
    },
  }));
}
