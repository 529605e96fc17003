// Import a capture file (.json, .jsonl, .bson) into the log: the desktop app hands its path to the core,
// the web host uploads it. Its events then arrive like live ones; refused payloads show as failed entries.
import { useId, useState } from 'react';
import type { CaptureOptions } from '../capture-options';
import { useApi } from '../api-context';
import { ProgressBar } from '../components/ProgressBar';
import { SOURCE_WORDS } from '../lib/event-words';

const PROTOCOLS = ['aktualizr', 'carota', 'edgehog', 'oem'] as const;

type Status = { kind: 'idle' } | { kind: 'sending'; name: string; sent: number; total: number } | { kind: 'done'; text: string } | { kind: 'error'; text: string };

export function LogViewImport() {
  const id = useId();
  const api = useApi();
  const [protocol, setProtocol] = useState<CaptureOptions['protocol'] | ''>('');
  const [device, setDevice] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  const importFile = async (file: File) => {
    setStatus({ kind: 'sending', name: file.name, sent: 0, total: file.size });
    const options: CaptureOptions = { ...(protocol ? { protocol } : {}), ...(device.trim() ? { device: device.trim() } : {}) };
    try {
      const { accepted, rejected } = await api.importCaptureFile(file, options, (sent, total) => setStatus({ kind: 'sending', name: file.name, sent, total }));
      const refused = rejected ? `; ${rejected} payload${rejected === 1 ? '' : 's'} refused (failed entries in the log say why)` : '';
      setStatus({ kind: 'done', text: `Imported ${accepted} event${accepted === 1 ? '' : 's'} from ${file.name}${refused}.` });
    } catch (e) {
      setStatus({ kind: 'error', text: (e as Error).message });
    }
  };

  return (
    <section className="panel import-panel" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Import a capture</h3>
      <div className="form">
        <label htmlFor={`${id}-protocol`}>Capture protocol</label>
        <select id={`${id}-protocol`} value={protocol} onChange={(e) => setProtocol(e.target.value as CaptureOptions['protocol'] | '')}>
          <option value="">Tell from each payload</option>
          {PROTOCOLS.map((p) => (
            <option key={p} value={p}>
              {SOURCE_WORDS[p]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-device`}>Capture device</label>
        <input id={`${id}-device`} type="text" maxLength={256} placeholder="for aktualizr and Edgehog captures" value={device} onChange={(e) => setDevice(e.target.value)} />
        <label htmlFor={`${id}-file`}>Import capture</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".json,.jsonl,.bson"
          disabled={status.kind === 'sending'}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importFile(file);
          }}
        />
      </div>
      {status.kind === 'sending' ? <ProgressBar value={status.total ? (100 * status.sent) / status.total : 0} label={`Importing ${status.name}`} /> : null}
      {status.kind === 'done' ? (
        <p className="small" role="status">
          {status.text}
        </p>
      ) : null}
      {status.kind === 'error' ? (
        <p className="small text-bad" role="alert">
          {status.text}
        </p>
      ) : null}
    </section>
  );
}
