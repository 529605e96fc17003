// Every dock and drone that reported, with a checkbox per row for the Upgrade view and its upgrade history.
import { useId, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { StateBadge } from '../components/StateBadge';
import { formatTime } from '../lib/format';
import { useSlice, useStores } from '../store/stores';
import { DeviceHistoryDialog } from './DeviceHistoryDialog';
import { matchesSearch } from './device-filter';

const KIND_WORDS = { dock: 'Dock', drone: 'Drone', rc: 'Remote controller', payload: 'Payload', unknown: 'Device' } as const;

function DeviceRow({ sn }: { sn: string }) {
  const device = useSlice('devices', (s) => s.bySn[sn]);
  const selected = useSlice('ui', (s) => s.selected[sn] === true);
  const { setSelected, setHistoryOf: openHistory } = useStores().ui.getState();
  if (!device) return null;
  return (
    <tr className={selected ? 'selected' : undefined}>
      <td className="cell-check">
        <input type="checkbox" aria-label={device.sn} checked={selected} onChange={(e) => setSelected([device.sn], e.target.checked)} />
      </td>
      <td className="mono keep">{device.sn}</td>
      <td>
        {device.model}
        <span className="muted"> · {KIND_WORDS[device.kind]}</span>
        {device.gateway !== device.sn ? <span className="muted"> · via {device.gateway}</span> : null}
      </td>
      <td className="mono keep">{device.firmwareVersion ?? <span className="muted">unknown</span>}</td>
      <td>{device.online ? <StateBadge tone="ok">Online</StateBadge> : <StateBadge tone="idle">Offline</StateBadge>}</td>
      <td>{device.mode ?? '—'}</td>
      <td>
        <time className="keep" dateTime={device.lastSeen}>
          {formatTime(device.lastSeen)}
        </time>
      </td>
      <td>
        <button type="button" className="quiet" aria-label={`History of ${device.sn}`} onClick={() => openHistory(device.sn)}>
          History
        </button>
      </td>
    </tr>
  );
}

export function DevicesView() {
  const id = useId();
  const stores = useStores();
  const search = useSlice('ui', (s) => s.search);
  const order = useSlice('devices', (s) => s.order);
  const bySn = useSlice('devices', (s) => s.bySn);
  const visible = useMemo(() => order.filter((sn) => bySn[sn] && matchesSearch(bySn[sn], search)), [order, bySn, search]);
  const selectedVisible = useSlice(
    'ui',
    useShallow((s) => visible.filter((sn) => s.selected[sn])),
  );
  const selectedCount = useSlice('ui', (s) => Object.keys(s.selected).length);
  const allChecked = visible.length > 0 && selectedVisible.length === visible.length;
  const { setSearch, setSelected, setHistoryOf } = stores.ui.getState();
  const historyOf = useSlice('ui', (s) => s.historyOf);

  return (
    <section className="view" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Devices</h2>
      <div className="toolbar">
        <label htmlFor={`${id}-search`} className="sr-only">
          Search devices
        </label>
        <input id={`${id}-search`} type="search" placeholder="Search by SN, model, version…" value={search} onChange={(e) => setSearch(e.target.value)} />
        <p className="muted" aria-live="polite">
          {order.length} device{order.length === 1 ? '' : 's'}
          {search ? `, ${visible.length} shown` : ''}, {selectedCount} selected
        </p>
      </div>
      {order.length === 0 ? (
        <p className="empty">No device has reported yet. Point the dock at the broker on the Connection view; docks appear as they send their status.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col" className="cell-check">
                  <input
                    type="checkbox"
                    aria-label="Select all"
                    checked={allChecked}
                    ref={(el) => {
                      if (el) el.indeterminate = selectedVisible.length > 0 && !allChecked;
                    }}
                    onChange={(e) => setSelected(visible, e.target.checked)}
                  />
                </th>
                <th scope="col">SN</th>
                <th scope="col">Model</th>
                <th scope="col">Firmware</th>
                <th scope="col">Online</th>
                <th scope="col">Mode</th>
                <th scope="col">Last seen</th>
                <th scope="col">
                  <span className="sr-only">Upgrade history</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {visible.map((sn) => (
                <DeviceRow key={sn} sn={sn} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {historyOf ? <DeviceHistoryDialog sn={historyOf} onClose={() => setHistoryOf(undefined)} /> : null}
    </section>
  );
}
