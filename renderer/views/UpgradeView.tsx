// Choose the firmware, the devices (a file per device or per model where they differ), the upgrade type,
// the rollout and the job; then confirm what the host says will happen to each device. Once sent, the
// selection clears, so nothing is sent twice by accident, and the view moves to the batch just started.
import { useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CallRequest, CallResponse, UpgradeType } from '../../preload/api';
import { useApi } from '../api-context';
import { ActionsBlocked, useActionGate } from '../components/ActionsBlocked';
import { Problem } from '../components/Problem';
import { StateBadge } from '../components/StateBadge';
import { duplicatesOf } from '../lib/firmware-duplicates';
import { formatBytes } from '../lib/format';
import { useSlice, useStores } from '../store/stores';
import { TYPE_WORDS, UpgradeConfirmDialog } from './UpgradeConfirmDialog';
import { UpgradeFilesPanel } from './UpgradeFilesPanel';
import { planUpgrade } from './upgrade-plan';
import { readRollout } from './upgrade-rollout';

/** Ask once, on the technician's own press, whether this browser may say when a batch ends. */
function askToNotify(): void {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission().catch(() => undefined);
}

function RolloutAndJob() {
  const id = useId();
  const ui = useStores().ui.getState();
  const rollout = useSlice('ui', (s) => s.rollout);
  const job = useSlice('ui', (s) => s.job);
  const number = (name: keyof typeof rollout, label: string, help: string) => (
    <div>
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input id={`${id}-${name}`} type="text" inputMode="numeric" placeholder={help} value={rollout[name]} onChange={(e) => ui.setRollout({ [name]: e.target.value })} />
    </div>
  );
  return (
    <section className="panel form" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Rollout and job</h3>
      <div className="form-row three">
        {number('canary', 'Canary docks first', '0: none')}
        {number('maxParallel', 'At most at once', 'empty: no limit')}
        {number('stopAfterFailures', 'Stop after failures', 'empty: never')}
      </div>
      <p className="muted small">Canary docks go first; the rest wait until every canary is verified. Held devices can be released or canceled in Progress.</p>
      <div className="form-row">
        <div>
          <label htmlFor={`${id}-site`}>Site</label>
          <input id={`${id}-site`} type="text" maxLength={200} value={job.site} onChange={(e) => ui.setJob({ site: e.target.value })} />
        </div>
        <div>
          <label htmlFor={`${id}-technician`}>Technician</label>
          <input id={`${id}-technician`} type="text" maxLength={200} value={job.technician} onChange={(e) => ui.setJob({ technician: e.target.value })} />
        </div>
      </div>
    </section>
  );
}

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
  const packages = useSlice('ui', (s) => s.packages);
  const rolloutFields = useSlice('ui', (s) => s.rollout);
  const job = useSlice('ui', (s) => s.job);
  const deviceOrder = useSlice('devices', (s) => s.order);
  const devices = useSlice('devices', (s) => s.bySn);
  const selected = useMemo(() => deviceOrder.filter((sn) => selectedMap[sn]).concat(Object.keys(selectedMap).filter((sn) => !devices[sn])), [deviceOrder, selectedMap, devices]);
  const usable = useSlice(
    'firmware',
    useShallow((s) => s.order.filter((fid) => !s.byId[fid]?.error)),
  );
  const usableFiles = usable.map((fid) => firmwareById[fid]!);
  const duplicates = duplicatesOf(firmwareOrder.map((fid) => firmwareById[fid]!).filter(Boolean));
  const firmware = firmwareId ? firmwareById[firmwareId] : undefined;
  const local = planUpgrade(firmwareById, firmwareId, selected, packages, devices);
  const rollout = readRollout(rolloutFields);
  const blockers = [...local.blockers, ...rollout.problems];
  const gate = useActionGate('broker');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CallResponse<'upgrade.start'> | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const askingFor = selected.filter((sn) => devices[sn]?.telemetry?.compatibleStatus === 1);

  const own = local.devices.filter((d) => d.firmwareId && d.firmwareId !== firmwareId);
  const planRequest: CallRequest<'upgrade.plan'> = {
    firmwareId: firmwareId ?? local.devices[0]?.firmwareId ?? '',
    devices: selected,
    type,
    ...(own.length ? { packages: own.map((d) => ({ sn: d.sn, firmwareId: d.firmwareId! })) } : {}),
  };
  const duplicateWords = local.files.flatMap((f) => {
    const others = duplicates.get(f.id);
    return others ? [`${f.fileName} was added more than once (same MD5 as ${others.map((o) => firmwareById[o]?.fileName ?? o).join(', ')}): it is one file.`] : [];
  });
  const jobWords = [job.site.trim() && `Site: ${job.site.trim()}.`, job.technician.trim() && `Technician: ${job.technician.trim()}.`].filter(Boolean).join(' ');

  const start = async (force: string[]) => {
    setBusy(true);
    setFailure(null);
    askToNotify();
    try {
      const res = await api.call('upgrade.start', {
        ...planRequest,
        ...(force.length ? { force } : {}),
        ...(rollout.rollout ? { rollout: rollout.rollout } : {}),
        ...(job.site.trim() ? { site: job.site.trim() } : {}),
        ...(job.technician.trim() ? { technician: job.technician.trim() } : {}),
      });
      setResult(res);
      setConfirming(false);
      if (res.accepted.length > 0) {
        ui.clearUpgradeChoice();
        stores.upgrades.getState().focusBatch(res.batchId);
        ui.setView('Progress');
      }
    } catch (e) {
      setFailure((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="view" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Upgrade</h2>
      <ActionsBlocked gate={gate} />
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
                  {duplicates.has(fid) ? ' (added twice)' : ''}
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
          {firmware && duplicates.has(firmware.id) ? (
            <p className="notice notice-warn small">
              The same file (same MD5) was added more than once:{' '}
              {duplicates
                .get(firmware.id)!
                .map((o) => firmwareById[o]?.fileName ?? o)
                .join(', ')}
              . Remove the copies in the Firmware view.
            </p>
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
            {askingFor.length > 0 ? (
              <p className="notice small">
                {askingFor.join(', ')} {askingFor.length === 1 ? 'asks' : 'ask'} for a consistency upgrade.
              </p>
            ) : null}
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
                      <span className="mono keep">{sn}</span>
                      <span className="muted">
                        {d.model} · <span className="mono keep">{d.firmwareVersion ?? 'version unknown'}</span>
                      </span>
                      {d.online ? null : <StateBadge tone="idle">Offline</StateBadge>}
                      {d.telemetry?.compatibleStatus === 1 ? <StateBadge tone="warn">asks for consistency</StateBadge> : null}
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
        </div>
      </div>
      <UpgradeFilesPanel selected={selected} files={usableFiles} />
      <RolloutAndJob />

      {blockers.length > 0 ? (
        <ul className="blockers" aria-label="Before you can upgrade">
          {blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      ) : null}
      {failure && !confirming ? <Problem message={failure} /> : null}
      {result && result.accepted.length === 0 ? (
        <div className="notice" role="status">
          <p>Nothing was sent.</p>
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
        <button
          type="button"
          className="primary big"
          disabled={blockers.length > 0 || gate.blocked !== undefined}
          aria-describedby={gate.describedBy}
          onClick={() => (setFailure(null), setResult(null), setConfirming(true))}
        >
          Upgrade
        </button>
      </div>

      {confirming ? (
        <UpgradeConfirmDialog
          request={planRequest}
          local={local}
          rolloutWords={rollout.words}
          jobWords={jobWords}
          duplicateWords={duplicateWords}
          gate={gate}
          busy={busy}
          failure={failure}
          onCancel={() => setConfirming(false)}
          onStart={(force) => void start(force)}
        />
      ) : null}
    </section>
  );
}
