// What a dock at the site needs from this laptop: the broker address and login to type into it (or the
// Pilot 2 page that hands them over), the DJI licence it asks for, and the address it downloads firmware
// from (chosen per dock unless the technician sets one).
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ServeHostSchema } from '../../preload/api';
import { useApi } from '../api-context';
import { Problem } from '../components/Problem';
import { useSlice } from '../store/stores';
import { BrokerListenForm } from './BrokerListenForm';
import { BrokerLoginsPanel } from './BrokerLoginsPanel';
import { DjiLicenceForm } from './DjiLicenceForm';
import { PilotPageCard } from './PilotPageCard';
import { useDockAccess } from './use-dock-access';

export function DockAccessPanel() {
  const api = useApi();
  const status = useSlice('connection', (s) => s.status);
  const [host, setHost] = useState('');
  const [edited, setEdited] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const id = useId();
  const { view, change } = useDockAccess();

  useEffect(() => {
    if (!edited) setHost(status?.serveHost ?? '');
  }, [edited, status?.serveHost]);

  const save = (value: string) => {
    const parsed = ServeHostSchema.safeParse(value);
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? 'not an address');
      return;
    }
    setSaving(true);
    setProblem(null);
    api
      .call('connection.setServeHost', { host: parsed.data })
      .then(() => setEdited(false))
      .catch((e: Error) => setProblem(e.message))
      .finally(() => setSaving(false));
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save(host);
  };

  const builtIn = status?.embeddedBrokerUrl !== undefined && status.url === status.embeddedBrokerUrl;
  const dockUrls = status?.dockUrls ?? [];
  return (
    <div className="panel" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>For the docks at this site</h3>
      {builtIn ? (
        dockUrls.length > 0 ? (
          <>
            <p className="small muted">Type one of these into the dock as its MQTT address (the one on the dock's network):</p>
            <ul className="plain" aria-label="Broker addresses for docks">
              {dockUrls.map((u) => (
                <li key={u} className="mono">
                  {u}
                </li>
              ))}
            </ul>
            {view ? (
              <p className="small">
                with username <span className="mono">{view.dockLogin.username}</span> and password <span className="mono">{view.dockLogin.password}</span>
              </p>
            ) : null}
            {view && view.tlsUrls.length > 0 ? <p className="small mono">{view.tlsUrls.join(' ')}</p> : null}
          </>
        ) : (
          <p className="small muted">
            {view?.bind === 'loopback'
              ? 'The built-in broker listens on this laptop only: no dock can reach it.'
              : "This laptop has no network address a dock could reach: connect it to the dock's network."}
          </p>
        )
      ) : (
        <p className="small muted">
          Docks report through the site broker above; Dockside does not tell them where to connect, and answers none of their requests there: another cloud owns the docks on a site broker.
        </p>
      )}
      {view && builtIn ? <PilotPageCard view={view} /> : null}
      {view ? (
        <details>
          <summary>Dock access: logins, DJI licence, where the broker listens</summary>
          <BrokerLoginsPanel view={view} change={change} />
          <DjiLicenceForm view={view} change={change} />
          <BrokerListenForm view={view} change={change} />
        </details>
      ) : null}
      <form className="form" onSubmit={onSubmit} noValidate>
        <label htmlFor={`${id}-serve`}>Firmware download address</label>
        <input
          id={`${id}-serve`}
          type="text"
          spellCheck={false}
          autoComplete="off"
          placeholder="chosen per dock"
          value={host}
          aria-describedby={`${id}-serve-help`}
          onChange={(e) => {
            setEdited(true);
            setHost(e.target.value);
          }}
        />
        <p id={`${id}-serve-help`} className="small muted">
          The address of this laptop a dock downloads firmware from. Leave it empty and Dockside picks, for each dock, this laptop's address on the dock's network (or on the way to the site broker).
        </p>
        <Problem message={problem} />
        <div className="actions">
          <button type="submit" disabled={saving}>
            Save address
          </button>
          <button type="button" disabled={saving || !status?.serveHost} onClick={() => (setHost(''), save(''))}>
            Choose per dock
          </button>
        </div>
      </form>
    </div>
  );
}
