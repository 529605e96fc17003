// Pages of the Log view fetched from the host as they scroll into view (log.query with offset/limit),
// never the whole journal: a million events stay on disk, a few thousand rows at most in the page.
// Each answer carries the total it was counted against, so its rows land on the right ranks even when
// events arrived in between. Live events that match bring one query for the edge where they land.
import type { StoreApi } from 'zustand/vanilla';
import type { LoggedEvent } from '../../preload/api';
import type { DocksideClient } from '../api-client';
import { queryOf, rankAt, type LogState } from './log-store';

export const PAGE_SIZE = 200;
/** Rows kept loaded; the ones farthest from what is on screen go first. */
export const MAX_ROWS = 4000;
/** Live events are followed at most this often: a busy site does not turn into a query per event. */
export const LIVE_DELAY_MS = 300;
/**
 * A longer list waits longer (1 ms per thousand events, up to 2 s): each new total makes the virtualiser
 * lay out every row again (about 45 ms for a million), which must stay a small share of the frames.
 */
export function liveDelay(minimumMs: number, total: number | undefined): number {
  return Math.max(minimumMs, Math.min(2000, (total ?? 0) / 1000));
}

export interface LogPagerOptions {
  pageSize?: number;
  maxRows?: number;
  liveDelayMs?: number;
}

export interface LogPager {
  /** The display rows the list shows now (overscan included): pages with a missing row are fetched. */
  show: (first: number, last: number) => void;
  dispose: () => void;
}

export function createLogPager(client: Pick<DocksideClient, 'call' | 'onLink'>, store: StoreApi<LogState>, options: LogPagerOptions = {}): LogPager {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const maxRows = options.maxRows ?? MAX_ROWS;
  const liveDelayMs = options.liveDelayMs ?? LIVE_DELAY_MS;
  const inFlight = new Set<string>();
  let viewport: [number, number] = [0, pageSize - 1];
  let liveTimer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  /** Keeps the rows nearest the ranks on screen. */
  const trim = (rows: Map<number, LoggedEvent>, s: LogState, total: number) => {
    if (rows.size <= maxRows) return;
    const a = rankAt(viewport[0], s.order, total);
    const b = rankAt(viewport[1], s.order, total);
    const centre = (a + b) / 2;
    const far = [...rows.keys()].sort((x, y) => Math.abs(y - centre) - Math.abs(x - centre));
    for (const rank of far.slice(0, rows.size - maxRows)) rows.delete(rank);
  };

  const fetchPage = (offset: number) => {
    const s = store.getState();
    const { generation, order } = s;
    const key = `${generation}:${order}:${offset}`;
    if (inFlight.has(key)) return;
    inFlight.add(key);
    store.setState({ loading: true });
    client.call('log.query', { ...queryOf(s.filters), order, offset, limit: pageSize }).then(
      ({ events, total }) => {
        inFlight.delete(key);
        if (disposed) return;
        const now = store.getState();
        if (now.generation !== generation) return;
        const rows = new Map(now.rows);
        events.forEach((e, k) => rows.set(order === 'asc' ? offset + k : total - 1 - offset - k, e));
        trim(rows, now, total);
        // A changed total moves rows on screen; the list asks again through show() when it re-renders.
        store.setState({ rows, total, loading: inFlight.size > 0, error: undefined });
      },
      (e: Error) => {
        inFlight.delete(key);
        if (disposed || store.getState().generation !== generation) return;
        store.setState({ loading: inFlight.size > 0, error: `The log could not be read: ${e.message}` });
      },
    );
  };

  function show(first: number, last: number): void {
    viewport = [Math.max(0, first), Math.max(first, last)];
    const s = store.getState();
    if (s.total === undefined) return fetchPage(0);
    const end = Math.min(viewport[1], s.total - 1);
    for (let page = Math.floor(viewport[0] / pageSize); page * pageSize <= end; page++) {
      const from = Math.max(page * pageSize, viewport[0]);
      const to = Math.min(page * pageSize + pageSize - 1, end);
      for (let i = from; i <= to; i++) {
        if (!s.rows.has(rankAt(i, s.order, s.total))) {
          fetchPage(page * pageSize);
          break;
        }
      }
    }
  }

  // New matching events land at the newest edge: the first page newest first, the last page oldest first.
  const fetchEdge = () => {
    const s = store.getState();
    store.setState({ live: 0 });
    if (s.total === undefined) return fetchPage(0);
    fetchPage(s.order === 'desc' ? 0 : Math.floor(s.total / pageSize) * pageSize);
  };
  const followLive = () => {
    liveTimer = undefined;
    if (store.getState().live > 0) fetchEdge();
  };

  const offStore = store.subscribe((s, before) => {
    if (s.generation !== before.generation) {
      inFlight.clear();
      show(...viewport);
    } else if (s.order !== before.order) {
      show(...viewport);
    }
    if (s.live > 0 && liveTimer === undefined) liveTimer = setTimeout(followLive, liveDelay(liveDelayMs, s.total));
  });

  // Whatever happened while the host was away, ranks may have moved (a restart drops a torn tail).
  let lost = false;
  const offLink = client.onLink((link) => {
    if (link === 'lost') lost = true;
    if (link === 'open' && lost) {
      lost = false;
      store.getState().reset();
    }
  });

  // Rows loaded by an earlier pager keep their ranks; only the total has to be brought up to date.
  if (store.getState().total !== undefined) fetchEdge();

  return {
    show,
    dispose() {
      disposed = true;
      offStore();
      offLink();
      if (liveTimer !== undefined) clearTimeout(liveTimer);
    },
  };
}
