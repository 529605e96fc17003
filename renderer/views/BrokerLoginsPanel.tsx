// The logins of the built-in broker a person types elsewhere: the dock login (into a dock, or handed over
// by the Pilot 2 page) and the vehicle login (into vehicle clients). Each can be made anew or set.
import { useId, useState, type FormEvent } from 'react';
import { BrokerLoginSchema, type BrokerAccount, type DockAccessView } from '../../preload/api';
import { Problem } from '../components/Problem';
import type { useDockAccess } from './use-dock-access';

const TITLES: Record<BrokerAccount, string> = { dock: 'Dock login', ingest: 'Vehicle login' };

function LoginRow({ account, view, change }: { account: BrokerAccount; view: DockAccessView; change: ReturnType<typeof useDockAccess>['change'] }) {
  const id = useId();
  const login = account === 'dock' ? view.dockLogin : view.ingestLogin;
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState({ username: '', password: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const run = (action: () => Promise<void>) => {
    setProblem(null);
    action().then(
      () => setEditing(false),
      (e: Error) => setProblem(e.message),
    );
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = BrokerLoginSchema.safeParse(form);
    if (!parsed.success) return setProblem(parsed.error.issues[0]?.message ?? 'not a login');
    run(() => change('dockAccess.setLogin', { account, login: parsed.data }));
  };
  return (
    <div aria-label={TITLES[account]} role="group">
      <h4>{TITLES[account]}</h4>
      <dl className="facts">
        <dt>Username</dt>
        <dd className="mono">{login.username}</dd>
        <dt>Password</dt>
        <dd className="mono">{login.password}</dd>
      </dl>
      {editing ? (
        <form className="form" onSubmit={onSubmit} noValidate>
          <label htmlFor={`${id}-user`}>New username</label>
          <input id={`${id}-user`} type="text" autoComplete="off" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />
          <label htmlFor={`${id}-pass`}>New password</label>
          <input id={`${id}-pass`} type="text" autoComplete="off" spellCheck={false} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
          <div className="actions">
            <button type="submit">Save {TITLES[account].toLowerCase()}</button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="actions">
          <button type="button" onClick={() => run(() => change('dockAccess.regenerateLogin', { account }))}>
            New {TITLES[account].toLowerCase()}
          </button>
          <button type="button" onClick={() => setEditing(true)}>
            Set {TITLES[account].toLowerCase()}
          </button>
        </div>
      )}
      <Problem message={problem} />
    </div>
  );
}

export function BrokerLoginsPanel({ view, change }: { view: DockAccessView; change: ReturnType<typeof useDockAccess>['change'] }) {
  return (
    <>
      <LoginRow account="dock" view={view} change={change} />
      <p className="small muted">A new login holds for the next connection: docks already connected stay until they reconnect.</p>
      <LoginRow account="ingest" view={view} change={change} />
      <p className="small muted">Vehicle clients publish with it on {view.ingestTopics.map((t) => `"${t}"`).join(' and ')}, and nowhere else.</p>
    </>
  );
}
