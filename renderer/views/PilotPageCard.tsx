// The Pilot 2 login page's address, with a QR code so the technician types less on the controller, and
// what each dock did while it joined.
import type { DockAccessView } from '../../preload/api';
import { formatTime } from '../lib/format';

export function PilotPageCard({ view }: { view: DockAccessView }) {
  return (
    <div role="group" aria-label="Pilot 2 login page">
      <h4>Connect a dock with DJI Pilot 2</h4>
      {view.pilotPage.length > 0 ? (
        <>
          <p className="small muted">On the dock's remote controller: Pilot 2 → Cloud Service → Open Platform, then this address:</p>
          {view.pilotPage.map((p) => (
            <figure key={p.url} className="pilot-page">
              <img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(p.qrSvg)}`} alt={`QR code of ${p.url}`} width={160} height={160} />
              <figcaption className="mono">{p.url}</figcaption>
            </figure>
          ))}
          <p className="small muted">
            When Pilot 2 asks to bind the dock: organisation ID <span className="mono">{view.organisation.id}</span>, binding code <span className="mono">{view.organisation.bindingCode}</span> ("
            {view.organisation.name}").
          </p>
        </>
      ) : (
        <p className="small muted">The page is served on this laptop's LAN addresses while the built-in broker listens on the LAN.</p>
      )}
      {view.joins.length > 0 ? (
        <ul className="plain" aria-label="Docks joining">
          {view.joins.map((j) => (
            <li key={j.sn} className={j.step === 'no-licence' || j.step === 'bind-refused' ? 'text-bad' : undefined}>
              <span className="muted">{formatTime(j.at)}</span> {j.words}
            </li>
          ))}
        </ul>
      ) : null}
      {view.bound.length > 0 ? (
        <p className="small" aria-label="Bound devices">
          Bound to "{view.organisation.name}": {view.bound.map((b) => `${b.callsign} (${b.sn})`).join(', ')}
        </p>
      ) : null}
    </div>
  );
}
