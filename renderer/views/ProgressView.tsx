// One row per device of every batch, virtualised: 200 docks ticking every 250 ms re-render only the
// rows that changed (each row selects its own key) and only the rows on screen exist at all.
import { memo, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DJI_STATUSES, type DjiStatus } from '../../preload/api';
import { batchCountsInWords, batchHadProblems, DJI_STATUS_WORDS } from '../../preload/dji-codes';
import { useApi } from '../api-context';
import { KeyedVirtualList } from '../components/KeyedVirtualList';
import { ProgressBar } from '../components/ProgressBar';
import { StateBadge } from '../components/StateBadge';
import { formatBytes, formatDuration, formatSpeed, secondsBetween } from '../lib/format';
import { useSlice, useStores } from '../store/stores';
import { canCancel, canRetry, endWords, STATUS_TONE, statusWords, stepWords } from './upgrade-row-words';
import { Problem } from '../components/Problem';

export const ROW_HEIGHT = 96;

export const UpgradeRow = memo(function UpgradeRow({ rowKey }: { rowKey: string }) {
  const api = useApi();
  const row = useSlice('upgrades', (s) => s.byKey[rowKey]);
  const [error, setError] = useState<string | null>(null);
  if (!row) return null;
  const ended = endWords(row);
  const elapsed = secondsBetween(row.startedAt, row.endedAt ?? row.updatedAt);
  const act = (name: 'upgrade.cancel' | 'upgrade.retry') => {
    setError(null);
    api.call(name, { key: row.key }).catch((e: Error) => setError(e.message));
  };
  const tone = STATUS_TONE[row.status];
  const barTone = tone === 'ok' || tone === 'bad' || tone === 'doubt' || tone === 'idle' ? tone : 'busy';
  const alert = row.alerts?.at(-1);
  return (
    <div className={`upgrade-row status-${row.status}`}>
      <div className="row-id">
        <span className="mono strong">{row.sn}</span>
        <span className="muted small">{row.gateway !== row.sn ? `via ${row.gateway} · ` : ''}{row.fileName}</span>
        {row.attempt !== undefined && row.attempt > 1 ? <span className="muted small">attempt {row.attempt}</span> : null}
      </div>
      <div className="row-progress">
        <div className="row-step">
          <span>{stepWords(row)}</span>
          <span className="mono">{Math.round(row.percent)}%</span>
        </div>
        <ProgressBar value={row.percent} label={`${row.sn} upgrade progress`} valueText={`${Math.round(row.percent)}% — ${stepWords(row)}`} tone={barTone} />
        <div className="row-numbers small">
          <span>
            {formatBytes(row.bytesServed)} of {formatBytes(row.fileSize)} served
          </span>
          <span>{formatSpeed(row.speed)}</span>
          <span>ETA {ended ? '—' : formatDuration(row.etaSeconds)}</span>
          <span>Elapsed {formatDuration(elapsed)}</span>
        </div>
      </div>
      <div className="row-state">
        <StateBadge tone={STATUS_TONE[row.status]}>{statusWords(row)}</StateBadge>
        {ended ? <p className={`small ${row.status === 'ok' ? '' : row.status === 'not_verified' ? 'text-doubt' : 'text-bad'}`}>{ended}</p> : null}
        {alert ? (
          <p className="small text-warn" title={row.alerts!.map((a) => a.words).join('\n')}>
            Health alert: {alert.words}
            {row.alerts!.length > 1 ? ` (+${row.alerts!.length - 1} more)` : ''}
          </p>
        ) : null}
        <Problem message={error} look="inline" />
      </div>
      <div className="row-actions">
        {canCancel(row) ? (
          <button type="button" aria-label={`Cancel ${row.sn}`} onClick={() => act('upgrade.cancel')}>
            Cancel
          </button>
        ) : null}
        {canRetry(row) ? (
          <button type="button" aria-label={`Retry ${row.sn}`} onClick={() => act('upgrade.retry')}>
            Retry
          </button>
        ) : null}
      </div>
    </div>
  );
});

function Totals() {
  const counts = useSlice(
    'upgrades',
    useShallow((s) => {
      const c: Partial<Record<DjiStatus, number>> = {};
      for (const key of s.order) {
        const status = s.byKey[key]?.status;
        if (status) c[status] = (c[status] ?? 0) + 1;
      }
      return c;
    }),
  );
  const present = DJI_STATUSES.filter((s) => counts[s]);
  if (present.length === 0) return null;
  return (
    <ul className="totals" aria-label="Totals by state">
      {present.map((s) => (
        <li key={s}>
          <StateBadge tone={STATUS_TONE[s]}>
            {counts[s]} {DJI_STATUS_WORDS[s].toLowerCase()}
          </StateBadge>
        </li>
      ))}
    </ul>
  );
}

function BatchBanner() {
  const batch = useSlice('upgrades', (s) => s.endedBatch);
  const dismiss = useStores().upgrades.getState().dismissBanner;
  if (!batch) return null;
  const problems = batchHadProblems(batch.counts);
  return (
    <div className={`banner ${problems ? 'banner-bad' : 'banner-ok'}`} role="status">
      <p>
        <strong>{problems ? 'Batch finished with problems' : 'Batch finished'}:</strong> {batch.total} device{batch.total === 1 ? '' : 's'} — {batchCountsInWords(batch.counts) || 'no results'}.
      </p>
      <button type="button" className="quiet" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}

export function ProgressList() {
  const order = useSlice('upgrades', (s) => s.order);
  return <KeyedVirtualList keys={order} label="Upgrades" rowHeight={ROW_HEIGHT} renderRow={(key) => <UpgradeRow rowKey={key} />} />;
}

export function ProgressView() {
  const id = useId();
  const count = useSlice('upgrades', (s) => s.order.length);
  return (
    <section className="view view-progress" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Progress</h2>
      <BatchBanner />
      <Totals />
      {count === 0 ? <p className="empty">No upgrade has started yet. Choose firmware and devices in the Upgrade view.</p> : <ProgressList />}
    </section>
  );
}
