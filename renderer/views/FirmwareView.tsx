// Firmware files: pick or drop them; each is hashed (MD5, off the UI thread, in the core) with a
// progress bar, shows its size, MD5, version (editable when the name did not say) and the docks it fits.
import { useId, useState, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { FirmwareInfo } from '../../preload/api';
import { useApi } from '../api-context';
import { ProgressBar } from '../components/ProgressBar';
import { StateBadge } from '../components/StateBadge';
import { familiesOf, packageFit } from '../../preload/firmware-model';
import { duplicatesOf } from '../lib/firmware-duplicates';
import { formatBytes, formatTime } from '../lib/format';
import { useSlice } from '../store/stores';
import { versionProblem } from './firmware-version-input';
import { Problem } from '../components/Problem';

interface Upload {
  name: string;
  sent: number;
  total: number;
  error?: string;
}

/** Which reported devices the file is for, by DJI's naming of the product in the file name. */
function FitText({ firmware }: { firmware: FirmwareInfo }) {
  const devices = useSlice(
    'devices',
    useShallow((s) => s.order.map((sn) => s.bySn[sn]!).filter(Boolean)),
  );
  const named = familiesOf(firmware.fileName);
  if (named.length === 0) return <span className="muted">No model named in the file name: choose the devices yourself</span>;
  const fits = devices.filter((d) => packageFit(firmware.fileName, d.product, d.model).fit === 'fits');
  const families = named.map((f) => f.name).join(', ');
  if (fits.length === 0) return <span>{families}; no such device has reported</span>;
  return (
    <span>
      {families}: <span className="mono">{fits.map((d) => d.sn).join(', ')}</span>
    </span>
  );
}

function DuplicateNote({ id }: { id: string }) {
  const files = useSlice(
    'firmware',
    useShallow((s) => s.order.map((fid) => s.byId[fid]!).filter(Boolean)),
  );
  const others = duplicatesOf(files).get(id);
  if (!others) return null;
  const names = others.map((o) => files.find((f) => f.id === o)?.fileName ?? o);
  return <p className="notice notice-warn small">The same file (same MD5) as {names.join(', ')}: one of them is enough; remove the other.</p>;
}

function VersionEditor({ firmware }: { firmware: FirmwareInfo }) {
  const api = useApi();
  const id = useId();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    const problem = versionProblem(value);
    setError(problem ?? null);
    if (problem) return;
    try {
      await api.call('firmware.setVersion', { id: firmware.id, version: value.trim() });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) void save();
      }}
    >
      <label htmlFor={`${id}-v`}>Version of {firmware.fileName}</label>
      <input
        id={`${id}-v`}
        type="text"
        placeholder="e.g. 10.01.0300"
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          setError(null);
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-e` : undefined}
      />
      <button type="submit" disabled={!value.trim()}>
        Save version
      </button>
      {error ? (
        <p id={`${id}-e`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

function FirmwareCard({ id }: { id: string }) {
  const api = useApi();
  const firmware = useSlice('firmware', (s) => s.byId[id]);
  const [error, setError] = useState<string | null>(null);
  if (!firmware) return null;
  const hashing = firmware.hashing;
  return (
    <li className="card">
      <div className="card-head">
        <h3 className="mono keep">{firmware.fileName}</h3>
        {firmware.error ? (
          <StateBadge tone="bad">Unusable</StateBadge>
        ) : hashing ? (
          <StateBadge tone="busy">Hashing</StateBadge>
        ) : firmware.md5 ? (
          <StateBadge tone="ok">Ready</StateBadge>
        ) : (
          <StateBadge tone="idle">Waiting</StateBadge>
        )}
        <button
          type="button"
          className="quiet"
          aria-label={`Remove ${firmware.fileName}`}
          onClick={() => {
            setError(null);
            api.call('firmware.remove', { id }).catch((e: Error) => setError(e.message));
          }}
        >
          Remove
        </button>
      </div>
      {hashing ? (
        <ProgressBar
          value={hashing.total ? (hashing.bytes / hashing.total) * 100 : 0}
          label={`Hashing ${firmware.fileName}`}
          valueText={`${formatBytes(hashing.bytes)} of ${formatBytes(hashing.total)}`}
        />
      ) : null}
      <dl className="facts">
        <dt>Size</dt>
        <dd>
          {formatBytes(firmware.size)} <span className="muted">({firmware.size.toLocaleString()} bytes)</span>
        </dd>
        <dt>MD5</dt>
        <dd className="mono">{firmware.md5 ?? (hashing ? 'computing…' : '—')}</dd>
        <dt>Version</dt>
        <dd>{firmware.version ? <span className="mono keep">{firmware.version}</span> : <VersionEditor firmware={firmware} />}</dd>
        <dt>Fits</dt>
        <dd>
          <FitText firmware={firmware} />
        </dd>
        <dt>Added</dt>
        <dd>{formatTime(firmware.addedAt)}</dd>
      </dl>
      <DuplicateNote id={id} />
      <Problem message={firmware.error} />
      <Problem message={error} />
    </li>
  );
}

export function FirmwareView() {
  const api = useApi();
  const id = useId();
  const order = useSlice('firmware', (s) => s.order);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [dragging, setDragging] = useState(false);

  const addFiles = async (files: File[]) => {
    for (const file of files) {
      // A dock cannot be upgraded from nothing; said here rather than after an upload and a hash.
      const refused = file.size === 0 ? { error: `${file.name} is empty (0 bytes): not a firmware file.` } : {};
      setUploads((u) => [...u.filter((x) => x.name !== file.name), { name: file.name, sent: 0, total: file.size, ...refused }]);
      if (refused.error) continue;
      const patch = (p: Partial<Upload>) => setUploads((u) => u.map((x) => (x.name === file.name ? { ...x, ...p } : x)));
      try {
        await api.addFirmwareFile(file, (sent, total) => patch({ sent, total }));
        setUploads((u) => u.filter((x) => x.name !== file.name));
      } catch (e) {
        patch({ error: (e as Error).message });
      }
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void addFiles([...e.dataTransfer.files]);
  };

  return (
    <section className="view" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Firmware</h2>
      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drop firmware files here, or</p>
        <label htmlFor={`${id}-file`} className="button primary">
          Choose firmware files
        </label>
        <input
          id={`${id}-file`}
          className="file-input"
          type="file"
          multiple
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            void addFiles(files);
          }}
        />
        <p className="muted">{api.hostKind === 'web' ? 'Files are uploaded to the Dockside host, then hashed.' : 'Files stay where they are; Dockside hashes and serves them.'}</p>
      </div>
      {uploads.length > 0 ? (
        <ul className="uploads" aria-label="Uploads">
          {uploads.map((u) => (
            <li key={u.name}>
              <span className="mono">{u.name}</span>{' '}
              {u.error ? null : (
                <span className="small muted">
                  uploading to the Dockside host: {formatBytes(u.sent)} of {formatBytes(u.total)}
                </span>
              )}
              {u.error ? (
                <p className="notice notice-bad" role="alert">
                  {u.error}
                </p>
              ) : (
                <ProgressBar value={u.total ? (u.sent / u.total) * 100 : 0} label={`Uploading ${u.name}`} valueText={`${formatBytes(u.sent)} of ${formatBytes(u.total)}`} />
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {order.length === 0 ? (
        <p className="empty">No firmware yet.</p>
      ) : (
        <ul className="cards" aria-label="Firmware files">
          {order.map((fid) => (
            <FirmwareCard key={fid} id={fid} />
          ))}
        </ul>
      )}
    </section>
  );
}
