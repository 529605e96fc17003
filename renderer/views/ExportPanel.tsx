// Exports of the log for the customer: CSV, JSON Lines, and the readable report carrying the site and
// technician (the job's, shared with the Upgrade view), customer and notes typed here. Each export streams
// on the host with a progress bar here; when it is written, the web host offers it for download and the
// desktop app says where it is on disk.
import { useId, useState } from 'react';
import type { ExportProgress, ExportRequest } from '../../preload/api';
import { useApi } from '../api-context';
import { ProgressBar } from '../components/ProgressBar';
import { exportPercent, type ExportFormat } from '../store/export-store';
import { useSlice, useStores } from '../store/stores';
import { fromLocalInput } from './LogViewFilters';
import { Problem } from '../components/Problem';

export const FORMAT_WORDS: Readonly<Record<ExportFormat, string>> = { csv: 'CSV', jsonl: 'JSONL', html: 'Report' };

interface Fields {
  site: string;
  technician: string;
  customer: string;
  notes: string;
  since: string;
  device: string;
}

const EMPTY: Fields = { site: '', technician: '', customer: '', notes: '', since: '', device: '' };

/** This window's time zone: the report's times are the technician's (and the customer's at the site). */
function pageTimeZone(): string | undefined {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
}

export function exportRequest(format: ExportFormat, f: Fields, timeZone = pageTimeZone()): ExportRequest {
  const since = fromLocalInput(f.since);
  const text = { site: f.site.trim(), technician: f.technician.trim(), customer: f.customer.trim(), notes: f.notes.trim(), device: f.device.trim() };
  return {
    format,
    ...(since ? { since } : {}),
    ...(format === 'html' && timeZone ? { timeZone } : {}),
    ...Object.fromEntries(Object.entries(text).filter(([, v]) => v !== '')),
  };
}

function ExportRow({ exportId }: { exportId: string }) {
  const api = useApi();
  const p = useSlice('exports', (s) => s.byId[exportId]) as ExportProgress;
  const words = FORMAT_WORDS[p.format];
  const percent = exportPercent(p);
  const where = () => {
    if (p.error) {
      return (
        <p className="small text-bad" role="alert">
          {p.error}
        </p>
      );
    }
    if (!p.fileName) return <p className="small muted">{p.total > 0 ? `${p.done} of ${p.total} events written` : 'Starting…'}</p>;
    if (api.hostKind === 'web' && p.url) {
      return (
        <p className="small">
          <a href={p.url} download={p.fileName}>
            Download {p.fileName}
          </a>
        </p>
      );
    }
    return (
      <p className="small">
        Saved to <span className="mono">{p.path ?? p.fileName}</span>
      </p>
    );
  };
  return (
    <li className="export-row">
      <span className="strong">{words} export</span>
      <ProgressBar value={percent} label={`${words} export progress`} valueText={p.fileName ? 'written' : `${p.done} of ${p.total} events`} tone={p.error ? 'bad' : p.fileName ? 'ok' : 'busy'} />
      {where()}
    </li>
  );
}

export function ExportPanel() {
  const id = useId();
  const api = useApi();
  const stores = useStores();
  const order = useSlice('exports', (s) => s.order);
  const [own, setOwn] = useState<Fields>(EMPTY);
  // Site and technician are the job's: typed here or in the Upgrade view, the same two fields.
  const job = useSlice('ui', (s) => s.job);
  const fields: Fields = { ...own, site: job.site, technician: job.technician };
  const [error, setError] = useState<string | null>(null);
  const field = (name: keyof Fields) => ({
    id: `${id}-${name}`,
    value: fields[name],
    onChange: (e: { target: { value: string } }) =>
      name === 'site' || name === 'technician' ? stores.ui.getState().setJob({ [name]: e.target.value }) : setOwn((f) => ({ ...f, [name]: e.target.value })),
  });
  const start = (format: ExportFormat) => {
    setError(null);
    api.call('export.start', exportRequest(format, fields)).then(
      ({ exportId }) => stores.exports.getState().started(exportId, format),
      (e: Error) => setError(e.message),
    );
  };
  return (
    <section className="panel export-panel" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Export the log</h3>
      <form className="form" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={`${id}-site`}>Site</label>
        <input type="text" maxLength={200} {...field('site')} />
        <label htmlFor={`${id}-technician`}>Technician</label>
        <input type="text" maxLength={200} {...field('technician')} />
        <label htmlFor={`${id}-customer`}>Customer</label>
        <input type="text" maxLength={200} {...field('customer')} />
        <label htmlFor={`${id}-notes`}>Notes</label>
        <textarea rows={3} maxLength={4000} {...field('notes')} />
        <label htmlFor={`${id}-since`}>Events since</label>
        <input type="datetime-local" step={1} {...field('since')} />
        <label htmlFor={`${id}-device`}>Only device</label>
        <input type="text" placeholder="exact SN or VIN" maxLength={256} {...field('device')} />
        <div className="actions">
          <button type="button" onClick={() => start('csv')}>
            Export CSV
          </button>
          <button type="button" onClick={() => start('jsonl')}>
            Export JSONL
          </button>
          <button type="button" className="primary" onClick={() => start('html')}>
            Export report
          </button>
        </div>
      </form>
      <Problem message={error} look="inline" />
      {order.length > 0 ? (
        <ul className="exports" aria-label="Exports">
          {order.map((exportId) => (
            <ExportRow key={exportId} exportId={exportId} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
