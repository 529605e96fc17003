// One event opened from the log: its normalised fields and the raw payload it was decoded from, as the
// device sent it (pretty JSON), so a technician can trace it back to the protocol's own message.
import type { LoggedEvent } from '../../preload/api';
import { Dialog } from '../components/Dialog';
import { PHASE_WORDS, SOURCE_WORDS, STATE_WORDS } from '../lib/event-words';
import { formatTime } from '../lib/format';

export function rawText(raw: unknown): string {
  if (raw === undefined) return '(no payload)';
  if (typeof raw === 'string') return raw;
  return JSON.stringify(raw, null, 2) ?? String(raw);
}

export function LogViewEvent({ event, onClose }: { event: LoggedEvent; onClose: () => void }) {
  return (
    <Dialog
      title={`${SOURCE_WORDS[event.source]} event ${event.id}`}
      onCancel={onClose}
      actions={
        <button type="button" data-autofocus onClick={onClose}>
          Close
        </button>
      }
    >
      <dl className="facts">
        <dt>Time</dt>
        <dd>
          <time dateTime={event.time}>{formatTime(event.time)}</time> <span className="muted mono">{event.time}</span>
        </dd>
        <dt>Device</dt>
        <dd className="mono">{event.device || '—'}</dd>
        <dt>Campaign</dt>
        <dd className="mono">{event.campaign || '—'}</dd>
        <dt>Phase and state</dt>
        <dd>
          {PHASE_WORDS[event.phase]} {STATE_WORDS[event.state]}
          {event.percent !== null ? ` ${Math.round(event.percent)}%` : ''}
        </dd>
        <dt>Message</dt>
        <dd>{event.message}</dd>
        <dt>Journal entry</dt>
        <dd className="mono">#{event.seq}</dd>
      </dl>
      <h3>Raw payload</h3>
      <pre className="raw-payload" aria-label="Raw payload" tabIndex={0}>
        {rawText(event.raw)}
      </pre>
    </Dialog>
  );
}
