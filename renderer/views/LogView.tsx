// Every event in the journal, newest or oldest first, filtered on the host: the list is virtualised and
// its rows are fetched a page at a time as they scroll into view (log-pager.ts), so a million events
// stay on disk. New events newest first are prepended without moving what the technician is reading:
// the scroll position is shifted by the rows added above, and a button says how many arrived and jumps
// to them. Opening a row shows its raw payload.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { useApi } from '../api-context';
import { StateBadge } from '../components/StateBadge';
import { PHASE_WORDS, SOURCE_WORDS, STATE_TONE, STATE_WORDS } from '../lib/event-words';
import { formatStamp, formatTime } from '../lib/format';
import { createLogPager, type LogPager } from '../store/log-pager';
import { rankAt } from '../store/log-store';
import { useSlice, useStores } from '../store/stores';
import { ExportPanel } from './ExportPanel';
import { LogViewEvent } from './LogViewEvent';
import { LogViewFilters } from './LogViewFilters';
import { LogViewImport } from './LogViewImport';
import '../styles/log.css';
import { Problem } from '../components/Problem';

export const LOG_ROW_HEIGHT = 30;
/** Chromium lays out about 33.5 million pixels at most; past this many rows the list would stop scrolling. */
export const MAX_SCROLL_ROWS = Math.floor(33_000_000 / LOG_ROW_HEIGHT);

export const LogRow = memo(function LogRow({ rank }: { rank: number }) {
  const e = useSlice('log', (s) => s.rows.get(rank));
  const open = useStores().log.getState().open;
  if (!e) {
    return (
      <div className="log-row log-row-loading" aria-busy="true">
        <span className="muted small">Loading…</span>
      </div>
    );
  }
  return (
    <button type="button" className={`log-row tone-${STATE_TONE[e.state]}`} onClick={() => open(e)}>
      <time className="mono small keep" dateTime={e.time} title={formatTime(e.time)}>
        {formatStamp(e.time)}
      </time>
      <span>{SOURCE_WORDS[e.source]}</span>
      <span className="mono keep">{e.device || '—'}</span>
      <span className="mono cell-clip" title={e.campaign}>
        {e.campaign || '—'}
      </span>
      <span>{PHASE_WORDS[e.phase]}</span>
      <StateBadge tone={STATE_TONE[e.state]}>{STATE_WORDS[e.state]}</StateBadge>
      <span className="mono">{e.percent !== null ? `${Math.round(e.percent)}%` : ''}</span>
      <span className="cell-clip" title={e.message}>
        {e.message}
      </span>
    </button>
  );
});

function LogList({ pager }: { pager: LogPager }) {
  const total = useSlice('log', (s) => s.total);
  const order = useSlice('log', (s) => s.order);
  const generation = useSlice('log', (s) => s.generation);
  const count = Math.min(total ?? 0, MAX_SCROLL_ROWS);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LOG_ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;
  useEffect(() => pager.show(first, last), [pager, first, last, total, generation, order]);

  // Where the newest events land: the top newest first, the bottom oldest first.
  const atLiveEdge = () => {
    const el = scrollRef.current;
    if (!el) return true;
    return order === 'desc' ? el.scrollTop < LOG_ROW_HEIGHT / 2 : el.scrollTop + el.clientHeight >= el.scrollHeight - LOG_ROW_HEIGHT;
  };
  const [seen, setSeen] = useState<number | undefined>(undefined);

  useLayoutEffect(() => {
    scrollRef.current?.scrollTo?.({ top: 0 });
    setSeen(undefined);
  }, [order, generation]);

  const before = useRef({ total, order, generation });
  useLayoutEffect(() => {
    const was = before.current;
    before.current = { total, order, generation };
    const el = scrollRef.current;
    if (!el || was.total === undefined || total === undefined || was.order !== order || was.generation !== generation) return;
    const added = total - was.total;
    // Newest first, rows added above what is on screen push it down: move with them.
    if (added > 0 && order === 'desc' && el.scrollTop >= LOG_ROW_HEIGHT / 2) el.scrollTop += added * LOG_ROW_HEIGHT;
  }, [total, order, generation]);

  useEffect(() => {
    if (total !== undefined && (seen === undefined || atLiveEdge())) setSeen(total);
  });
  const unseen = total !== undefined && seen !== undefined ? total - seen : 0;
  const jump = () => {
    if (order === 'desc') scrollRef.current?.scrollTo?.({ top: 0 });
    else virtualizer.scrollToIndex(count - 1, { align: 'end' });
    setSeen(total);
  };

  if (total === undefined) return <p className="empty">Reading the log…</p>;
  if (total === 0) return <p className="empty">No event matches these filters.</p>;
  return (
    <div className="log-list">
      {unseen > 0 ? (
        <button type="button" className={`new-events new-events-${order}`} onClick={jump}>
          {unseen} new event{unseen === 1 ? '' : 's'} {order === 'desc' ? '↑' : '↓'}
        </button>
      ) : null}
      <div className="log-head" aria-hidden="true">
        <span>Time</span>
        <span>Source</span>
        <span>Device</span>
        <span>Campaign</span>
        <span>Phase</span>
        <span>State</span>
        <span>%</span>
        <span>Message</span>
      </div>
      <div className="virtual-scroll log-scroll" ref={scrollRef} onScroll={() => atLiveEdge() && setSeen(total)}>
        <div role="list" aria-label="Events" className="virtual-inner" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const rank = rankAt(item.index, order, total);
            return (
              <div key={rank} role="listitem" aria-posinset={item.index + 1} aria-setsize={total} className="virtual-item" style={{ transform: `translateY(${item.start}px)`, height: LOG_ROW_HEIGHT }}>
                <LogRow rank={rank} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function LogStatus() {
  const total = useSlice('log', (s) => s.total);
  const loading = useSlice('log', (s) => s.loading);
  const error = useSlice('log', (s) => s.error);
  const order = useSlice('log', (s) => s.order);
  return (
    <div className="log-status">
      <p className="muted small" aria-live="polite">
        {total === undefined ? 'Counting events…' : `${total.toLocaleString()} event${total === 1 ? '' : 's'}`}
        {loading ? ' · loading' : ''}
      </p>
      {total !== undefined && total > MAX_SCROLL_ROWS ? (
        <p className="muted small">
          The list reaches the {order === 'desc' ? 'newest' : 'oldest'} {MAX_SCROLL_ROWS.toLocaleString()}; narrow the filters or flip the order to reach the rest.
        </p>
      ) : null}
      <Problem message={error} look="inline" />
    </div>
  );
}

export function LogView() {
  const id = useId();
  const api = useApi();
  const stores = useStores();
  const opened = useSlice('log', (s) => s.opened);
  // Made in an effect, not a memo: StrictMode mounts twice and the first pager is disposed.
  const [pager, setPager] = useState<LogPager | null>(null);
  useEffect(() => {
    const p = createLogPager(api, stores.log);
    setPager(p);
    return () => p.dispose();
  }, [api, stores]);

  return (
    <section className="view view-log" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Log</h2>
      <div className="log-layout">
        <div className="log-main">
          <LogViewFilters />
          <LogStatus />
          {pager ? <LogList pager={pager} /> : null}
        </div>
        <aside className="log-side" aria-label="Export and import">
          <ExportPanel />
          <LogViewImport />
        </aside>
      </div>
      {opened ? <LogViewEvent event={opened} onClose={() => stores.log.getState().open(undefined)} /> : null}
    </section>
  );
}
