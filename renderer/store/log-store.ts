// The latest normalised events, newest last, bounded so a long campaign does not grow the page.
import { createStore } from 'zustand/vanilla';
import type { UpgradeEvent } from '../../preload/api';

export const LOG_LIMIT = 2000;

export interface LogState {
  events: UpgradeEvent[];
  apply(events: UpgradeEvent[]): void;
}

export function createLogStore(limit = LOG_LIMIT) {
  return createStore<LogState>()((set, get) => ({
    events: [],
    apply(events) {
      const all = [...get().events, ...events];
      set({ events: all.length > limit ? all.slice(all.length - limit) : all });
    },
  }));
}
