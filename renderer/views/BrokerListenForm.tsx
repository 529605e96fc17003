// Where the built-in broker listens: the LAN (what docks need, logins required) or this machine only,
// and the optional mqtts:// listener with the technician's certificate or one Dockside makes.
import { useId, useState } from 'react';
import type { BrokerBind, DockAccessView } from '../../preload/api';
import { Problem } from '../components/Problem';
import type { useDockAccess } from './use-dock-access';

export function BrokerListenForm({ view, change }: { view: DockAccessView; change: ReturnType<typeof useDockAccess>['change'] }) {
  const id = useId();
  const [paths, setPaths] = useState({ certPath: view.tls.certPath ?? '', keyPath: view.tls.keyPath ?? '' });
  const [problem, setProblem] = useState<string | null>(null);
  const run = (action: () => Promise<void>) => {
    setProblem(null);
    action().catch((e: Error) => setProblem(e.message));
  };
  const tls = (enabled: boolean) =>
    run(() => change('dockAccess.setTls', { enabled, ...(paths.certPath.trim() ? { certPath: paths.certPath.trim() } : {}), ...(paths.keyPath.trim() ? { keyPath: paths.keyPath.trim() } : {}) }));
  return (
    <div className="form" role="group" aria-label="Where the built-in broker listens">
      <label htmlFor={`${id}-bind`}>The built-in broker listens on</label>
      <select id={`${id}-bind`} value={view.bind} onChange={(e) => run(() => change('dockAccess.setBind', { bind: e.target.value as BrokerBind }))}>
        <option value="lan">the LAN, for docks (a login required)</option>
        <option value="loopback">this laptop only</option>
      </select>
      <label className="check">
        <input type="checkbox" checked={view.tls.enabled} onChange={(e) => tls(e.target.checked)} />
        Also listen with TLS (mqtts://)
      </label>
      <label htmlFor={`${id}-cert`}>Certificate (PEM file), optional</label>
      <input id={`${id}-cert`} type="text" placeholder="Dockside makes its own" value={paths.certPath} onChange={(e) => setPaths({ ...paths, certPath: e.target.value })} />
      <label htmlFor={`${id}-key`}>Private key (PEM file), optional</label>
      <input id={`${id}-key`} type="text" value={paths.keyPath} onChange={(e) => setPaths({ ...paths, keyPath: e.target.value })} />
      {view.tls.enabled ? (
        <div className="actions">
          <button type="button" onClick={() => tls(true)}>
            Use these files
          </button>
        </div>
      ) : null}
      {view.tls.fingerprint ? <p className="small muted mono">SHA-256 {view.tls.fingerprint}</p> : null}
      <Problem message={view.tls.error ?? problem} />
    </div>
  );
}
