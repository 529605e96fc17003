// Demo mode from the Connection view: simulated docks and vehicles over the real protocols, so a new user
// sees the whole job working without a dock at hand.
import { useEffect, useId, useState } from 'react';
import { useApi } from '../api-context';
import { StateBadge } from '../components/StateBadge';
import { useSlice, useStores } from '../store/stores';
import { Problem } from '../components/Problem';

export function DemoPanel() {
  const api = useApi();
  const id = useId();
  const demo = useSlice('ui', (s) => s.demo);
  const { setDemo, setView } = useStores().ui.getState();
  const [busy, setBusy] = useState<'start' | 'stop' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  // A reloaded window asks the core, which knows whether the demo still runs.
  useEffect(() => {
    let live = true;
    api.call('demo.status', {}).then(
      (s) => {
        if (live) setDemo(s.running ? { docks: s.docks, vehicles: s.vehicles } : undefined);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, setDemo]);

  const run = async (what: 'start' | 'stop') => {
    setBusy(what);
    setFailure(null);
    try {
      if (what === 'start') {
        const started = await api.call('demo.start', {});
        setDemo({ docks: started.docks, vehicles: started.vehicles });
      } else {
        await api.call('demo.stop', {});
        setDemo(undefined);
      }
    } catch (e) {
      setFailure((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="panel demo-panel" aria-labelledby={`${id}-title`}>
      <div className="card-head">
        <h3 id={`${id}-title`}>Demo mode</h3>
        {demo ? <StateBadge tone="ok">Running</StateBadge> : null}
      </div>
      <p>
        Try the whole job without a dock: six simulated docks and simulated vehicles of the four protocols talk to Dockside over the real protocols. One dock is at work and is held back by its
        pre-flight check, two fail during the upgrade, and one carries a Matrice 3D that takes its own file. Two demo firmware files are added. Starting it switches the connection to the built-in
        broker.
      </p>
      {demo ? (
        <p role="status">
          {demo.docks.length} simulated docks{demo.vehicles ? ` and ${demo.vehicles} vehicles` : ''} are running.{' '}
          <a
            href="#/devices"
            onClick={(e) => {
              e.preventDefault();
              setView('Devices');
            }}
          >
            See them in Devices
          </a>
          .
        </p>
      ) : null}
      <Problem message={failure} />
      <div className="actions">
        {demo ? (
          <button type="button" disabled={busy !== null} onClick={() => void run('stop')}>
            {busy === 'stop' ? 'Stopping…' : 'Stop demo'}
          </button>
        ) : (
          <button type="button" className="primary" disabled={busy !== null} onClick={() => void run('start')}>
            {busy === 'start' ? 'Starting…' : 'Start demo'}
          </button>
        )}
      </div>
    </section>
  );
}
