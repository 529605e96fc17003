// Choose the firmware, the devices and the upgrade type, then confirm what will happen.
import { useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CallResponse, UpgradeType } from '../../preload/api';
import { useApi } from '../api-context';
import { Dialog } from '../components/Dialog';
import { StateBadge } from '../components/StateBadge';
import { formatBytes } from '../lib/format';
import { useSlice, useStores } from '../store/stores';
import { planUpgrade } from './upgrade-plan';
import { Problem } from '../components/Problem';

const TYPE_WORDS: Record<UpgradeType, { label: string; help: string }> = {
  regular: { label: 'Regular upgrade', help: 'Installs this firmware on the selected devices.' },
  consistency: { label: 'Consistency upgrade', help: 'Brings a dock and its aircraft to matching versions; only when the device asks for it.' },
};

export function UpgradeView() {
  const api = useApi();
  const id = useId();
  const stores = useStores();
  const ui = stores.ui.getState();
  const firmwareOrder = useSlice('firmware', (s) => s.order);
  const firmwareById = useSlice('firmware', (s) => s.byId);
  const firmwareId = useSlice('ui', (s) => s.firmwareId);
  const type = useSlice('ui', (s) => s.upgradeType);
  const selectedMap = useSlice('ui', (s) => s.selected);
  const deviceOrder = useSlice('devices', (s) => s.order);
  const devices = useSlice('devices', (s) => s.bySn);
  const selected = useMemo(() => deviceOrder.filter((sn) => selectedMap[sn]).concat(Object.keys(selectedMap).filter((sn) => !devices[sn])), [deviceOrder, selectedMap, devices]);
  const usable = useSlice('firmware', useShallow((s) => s.order.filter((fid) => !s.byId[fid]?.error)));
  const firmware = firmwareId ? firmwareById[firmwareId] : undefined;
  const plan = planUpgrade(firmware, selected, devices);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CallResponse<'upgrade.start'> | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const start = async () => {
    if (!firmware) return;
    setBusy(true);
    setFailure(null);
    try {
      const res = await api.call('upgrade.start', { firmwareId: firmware.id, devices: selected, type });
      setResult(res);
      setConfirming(false);
      if (res.accepted.length > 0) ui.setView('Progress');
    } catch (e) {
      setFailure((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="view" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Upgrade</h2>
      <div className="upgrade-grid">
        <div className="panel">
          <h3>Firmware</h3>
          <label htmlFor={`${id}-fw`}>Firmware file</label>
          <select id={`${id}-fw`} value={firmwareId ?? ''} onChange={(e) => ui.setFirmwareId(e.target.value || undefined)}>
            <option value="">Choose a firmware file…</option>
            {usable.map((fid) => {
              const f = firmwareById[fid]!;
              return (
                <option key={fid} value={fid}>
                  {f.fileName} — {f.version ?? 'version unknown'}
                  {f.hashing ? ' (hashing)' : ''}
                </option>
              );
            })}
          </select>
          {firmwareOrder.length === 0 ? <p className="muted">Add firmware in the Firmware view first.</p> : null}
          {firmware ? (
            <dl className="facts">
              <dt>Size</dt>
              <dd>{formatBytes(firmware.size)}</dd>
              <dt>MD5</dt>
              <dd className="mono">{firmware.md5 ?? 'computing…'}</dd>
              <dt>Version</dt>
              <dd className="mono">{firmware.version ?? 'unknown'}</dd>
            </dl>
          ) : null}

          <fieldset className="radio-group">
            <legend>Upgrade type</legend>
            {(Object.keys(TYPE_WORDS) as UpgradeType[]).map((t) => (
              <label key={t} className="radio">
                <input type="radio" name={`${id}-type`} value={t} checked={type === t} onChange={() => ui.setUpgradeType(t)} />
                <span>
                  {TYPE_WORDS[t].label}
                  <span className="muted help">{TYPE_WORDS[t].help}</span>
                </span>
              </label>
            ))}
          </fieldset>
        </div>

        <div className="panel">
          <fieldset className="device-picks">
            <legend>
              Devices <span className="muted">({selected.length} selected)</span>
            </legend>
            {deviceOrder.length === 0 ? <p className="muted">No device has reported yet.</p> : null}
            <ul className="checklist">
              {deviceOrder.map((sn) => {
                const d = devices[sn]!;
                return (
                  <li key={sn}>
                    <label className="check">
                      <input type="checkbox" checked={selectedMap[sn] === true} onChange={(e) => ui.setSelected([sn], e.target.checked)} aria-label={sn} />
                      <span className="mono">{sn}</span>
                      <span className="muted">
                        {d.model} · {d.firmwareVersion ?? 'version unknown'}
                      </span>
                      {d.online ? null : <StateBadge tone="idle">Offline</StateBadge>}
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
        </div>
      </div>

      {plan.blockers.length > 0 ? (
        <ul className="blockers" aria-label="Before you can upgrade">
          {plan.blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      ) : null}
      {failure && !confirming ? (
        <p className="notice notice-bad" role="alert">
          {failure}
        </p>
      ) : null}
      {result ? (
        <div className="notice" role="status">
          <p>
            Started batch {result.batchId}: {result.accepted.length} device{result.accepted.length === 1 ? '' : 's'} accepted.
          </p>
          {result.refused.length > 0 ? (
            <ul>
              {result.refused.map((r) => (
                <li key={r.sn}>
                  <span className="mono">{r.sn}</span> refused: {r.reason}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div className="actions">
        <button type="button" className="primary big" disabled={plan.blockers.length > 0} onClick={() => (setFailure(null), setResult(null), setConfirming(true))}>
          Upgrade
        </button>
      </div>

      {confirming && firmware ? (
        <Dialog
          title="Confirm upgrade"
          onCancel={() => setConfirming(false)}
          actions={
            <>
              <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
                Cancel
              </button>
              <button type="button" className={plan.downgrades.length ? 'danger' : 'primary'} data-autofocus onClick={() => void start()} disabled={busy}>
                {busy ? 'Starting…' : 'Start upgrade'}
              </button>
            </>
          }
        >
          <p>
            {TYPE_WORDS[type].label} of {plan.devices.length} device{plan.devices.length === 1 ? '' : 's'} with <span className="mono">{firmware.fileName}</span> ({formatBytes(firmware.size)}, MD5{' '}
            <span className="mono">{firmware.md5}</span>).
          </p>
          <ul className="plan" aria-label="Devices to upgrade">
            {plan.devices.map((d) => (
              <li key={d.sn} className={d.downgrade ? 'text-bad' : undefined}>
                <span className="mono">{d.sn}</span> ({d.model}): <span className="mono">{d.from ?? 'unknown'}</span> → <span className="mono">{d.to}</span>
                {d.downgrade ? ' (older)' : ''}
                {d.online ? '' : ' — offline now'}
              </li>
            ))}
          </ul>
          {plan.downgrades.length > 0 ? (
            <p className="notice notice-bad" role="alert">
              Downgrade warning: version {firmware.version} is older than what {plan.downgrades.map((d) => `${d.sn} (${d.from})`).join(', ')} run{plan.downgrades.length === 1 ? 's' : ''} now.
            </p>
          ) : null}
          <Problem message={failure} />
        </Dialog>
      ) : null}
    </section>
  );
}
