// Vehicle campaigns side by side: campaigns as tabs with their vehicles counted by state, and per vehicle
// the timeline of its latest campaign. The list is virtualised and each row selects its own vehicle, so a
// fleet of thousands reporting at once re-renders only the rows that changed, and only those on screen exist.
import { memo, useId, useMemo, type KeyboardEvent, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { SOURCES, STATES, type CampaignSummary, type Source, type State } from '../../preload/api';
import { KeyedVirtualList } from '../components/KeyedVirtualList';
import { PhaseTimeline } from '../components/PhaseTimeline';
import { StateBadge } from '../components/StateBadge';
import { PHASE_WORDS, shortCampaign, SOURCE_WORDS, STATE_TONE, STATE_WORDS } from '../lib/event-words';
import { formatTime } from '../lib/format';
import { NO_LOG_FILTERS } from '../store/log-store';
import { useSlice, useStores } from '../store/stores';
import { ALL_CAMPAIGNS, campaignTabs, visibleCounts, visibleVehicles } from '../store/vehicles-store';
import '../styles/vehicles.css';

export const VEHICLE_ROW_HEIGHT = 84;
/** Campaign tabs shown at once (the campaigns with the most vehicles); every campaign is in the Campaign filter. */
export const TAB_LIMIT = 8;

export const VehicleRow = memo(function VehicleRow({ vehicleKey }: { vehicleKey: string }) {
  const v = useSlice('vehicles', (s) => s.byKey[vehicleKey]);
  const stores = useStores();
  if (!v) return null;
  const showEvents = () => {
    stores.log.getState().setFilters({ ...NO_LOG_FILTERS, sources: [v.source], device: v.device });
    stores.ui.getState().setView('Log');
  };
  return (
    <div className={`vehicle-row tone-${STATE_TONE[v.state]}`}>
      <div className="vehicle-id">
        <span className="mono strong keep">{v.device}</span>
        <span className="muted small" title={v.campaign}>
          {SOURCE_WORDS[v.source]} · {shortCampaign(v.campaign, 28)}
        </span>
      </div>
      <PhaseTimeline device={v.device} phases={v.phases} />
      <div className="vehicle-state">
        <StateBadge tone={STATE_TONE[v.state]}>
          {PHASE_WORDS[v.phase]} {STATE_WORDS[v.state]}
          {v.percent !== null ? ` ${Math.round(v.percent)}%` : ''}
        </StateBadge>
        <span className="small vehicle-message" title={v.lastMessage}>
          {v.lastMessage}
        </span>
        <time className="small muted keep" dateTime={v.lastTime}>
          {formatTime(v.lastTime)}
        </time>
      </div>
      <button type="button" className="quiet" aria-label={`Events of ${v.device}`} onClick={showEvents}>
        Events
      </button>
    </div>
  );
});

function VehicleList() {
  const keys = useSlice('vehicles', useShallow(visibleVehicles));
  if (keys.length === 0) return <p className="empty">No vehicle matches these filters.</p>;
  return <KeyedVirtualList keys={keys} label="Vehicles" rowHeight={VEHICLE_ROW_HEIGHT} renderRow={(key) => <VehicleRow vehicleKey={key} />} />;
}

function campaignLabel(c: CampaignSummary): string {
  return `${SOURCE_WORDS[c.source]} ${shortCampaign(c.campaign, 14)}`;
}

function CampaignTabs({ panelId }: { panelId: string }) {
  const stores = useStores();
  const selected = useSlice('vehicles', (s) => s.filters.campaign);
  const vehicleCount = useSlice('vehicles', (s) => s.order.length);
  const tabs = useSlice(
    'vehicles',
    useShallow((s) => {
      const keys = campaignTabs(s.campaigns, TAB_LIMIT);
      if (selected !== ALL_CAMPAIGNS && !keys.includes(selected) && s.campaigns[selected]) keys.push(selected);
      return keys.map((k) => s.campaigns[k]!);
    }),
  );
  const ids = [ALL_CAMPAIGNS, ...tabs.map((c) => c.key)];
  const select = (key: string) => stores.vehicles.getState().setFilters({ campaign: key });
  const onKeyDown = (e: KeyboardEvent) => {
    const at = ids.indexOf(selected);
    const next = e.key === 'ArrowRight' ? at + 1 : e.key === 'ArrowLeft' ? at - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? ids.length - 1 : undefined;
    if (next === undefined) return;
    e.preventDefault();
    const key = ids[(next + ids.length) % ids.length]!;
    select(key);
    document.getElementById(tabId(panelId, key))?.focus();
  };
  return (
    <div role="tablist" aria-label="Campaigns" className="campaign-tabs" onKeyDown={onKeyDown}>
      <Tab panelId={panelId} tabKey={ALL_CAMPAIGNS} selected={selected === ALL_CAMPAIGNS} onSelect={select} title="Every vehicle">
        <span className="tab-label">All campaigns</span> <span className="count">{vehicleCount}</span>
      </Tab>
      {tabs.map((c) => (
        <Tab key={c.key} panelId={panelId} tabKey={c.key} selected={selected === c.key} onSelect={select} title={`${SOURCE_WORDS[c.source]} campaign ${c.campaign || '(none)'}`}>
          <span className="tab-label">{campaignLabel(c)}</span> <span className="count">{c.vehicles}</span>
        </Tab>
      ))}
    </div>
  );
}

const tabId = (panelId: string, key: string) => `${panelId}-tab-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;

function Tab({ panelId, tabKey, selected, onSelect, title, children }: { panelId: string; tabKey: string; selected: boolean; onSelect: (key: string) => void; title: string; children: ReactNode }) {
  return (
    <button
      type="button"
      role="tab"
      id={tabId(panelId, tabKey)}
      aria-selected={selected}
      aria-controls={panelId}
      tabIndex={selected ? 0 : -1}
      className={selected ? 'campaign-tab active' : 'campaign-tab'}
      title={title}
      onClick={() => onSelect(tabKey)}
    >
      {children}
    </button>
  );
}

/** The vehicles shown, by state: the chips follow the tab and every filter, as the list does. */
function StateCounts() {
  const counts = useSlice('vehicles', useShallow(visibleCounts));
  const present = STATES.filter((s) => counts[s]);
  return (
    <ul className="totals" aria-label="Vehicles by state">
      {present.length === 0 ? <li className="muted">No vehicle yet</li> : null}
      {present.map((s) => (
        <li key={s}>
          <StateBadge tone={STATE_TONE[s]}>
            {counts[s]} {STATE_WORDS[s]}
          </StateBadge>
        </li>
      ))}
    </ul>
  );
}

function Filters() {
  const id = useId();
  const stores = useStores();
  const filters = useSlice('vehicles', (s) => s.filters);
  // Keys only: the list of options changes when a campaign is new, not on every vehicle's tick.
  const keys = useSlice(
    'vehicles',
    useShallow((s) => Object.keys(s.campaigns)),
  );
  const options = useMemo(() => [...keys].sort(), [keys]);
  const set = stores.vehicles.getState().setFilters;
  return (
    <div className="toolbar vehicle-filters">
      <label htmlFor={`${id}-campaign`}>Campaign</label>
      <select id={`${id}-campaign`} value={filters.campaign} onChange={(e) => set({ campaign: e.target.value })}>
        <option value={ALL_CAMPAIGNS}>All campaigns</option>
        {options.map((key) => {
          const [source, campaign] = [key.slice(0, key.indexOf('|')) as Source, key.slice(key.indexOf('|') + 1)];
          return (
            <option key={key} value={key}>
              {SOURCE_WORDS[source]} — {campaign || '(no campaign)'}
            </option>
          );
        })}
      </select>
      <label htmlFor={`${id}-source`}>Protocol</label>
      <select id={`${id}-source`} value={filters.source} onChange={(e) => set({ source: e.target.value as Source | '' })}>
        <option value="">All protocols</option>
        {SOURCES.filter((s) => s !== 'dji').map((s) => (
          <option key={s} value={s}>
            {SOURCE_WORDS[s]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-state`}>State</label>
      <select id={`${id}-state`} value={filters.state} onChange={(e) => set({ state: e.target.value as State | '' })}>
        <option value="">All states</option>
        {STATES.map((s) => (
          <option key={s} value={s}>
            {STATE_WORDS[s]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-device`}>Device</label>
      <input id={`${id}-device`} type="text" placeholder="VIN or device id" value={filters.device} onChange={(e) => set({ device: e.target.value })} />
      <label htmlFor={`${id}-search`} className="sr-only">
        Search vehicles
      </label>
      <input id={`${id}-search`} type="search" placeholder="Search device, campaign, status…" value={filters.search} onChange={(e) => set({ search: e.target.value })} />
    </div>
  );
}

export function VehiclesView() {
  const id = useId();
  const panelId = `${id}-panel`;
  const total = useSlice('vehicles', (s) => s.order.length);
  const shown = useSlice('vehicles', (s) => visibleVehicles(s).length);
  const selected = useSlice('vehicles', (s) => s.filters.campaign);
  return (
    <section className="view view-vehicles" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Vehicles</h2>
      {total === 0 ? (
        <p className="empty">No vehicle has reported yet. Vehicles appear as aktualizr, CarOTA, Edgehog or OEM reports reach this app, or import a capture in the Log view.</p>
      ) : (
        <>
          <CampaignTabs panelId={panelId} />
          <div role="tabpanel" id={panelId} aria-labelledby={tabId(panelId, selected)} className="campaign-panel">
            <StateCounts />
            <Filters />
            <p className="muted small" aria-live="polite">
              {total} vehicle{total === 1 ? '' : 's'}, {shown} shown
            </p>
            <VehicleList />
          </div>
        </>
      )}
    </section>
  );
}
