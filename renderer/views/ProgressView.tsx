// Upgrades by batch, newest first: the batch just started opens the view whole, earlier ended batches are
// folded below their header. One row per device per batch; a retry is the same row's next attempt. The list
// is virtualised: 200 docks ticking every 250 ms re-render only the rows that changed (each row selects its
// own key), only the rows on screen exist, and only running rows listen to the clock.
import { memo, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DJI_STATUSES, type DeviceUpgrade } from '../../preload/api';
import { batchCountsInWords, batchHadProblems, DJI_STATUS_WORDS } from '../../preload/dji-codes';
import { useApi } from '../api-context';
import { ActionsBlocked, useActionGate, type ActionGate } from '../components/ActionsBlocked';
import { KeyedVirtualList } from '../components/KeyedVirtualList';
import { Problem } from '../components/Problem';
import { StateBadge } from '../components/StateBadge';
import { formatClock } from '../lib/format';
import { useSlice, useStores } from '../store/stores';
import { BATCH_ITEM, batchCounts, batchEnded, isOpen, progressItems } from '../store/upgrades-store';
import { SendAnywayDialog } from './SendAnywayDialog';
import { UpgradeRowFigures } from './UpgradeRowFigures';
import { canCancel, canRelease, canRetry, endWords, gatesToOverride, heldWords, STATUS_TONE, statusWords } from './upgrade-row-words';

export const ROW_HEIGHT = 118;

type RowAction = 'upgrade.cancel' | 'upgrade.retry' | 'upgrade.release';

