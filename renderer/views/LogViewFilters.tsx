// The Log view's filters: source and state as checkboxes, device and campaign (exact, as the journal
// index matches them, with the known ones offered), a time range, text search and the order. Typed
// fields wait for a pause in typing before they query the host.
import { useEffect, useId, useMemo, useState } from 'react';
import { SOURCES, STATES, type Source, type State } from '../../preload/api';
import { SOURCE_WORDS, STATE_WORDS } from '../lib/event-words';
import { NO_LOG_FILTERS, type LogFilters, type LogOrder } from '../store/log-store';
import { useSlice, useStores } from '../store/stores';

export const TYPING_PAUSE_MS = 300;

/** `2025-03-04T10:15:00` in local time, what a datetime-local input holds, from ISO 8601. */
export function toLocalInput(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** ISO 8601 (UTC) from a datetime-local value read as local time; '' when empty or unreadable. */
export function fromLocalInput(value: string): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

type TextField = 'device' | 'campaign' | 'text';

/** A text filter typed here, committed to the store after a pause; follows the store when it changes elsewhere. */
function useTypedFilter(field: TextField): [string, (value: string) => void] {
  const stores = useStores();
  const committed = useSlice('log', (s) => s.filters[field]);
  const [value, setValue] = useState(committed);
  useEffect(() => setValue((typed) => (typed.trim() === committed ? typed : committed)), [committed]);
  useEffect(() => {
    if (value.trim() === committed) return;
    const timer = setTimeout(() => stores.log.getState().setFilters({ [field]: value.trim() }), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [value, committed, field, stores]);
  return [value, setValue];
}

function Checks<T extends string>({ legend, values, words, chosen, onChange }: { legend: string; values: readonly T[]; words: Record<T, string>; chosen: T[]; onChange: (next: T[]) => void }) {
  return (
    <fieldset className="log-checks">
      <legend>{legend}</legend>
      {values.map((v) => (
        <label key={v} className="check">
          <input type="checkbox" checked={chosen.includes(v)} onChange={(e) => onChange(e.target.checked ? [...chosen, v] : chosen.filter((c) => c !== v))} />
          {words[v]}
        </label>
      ))}
    </fieldset>
  );
}

export function LogViewFilters() {
  const id = useId();
  const stores = useStores();
  const filters = useSlice('log', (s) => s.filters);
  const order = useSlice('log', (s) => s.order);
  const [device, setDevice] = useTypedFilter('device');
  const [campaign, setCampaign] = useTypedFilter('campaign');
  const [text, setText] = useTypedFilter('text');
  // The order arrays change only when a device is new: a fleet reporting does not rebuild the suggestions.
  const vehicleKeys = useSlice('vehicles', (s) => s.order);
  const docks = useSlice('devices', (s) => s.order);
  const known = useMemo(() => [...new Set([...docks, ...vehicleKeys.map((k) => k.slice(k.indexOf('|') + 1))])].sort(), [docks, vehicleKeys]);
  const set = (patch: Partial<LogFilters>) => stores.log.getState().setFilters(patch);
  const active = JSON.stringify(filters) !== JSON.stringify(NO_LOG_FILTERS);

  return (
    <form className="log-filters" aria-label="Log filters" onSubmit={(e) => e.preventDefault()}>
      <Checks<Source> legend="Source" values={SOURCES} words={SOURCE_WORDS} chosen={filters.sources} onChange={(sources) => set({ sources })} />
      <Checks<State> legend="State" values={STATES} words={STATE_WORDS} chosen={filters.states} onChange={(states) => set({ states })} />
      <div className="log-fields">
        <label htmlFor={`${id}-device`}>Device</label>
        <input id={`${id}-device`} type="text" list={`${id}-devices`} placeholder="exact SN or VIN" value={device} onChange={(e) => setDevice(e.target.value)} />
        <datalist id={`${id}-devices`}>
          {known.map((d) => (
            <option key={d} value={d} />
          ))}
        </datalist>
        <label htmlFor={`${id}-campaign`}>Campaign</label>
        <input id={`${id}-campaign`} type="text" placeholder="exact id" value={campaign} onChange={(e) => setCampaign(e.target.value)} />
        <label htmlFor={`${id}-since`}>From</label>
        <input id={`${id}-since`} type="datetime-local" step={1} value={toLocalInput(filters.since)} onChange={(e) => set({ since: fromLocalInput(e.target.value) })} />
        <label htmlFor={`${id}-until`}>To</label>
        <input id={`${id}-until`} type="datetime-local" step={1} value={toLocalInput(filters.until)} onChange={(e) => set({ until: fromLocalInput(e.target.value) })} />
        <label htmlFor={`${id}-text`}>Search</label>
        <input id={`${id}-text`} type="search" placeholder="message, device or campaign" value={text} onChange={(e) => setText(e.target.value)} />
        <label htmlFor={`${id}-order`}>Order</label>
        <select id={`${id}-order`} value={order} onChange={(e) => stores.log.getState().setOrder(e.target.value as LogOrder)}>
          <option value="desc">Newest first</option>
          <option value="asc">Oldest first</option>
        </select>
        <button type="button" className="quiet" disabled={!active} onClick={() => set(NO_LOG_FILTERS)}>
          Clear filters
        </button>
      </div>
    </form>
  );
}
