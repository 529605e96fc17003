// The explicit confirmation to send a held device despite its failed gates: each gate in words, what
// the telemetry said, the code a dock answers; the override is journaled and shows in the report.
import type { DeviceUpgrade } from '../../preload/api';
import type { GateCheck } from '../../preload/upgrade-gates';
import { Dialog } from '../components/Dialog';

interface Props {
  row: DeviceUpgrade;
  gates: readonly GateCheck[];
  busy: boolean;
  blocked: string | undefined;
  onCancel: () => void;
  onConfirm: () => void;
}

export function SendAnywayDialog({ row, gates, busy, blocked, onCancel, onConfirm }: Props) {
  return (
    <Dialog
      title={`Send ${row.sn} anyway?`}
      onCancel={onCancel}
      actions={
        <>
          <button type="button" data-autofocus onClick={onCancel} disabled={busy}>
            Keep it held
          </button>
          <button type="button" className="danger" onClick={onConfirm} disabled={busy || blocked !== undefined}>
            {busy ? 'Sending…' : 'Send anyway'}
          </button>
        </>
      }
    >
      <p>
        <span className="mono">{row.sn}</span> is held back because {gates.length === 1 ? 'this check fails' : 'these checks fail'}:
      </p>
      <ul className="gate-list" aria-label={`Failed checks of ${row.sn}`}>
        {gates.map((g) => (
          <li key={g.gate}>
            <strong>{g.words}</strong>: {g.detail}; a dock answers <span className="mono">{g.code}</span>
          </li>
        ))}
      </ul>
      <p>The dock will most likely refuse. Sending anyway is written to the log and the report as your decision.</p>
      {blocked ? <p className="notice notice-warn">{blocked}</p> : null}
    </Dialog>
  );
}