function RowActions({ rowKey, gate }: { rowKey: string; gate: ActionGate }) {
  const api = useApi();
  const row = useSlice('upgrades', (s) => s.byKey[rowKey]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [overriding, setOverriding] = useState(false);
  if (!row) return null;
  const act = (name: RowAction, force = false) => {
    setError(null);
    setBusy(true);
    api
      .call(name, name === 'upgrade.release' ? { key: row.key, force } : { key: row.key })
      .then(() => setOverriding(false))
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };
  const off = busy || gate.blocked !== undefined;
  const overridable = gatesToOverride(row);
  const button = (label: string, onClick: () => void, show: boolean, className?: string) =>
    show ? (
      <button type="button" className={className} aria-label={`${label} ${row.sn}`} aria-describedby={gate.describedBy} disabled={off} onClick={onClick}>
        {label}
      </button>
    ) : null;
  return (
    <div className="row-actions">
      {button('Release', () => act('upgrade.release'), canRelease(row))}
      {button('Send anyway', () => setOverriding(true), overridable.length > 0, 'danger-outline')}
      {button('Cancel', () => act('upgrade.cancel'), canCancel(row))}
      {button('Retry', () => act('upgrade.retry'), canRetry(row))}
      <Problem message={error} look="inline" />
      {overriding ? <SendAnywayDialog row={row} gates={overridable} busy={busy} blocked={gate.blocked} onCancel={() => setOverriding(false)} onConfirm={() => act('upgrade.release', true)} /> : null}
    </div>
  );
}

export const UpgradeRow = memo(function UpgradeRow({ rowKey, gate }: { rowKey: string; gate?: ActionGate }) {
  const row = useSlice('upgrades', (s) => s.byKey[rowKey]);
  const ownGate = useActionGate('broker');
  if (!row) return null;
  const ended = endWords(row);
  const held = heldWords(row);
  const alert = row.alerts?.at(-1);
  return (
    <div className={`upgrade-row status-${row.status}`}>
      <div className="row-id">
        <span className="mono strong keep">{row.sn}</span>
        <span className="muted small">
          {row.model ?? ''}
          {row.gateway !== row.sn ? ` via ${row.gateway}` : ''}
        </span>
        <span className="small file-name keep">{row.fileName}</span>
        <span className="small">
          {row.attempt !== undefined && row.attempt > 1 ? <span className="attempt">attempt {row.attempt}</span> : null}
          {row.canary ? <StateBadge tone="busy">canary</StateBadge> : null}
        </span>
      </div>
      <UpgradeRowFigures row={row} />
      <div className="row-state">
        <StateBadge tone={STATUS_TONE[row.status]}>{statusWords(row)}</StateBadge>
        {ended ? <p className={`small ${row.status === 'ok' ? '' : row.status === 'not_verified' ? 'text-doubt' : 'text-bad'}`}>{ended}</p> : null}
        {held ? <p className="small text-warn">{held}</p> : null}
        {row.overrides?.length ? <p className="small text-warn">Sent despite failed gates, as confirmed</p> : null}
        {alert ? (
          <p className="small text-warn" title={row.alerts!.map((a) => a.words).join('\n')}>
            Health alert: {alert.words}
            {row.alerts!.length > 1 ? ` (+${row.alerts!.length - 1} more)` : ''}
          </p>
        ) : null}
      </div>
      <RowActions rowKey={rowKey} gate={gate ?? ownGate} />
    </div>
  );
});

/** The batch's retryable devices, one per task: a retry restarts the whole ota_create of a dock and its aircraft. */
function retryableKeys(rows: readonly DeviceUpgrade[]): string[] {
  const tasks = new Set<string>();
  return rows
    .filter((row) => {
      if (!canRetry(row)) return false;
      const task = row.bid ?? row.tid;
      if (tasks.has(task)) return false;
      tasks.add(task);
      return true;
    })
    .map((row) => row.key);
}

function BatchHeader({ batchId, gate }: { batchId: string; gate: ActionGate }) {
  const api = useApi();
  const stores = useStores();
  const rows = useSlice(
    'upgrades',
    useShallow((s) => (s.batchRows[batchId] ?? []).map((k) => s.byKey[k]!).filter(Boolean)),
  );
  const counts = useSlice(
    'upgrades',
    useShallow((s) => batchCounts(s, batchId)),
  );
  const open = useSlice('upgrades', (s) => isOpen(s, batchId));
  const current = useSlice('upgrades', (s) => s.batchOrder[0] === batchId);
  const ended = useSlice('upgrades', (s) => batchEnded(s, batchId));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const first = rows[0];
  const started = rows.reduce((min, r) => (r.startedAt < min ? r.startedAt : min), first?.startedAt ?? '');
  const retryable = retryableKeys(rows);
  const retryAll = async () => {
    setBusy(true);
    setError(null);
    const failures: string[] = [];
    for (const key of retryable) {
      try {
        await api.call('upgrade.retry', { key });
      } catch (e) {
        failures.push((e as Error).message);
      }
    }
    setBusy(false);
    if (failures.length) setError(failures.join('; '));
    stores.upgrades.getState().focusBatch(batchId);
  };
  const files = [...new Set(rows.map((r) => r.fileName))];
  return (
    <div className={`batch-head${current ? ' current' : ''}`}>
      <div className="batch-title">
        <h3>
          {current ? 'Current batch' : 'Batch'} · started {formatClock(started)} · {rows.length} device{rows.length === 1 ? '' : 's'}
        </h3>
        <p className="small muted">
          {files.join(', ')}
          {first?.site ? ` · ${first.site}` : ''}
          {first?.technician ? ` · ${first.technician}` : ''}
          {ended ? ' · ended' : ''}
        </p>
      </div>
      <ul className="totals" aria-label={`Devices by state, batch of ${formatClock(started)}`}>
        {DJI_STATUSES.filter((s) => counts[s]).map((s) => (
          <li key={s}>
            <StateBadge tone={STATUS_TONE[s]}>
              {counts[s]} {DJI_STATUS_WORDS[s].toLowerCase()}
            </StateBadge>
          </li>
        ))}
      </ul>
      <div className="batch-actions">
        {retryable.length > 0 ? (
          <button type="button" disabled={busy || gate.blocked !== undefined} aria-describedby={gate.describedBy} onClick={() => void retryAll()}>
            {busy ? 'Retrying…' : `Retry all failed (${retryable.length})`}
          </button>
        ) : null}
        <button type="button" className="quiet" aria-expanded={open} onClick={() => stores.upgrades.getState().setOpen(batchId, !open)}>
          {open ? 'Hide devices' : `Show ${rows.length} device${rows.length === 1 ? '' : 's'}`}
        </button>
      </div>
      <Problem message={error} look="inline" />
    </div>
  );
}

/** How the current batch ended, said once; a new batch takes its place. */
function CurrentBatchBanner() {
  const current = useSlice('upgrades', (s) => s.batchOrder[0]);
  const counts = useSlice(
    'upgrades',
    useShallow((s) => (current ? batchCounts(s, current) : {})),
  );
  const ended = useSlice('upgrades', (s) => (current ? batchEnded(s, current) : false));
  if (!current || !ended) return null;
  const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  const problems = batchHadProblems(counts);
  return (
    <div className={`banner ${problems ? 'banner-bad' : 'banner-ok'}`} role="status">
      <p>
        <strong>{problems ? 'Batch finished with problems' : 'Batch finished'}:</strong> {total} device{total === 1 ? '' : 's'} — {batchCountsInWords(counts) || 'no results'}.
      </p>
    </div>
  );
}

export function ProgressList({ gate }: { gate: ActionGate }) {
  const items = useSlice('upgrades', useShallow(progressItems));
  const focus = useSlice('upgrades', (s) => s.focus);
  const scrollTo = focus ? { key: BATCH_ITEM + focus.batchId, nonce: focus.nonce } : undefined;
  return (
    <KeyedVirtualList
      keys={items}
      label="Upgrades"
      rowHeight={ROW_HEIGHT}
      measured
      scrollTo={scrollTo}
      renderRow={(key) => (key.startsWith(BATCH_ITEM) ? <BatchHeader batchId={key.slice(BATCH_ITEM.length)} gate={gate} /> : <UpgradeRow rowKey={key} gate={gate} />)}
    />
  );
}

export function ProgressView() {
  const id = useId();
  const count = useSlice('upgrades', (s) => s.order.length);
  const gate = useActionGate('broker');
  return (
    <section className="view view-progress" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Progress</h2>
      <ActionsBlocked gate={gate} />
      <CurrentBatchBanner />
      {count === 0 ? <p className="empty">No upgrade has started yet. Choose firmware and devices in the Upgrade view.</p> : <ProgressList gate={gate} />}
    </section>
  );
}
