// The confirmation before anything is sent: per device its file, versions from → to, every pre-flight gate
// (pass, fail or not reported, with the code it avoids) as the host checked it just now, the notes worth a
// look (same or older version, offline, a file name that names no model), and whether it goes, is held
// back, or is refused. A device with a failed gate is held unless the technician ticks "send anyway".
import { useEffect, useState } from 'react';
import type { CallRequest, PlannedUpgrade, UpgradeType } from '../../preload/api';
import { failedGates, type GateCheck } from '../../preload/upgrade-gates';
import { useApi } from '../api-context';
import type { ActionGate } from '../components/ActionsBlocked';
import { Dialog } from '../components/Dialog';
import { Problem } from '../components/Problem';
import { StateBadge, type Tone } from '../components/StateBadge';
import { formatBytes } from '../lib/format';
import type { UpgradePlan } from './upgrade-plan';

export const TYPE_WORDS: Record<UpgradeType, { label: string; help: string }> = {
  regular: { label: 'Regular upgrade', help: 'Installs the firmware on the selected devices.' },
  consistency: { label: 'Consistency upgrade', help: 'Brings a dock and its aircraft to matching versions; only where the device asks for it.' },
};

const CAUTION = /older than|same version|is offline|has not reported/;

const GATE_LOOK: Record<GateCheck['status'], { tone: Tone; words: string }> = {
  pass: { tone: 'ok', words: 'pass' },
  fail: { tone: 'bad', words: 'fail' },
  unknown: { tone: 'idle', words: 'not reported' },
};

function GateList({ sn, gates }: { sn: string; gates: readonly GateCheck[] }) {
  return (
    <ul className="gates" aria-label={`Checks of ${sn}`}>
      {gates.map((g) => (
        <li key={g.gate}>
          <StateBadge tone={GATE_LOOK[g.status].tone}>{GATE_LOOK[g.status].words}</StateBadge> <span>{g.words}</span>{' '}
          <span className="muted small">
            {g.detail}; avoids <span className="mono">{g.code}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

function PlannedDevice({ p, forced, onForce }: { p: PlannedUpgrade; forced: boolean; onForce: (on: boolean) => void }) {
  const failed = failedGates(p.gates);
  return (
    <li className={p.refused ? 'planned refused' : failed.length ? 'planned held' : 'planned'}>
      <p className="planned-head">
        <span className="mono strong">{p.sn}</span> <span className="muted">({p.model})</span>: <span className="mono">{p.fromVersion ?? 'unknown'}</span> →{' '}
        <span className="mono">{p.toVersion ?? 'unknown'}</span>
        <span className="small file-name"> · {p.fileName}</span>
      </p>
      {p.refused ? (
        <p className="small text-bad">Will not be sent: {p.refused}</p>
      ) : (
        <>
          <GateList sn={p.sn} gates={p.gates} />
          {failed.length > 0 ? (
            <label className="check force">
              <input type="checkbox" checked={forced} onChange={(e) => onForce(e.target.checked)} />
              <span>
                Send {p.sn} anyway, despite: {failed.map((g) => g.words).join(', ')}. Otherwise it is held back until you release it.
              </span>
            </label>
          ) : null}
        </>
      )}
      {p.notes.length > 0 ? (
        <ul className="notes small" aria-label={`Notes on ${p.sn}`}>
          {p.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

interface Props {
  request: CallRequest<'upgrade.plan'>;
  local: UpgradePlan;
  rolloutWords: string;
  jobWords: string;
  duplicateWords: string[];
  gate: ActionGate;
  busy: boolean;
  failure: string | null;
  onCancel: () => void;
  onStart: (force: string[]) => void;
}

export function UpgradeConfirmDialog({ request, local, rolloutWords, jobWords, duplicateWords, gate, busy, failure, onCancel, onStart }: Props) {
  const api = useApi();
  const [plan, setPlan] = useState<PlannedUpgrade[] | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);
  const [forced, setForced] = useState<Set<string>>(new Set());
  const requestKey = JSON.stringify(request);
  useEffect(() => {
    let live = true;
    setPlan(null);
    api.call('upgrade.plan', JSON.parse(requestKey) as CallRequest<'upgrade.plan'>).then(
      (res) => live && setPlan(res.devices),
      (e: Error) => live && setPlanError(e.message),
    );
    return () => {
      live = false;
    };
  }, [api, requestKey]);

  const going = plan?.filter((p) => !p.refused) ?? [];
  const held = going.filter((p) => failedGates(p.gates).length > 0 && !forced.has(p.sn));
  const refused = plan?.filter((p) => p.refused) ?? [];
  // Same or older versions and offline devices are said before anything else: they are how docks get re-flashed by accident.
  const cautions = (plan ?? []).flatMap((p) => p.notes.filter((n) => CAUTION.test(n)));
  const risky = forced.size > 0 || cautions.length > 0;
  const canStart = plan !== null && going.length > 0 && !busy && gate.blocked === undefined;
  const force = (sn: string, on: boolean) =>
    setForced((f) => {
      const next = new Set(f);
      if (on) next.add(sn);
      else next.delete(sn);
      return next;
    });

  return (
    <Dialog
      title="Confirm upgrade"
      onCancel={onCancel}
      actions={
        <>
          <button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="button" className={risky ? 'danger' : 'primary'} data-autofocus onClick={() => onStart([...forced])} disabled={!canStart} aria-describedby={gate.describedBy}>
            {busy ? 'Starting…' : 'Start upgrade'}
          </button>
        </>
      }
    >
      <p>
        {TYPE_WORDS[request.type].label} of {local.devices.length} device{local.devices.length === 1 ? '' : 's'} with{' '}
        {local.files.map((f, i) => (
          <span key={f.id}>
            {i > 0 ? ', ' : ''}
            <span className="mono">{f.fileName}</span> ({formatBytes(f.size)}, MD5 <span className="mono">{f.md5}</span>)
          </span>
        ))}
        .
      </p>
      <p className="small">
        {rolloutWords}
        {jobWords ? ` ${jobWords}` : ''}
      </p>
      {duplicateWords.map((d) => (
        <p key={d} className="notice notice-warn small">
          {d}
        </p>
      ))}
      {plan === null && !planError ? <p className="muted">Checking each device…</p> : null}
      <Problem message={planError} />
      {plan ? (
        <>
          <p className="small strong" role="status">
            {going.length - held.length} will be sent{held.length ? `, ${held.length} held back by a failed check` : ''}
            {refused.length ? `, ${refused.length} refused` : ''}.
          </p>
          {cautions.length > 0 ? (
            <div className="notice notice-bad" role="alert">
              <p className="strong">Check before you start:</p>
              <ul>
                {cautions.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <ul className="plan" aria-label="Devices to upgrade">
            {plan.map((p) => (
              <PlannedDevice key={p.sn} p={p} forced={forced.has(p.sn)} onForce={(on) => force(p.sn, on)} />
            ))}
          </ul>
        </>
      ) : null}
      {gate.blocked ? <p className="notice notice-warn">{gate.blocked}</p> : null}
      <Problem message={failure} />
    </Dialog>
  );
}
