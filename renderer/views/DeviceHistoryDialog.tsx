// Every past upgrade of one device, from the journal (devices.history): when, from → to, the result in
// words, how long it took, the bytes served, site and technician, and any gate sent despite.
import { useEffect, useState } from 'react';
import type { DeviceHistoryEntry } from '../../preload/api';
import { useApi } from '../api-context';
import { Dialog } from '../components/Dialog';
import { Problem } from '../components/Problem';
import { StateBadge } from '../components/StateBadge';
import { formatBytes, formatDuration, formatTime } from '../lib/format';
import { STATUS_TONE } from './upgrade-row-words';

export function DeviceHistoryDialog({ sn, onClose }: { sn: string; onClose: () => void }) {
  const api = useApi();
  const [entries, setEntries] = useState<DeviceHistoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.call('devices.history', { sn }).then(
      (h) => live && setEntries([...h].reverse()),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [api, sn]);
  return (
    <Dialog
      title={`Upgrade history of ${sn}`}
      onCancel={onClose}
      actions={
        <button type="button" data-autofocus onClick={onClose}>
          Close
        </button>
      }
    >
      <Problem message={error} />
      {entries === null && !error ? <p className="muted">Reading the journal…</p> : null}
      {entries?.length === 0 ? <p className="muted">No upgrade of {sn} in this journal.</p> : null}
      {entries && entries.length > 0 ? (
        <table className="table history-table">
          <caption className="sr-only">Upgrades of {sn}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Version</th>
              <th scope="col">Result</th>
              <th scope="col">Took</th>
              <th scope="col">Served</th>
              <th scope="col">Site, technician</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={`${e.startedAt}-${e.attempt ?? 1}`}>
                <td>
                  <time dateTime={e.startedAt}>{formatTime(e.startedAt)}</time>
                  {e.attempt && e.attempt > 1 ? <span className="muted small block">attempt {e.attempt}</span> : null}
                </td>
                <td>
                  <span className="mono">{e.fromVersion ?? 'unknown'}</span> → <span className="mono">{e.toVersion}</span>
                  <span className="muted small block file-name">{e.fileName}</span>
                </td>
                <td>
                  <StateBadge tone={STATUS_TONE[e.status]}>{e.result}</StateBadge>
                  {e.overrides?.length ? <span className="small text-warn block">sent despite failed gates: {e.overrides.join(', ')}</span> : null}
                </td>
                <td>{formatDuration(e.durationSeconds)}</td>
                <td>{formatBytes(e.bytesServed)}</td>
                <td>{[e.site, e.technician].filter(Boolean).join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Dialog>
  );
}
