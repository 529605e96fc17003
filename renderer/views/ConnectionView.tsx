// The gateway's MQTT broker: where to connect, as whom, with which TLS trust; or the built-in broker.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ConnectionSettingsSchema, type ConnectionSettings } from '../../preload/api';
import { ApiCallError } from '../api-error';
import { useApi } from '../api-context';
import { StateBadge } from '../components/StateBadge';
import { formatTime } from '../lib/format';
import { useSlice } from '../store/stores';
import { fieldMessage, type ConnectionField } from './connection-form-words';
import { CONNECTION_WORDS } from './connection-words';
import { DemoPanel } from './DemoPanel';
import { DockAccessPanel } from './DockAccessPanel';
import { Problem } from '../components/Problem';

interface Form {
  url: string;
  clientId: string;
  username: string;
  password: string;
  selfSigned: boolean;
  caPem: string;
}

const EMPTY: Form = { url: '', clientId: '', username: '', password: '', selfSigned: false, caPem: '' };

function toSettings(form: Form): ConnectionSettings {
  const settings: ConnectionSettings = { url: form.url.trim() };
  if (form.clientId.trim()) settings.clientId = form.clientId.trim();
  if (form.username) settings.username = form.username;
  if (form.password) settings.password = form.password;
  if (form.selfSigned) settings.rejectUnauthorized = false;
  if (form.caPem.trim()) settings.caPem = form.caPem.trim();
  return settings;
}

type Field = ConnectionField;

export function ConnectionView() {
  const api = useApi();
  const status = useSlice('connection', (s) => s.status);
  const [form, setForm] = useState<Form>(EMPTY);
  const [edited, setEdited] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const urlRef = useRef<HTMLInputElement>(null);
  const id = useId();

  // Until the technician types, the form shows the broker the core is configured for.
  useEffect(() => {
    if (!edited && status?.url && !status.embeddedBrokerUrl) setForm((f) => ({ ...f, url: status.url, clientId: status.clientId }));
  }, [edited, status?.url, status?.clientId, status?.embeddedBrokerUrl]);

  const update = (field: keyof Form, value: string | boolean) => {
    setEdited(true);
    setForm((f) => ({ ...f, [field]: value }));
    if (field in errors) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const run = async (label: string, action: () => Promise<unknown>) => {
    setBusy(label);
    setFailure(null);
    try {
      await action();
    } catch (e) {
      setFailure(e instanceof ApiCallError || e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  const onConnect = (e: FormEvent) => {
    e.preventDefault();
    const settings = toSettings(form);
    const parsed = ConnectionSettingsSchema.safeParse(settings);
    if (!parsed.success) {
      const next: Partial<Record<Field, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = (issue.path[0] as Field | undefined) ?? 'url';
        next[field] ??= fieldMessage(field, issue, String(settings[field] ?? ''));
      }
      setErrors(next);
      if (next.url) urlRef.current?.focus();
      return;
    }
    void run('connect', () => api.call('connection.connect', parsed.data));
  };

  const state = status ? CONNECTION_WORDS[status.state] : undefined;
  const describedBy = (field: Field) => (errors[field] ? `${id}-${field}-error` : undefined);
  const fieldError = (field: Field) =>
    errors[field] ? (
      <p className="field-error" id={`${id}-${field}-error`}>
        {errors[field]}
      </p>
    ) : null;

  return (
    <section className="view view-connection" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Connection</h2>
      <div>
        <div className="panel" aria-live="polite">
          <h3>Broker</h3>
          {status && state ? (
            <dl className="facts">
              <dt>State</dt>
              <dd>
                <StateBadge tone={state.tone}>{state.words}</StateBadge> <span className="muted">since {formatTime(status.since)}</span>
              </dd>
              <dt>Broker URL</dt>
              <dd className="mono">{status.url || '—'}</dd>
              <dt>Client ID</dt>
              <dd className="mono">{status.clientId || '—'}</dd>
              {status.embeddedBrokerUrl ? (
                <>
                  <dt>Built-in broker</dt>
                  <dd className="mono">{status.embeddedBrokerUrl}</dd>
                </>
              ) : null}
              {status.error ? (
                <>
                  <dt>Error</dt>
                  <dd className="text-bad">{status.error}</dd>
                </>
              ) : null}
            </dl>
          ) : (
            <p className="muted">Waiting for the Dockside core…</p>
          )}
        </div>
        <DockAccessPanel />
        <DemoPanel />
      </div>

      <form className="panel form" onSubmit={onConnect} noValidate aria-labelledby={`${id}-form-title`}>
        <h3 id={`${id}-form-title`}>Connect to the gateway's broker</h3>
        <label htmlFor={`${id}-url`}>Broker URL</label>
        <input
          id={`${id}-url`}
          ref={urlRef}
          type="text"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="mqtt://192.168.1.10:1883"
          value={form.url}
          aria-invalid={errors.url ? true : undefined}
          aria-describedby={describedBy('url')}
          onChange={(e) => update('url', e.target.value)}
        />
        {fieldError('url')}
        <label htmlFor={`${id}-client`}>Client ID</label>
        <input
          id={`${id}-client`}
          type="text"
          autoComplete="off"
          placeholder="chosen by Dockside when empty"
          value={form.clientId}
          aria-invalid={errors.clientId ? true : undefined}
          aria-describedby={describedBy('clientId')}
          onChange={(e) => update('clientId', e.target.value)}
        />
        {fieldError('clientId')}
        <div className="form-row">
          <div>
            <label htmlFor={`${id}-user`}>Username</label>
            <input
              id={`${id}-user`}
              type="text"
              autoComplete="username"
              value={form.username}
              aria-invalid={errors.username ? true : undefined}
              aria-describedby={describedBy('username')}
              onChange={(e) => update('username', e.target.value)}
            />
            {fieldError('username')}
          </div>
          <div>
            <label htmlFor={`${id}-password`}>Password</label>
            <input
              id={`${id}-password`}
              type="password"
              autoComplete="current-password"
              value={form.password}
              aria-invalid={errors.password ? true : undefined}
              aria-describedby={describedBy('password')}
              onChange={(e) => update('password', e.target.value)}
            />
            {fieldError('password')}
          </div>
        </div>
        <fieldset>
          <legend>TLS (mqtts:// and wss://)</legend>
          <label className="check">
            <input type="checkbox" checked={form.selfSigned} onChange={(e) => update('selfSigned', e.target.checked)} />
            Accept a self-signed broker certificate
          </label>
          <label htmlFor={`${id}-ca`}>CA certificate (PEM), optional</label>
          <textarea
            id={`${id}-ca`}
            rows={3}
            spellCheck={false}
            placeholder="-----BEGIN CERTIFICATE-----"
            value={form.caPem}
            aria-invalid={errors.caPem ? true : undefined}
            aria-describedby={describedBy('caPem')}
            onChange={(e) => update('caPem', e.target.value)}
          />
          {fieldError('caPem')}
        </fieldset>
        <Problem message={failure} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy !== null}>
            {busy === 'connect' ? 'Connecting…' : 'Connect'}
          </button>
          <button type="button" disabled={busy !== null || !status || status.state === 'disconnected'} onClick={() => void run('disconnect', () => api.call('connection.disconnect', {}))}>
            Disconnect
          </button>
          <button type="button" disabled={busy !== null} onClick={() => void run('embedded', () => api.call('connection.useEmbedded', {}))}>
            Use built-in broker
          </button>
        </div>
      </form>
    </section>
  );
}
