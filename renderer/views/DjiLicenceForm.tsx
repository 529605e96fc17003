// The DJI Cloud API licence a dock checks its cloud against, entered once; what the site's organisation
// is called; the NTP host docks are told. The key and licence are never shown back, only that they are set.
import { useId, useState, type FormEvent } from 'react';
import { DjiLicenceSchema, ServeHostSchema, type DockAccessView } from '../../preload/api';
import { Problem } from '../components/Problem';
import type { useDockAccess } from './use-dock-access';

export function DjiLicenceForm({ view, change }: { view: DockAccessView; change: ReturnType<typeof useDockAccess>['change'] }) {
  const id = useId();
  const [licence, setLicence] = useState({ appId: '', appKey: '', appLicense: '' });
  const [organisation, setOrganisation] = useState('');
  const [ntp, setNtp] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const run = (action: () => Promise<void>, after: () => void) => {
    setProblem(null);
    action().then(after, (e: Error) => setProblem(e.message));
  };
  const saveLicence = (e: FormEvent) => {
    e.preventDefault();
    const parsed = DjiLicenceSchema.safeParse(licence);
    if (!parsed.success) return setProblem(parsed.error.issues[0]?.message ?? 'not a licence');
    run(
      () => change('dockAccess.setLicence', parsed.data),
      () => setLicence({ appId: '', appKey: '', appLicense: '' }),
    );
  };
  const saveOrganisation = () => {
    if (!organisation.trim()) return setProblem('the organisation needs a name');
    run(
      () => change('dockAccess.setOrganisation', { name: organisation.trim() }),
      () => setOrganisation(''),
    );
  };
  const saveNtp = () => {
    const parsed = ServeHostSchema.safeParse(ntp);
    if (!parsed.success) return setProblem(parsed.error.issues[0]?.message ?? 'not an address');
    run(
      () => change('dockAccess.setNtpHost', { host: parsed.data }),
      () => setNtp(''),
    );
  };
  return (
    <>
      <form className="form" onSubmit={saveLicence} noValidate aria-label="DJI licence">
        <h4>DJI licence</h4>
        <p className="small muted">
          {view.licence
            ? `Entered: app id ${view.licence.appId}, key and licence set (not shown).`
            : "Not entered: a dock asks for it first and leaves without it. Create a Cloud API app on DJI's developer site."}
        </p>
        <label htmlFor={`${id}-app`}>App ID</label>
        <input id={`${id}-app`} type="text" inputMode="numeric" autoComplete="off" value={licence.appId} onChange={(e) => setLicence({ ...licence, appId: e.target.value })} />
        <label htmlFor={`${id}-key`}>App key</label>
        <input id={`${id}-key`} type="password" autoComplete="off" value={licence.appKey} onChange={(e) => setLicence({ ...licence, appKey: e.target.value })} />
        <label htmlFor={`${id}-licence`}>App licence</label>
        <textarea id={`${id}-licence`} rows={2} spellCheck={false} value={licence.appLicense} onChange={(e) => setLicence({ ...licence, appLicense: e.target.value })} />
        <div className="actions">
          <button type="submit">Save licence</button>
        </div>
      </form>
      <div className="form">
        <label htmlFor={`${id}-org`}>Organisation name</label>
        <input id={`${id}-org`} type="text" placeholder={view.organisation.name} value={organisation} onChange={(e) => setOrganisation(e.target.value)} />
        <div className="actions">
          <button type="button" onClick={saveOrganisation}>
            Rename organisation
          </button>
        </div>
        <label htmlFor={`${id}-ntp`}>NTP host for docks</label>
        <input id={`${id}-ntp`} type="text" placeholder={view.ntpHost || "this laptop's address on the dock's network"} value={ntp} onChange={(e) => setNtp(e.target.value)} />
        <div className="actions">
          <button type="button" onClick={saveNtp}>
            Save NTP host
          </button>
        </div>
      </div>
      <Problem message={problem} />
    </>
  );
}
