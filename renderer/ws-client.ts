// The web host's side of the contract in the page: request ids, timeouts, stream batches unpacked,
// and reconnection with a visible "host connection lost" state while the host is away, during which
// calls are refused at once rather than kept for later.
import { API_SUBPROTOCOL, API_VERSION, SESSION_SUBPROTOCOL_PREFIX, type CallName, type CallRequest, type CallResponse, type DocksideApi, type StreamName, type StreamPayload } from '../preload/api';
import { ApiCallError, callErrorFromBody, type HostLink } from './api-error';
import type { SessionSource } from './session';

/** What the client needs of a WebSocket: the browser's, or the `ws` package's in tests. */
export interface WebSocketLike {
  readyState: number;
  send: (data: string) => void;
  close: (code?: number, reason?: string) => void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface WebSocketClientOptions {
  url: string;
  WebSocket: new (url: string, protocols?: string[]) => WebSocketLike;
  /** The host's session token, offered as a subprotocol; renewed when a socket is refused before it opens. */
  session: SessionSource;
  timeoutMs?: number;
  /** First reconnect delay; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

interface Pending {
  name: string;
  frame: string;
  sent: boolean;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

const OPEN = 1;

const notSent = (name: string) => new ApiCallError('unavailable', `${name}: the Dockside host is not reachable; nothing was sent`);

export function createWebSocketClient(options: WebSocketClientOptions) {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const pending = new Map<string, Pending>();
  const streamListeners = new Map<string, Set<(payload: unknown) => void>>();
  const linkListeners = new Set<(link: HostLink) => void>();
  let socket: WebSocketLike | undefined;
  let link: HostLink = 'connecting';
  let nextId = 0;
  let backoff = options.backoffMs ?? 250;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const setLink = (next: HostLink) => {
    if (next === link) return;
    link = next;
    for (const l of linkListeners) l(next);
  };

  const settle = (id: string, fn: (p: Pending) => void) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    clearTimeout(p.timer);
    fn(p);
  };

  const onFrame = (text: string) => {
    // Each field is checked where it is read: the host is trusted to speak the contract, not assumed to.
    let frame: { id?: unknown; res?: unknown; error?: { code?: unknown; message?: unknown }; batch?: unknown };
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      return;
    }
    if (Array.isArray(frame.batch)) {
      for (const item of frame.batch as { stream: string; payload: unknown }[]) {
        for (const l of streamListeners.get(item.stream) ?? []) l(item.payload);
      }
      return;
    }
    if (typeof frame.id !== 'string') return;
    if (frame.error !== undefined) {
      const failure = callErrorFromBody(frame.error, 'the host answered with a malformed error');
      settle(frame.id, (p) => p.reject(failure));
    } else settle(frame.id, (p) => p.resolve(frame.res));
  };

  const connect = () => {
    reconnectTimer = undefined;
    const ws = new options.WebSocket(options.url, [API_SUBPROTOCOL, `${SESSION_SUBPROTOCOL_PREFIX}${options.session.token()}`]);
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      backoff = options.backoffMs ?? 250;
      setLink('open');
      for (const p of pending.values()) {
        if (!p.sent) {
          ws.send(p.frame);
          p.sent = true;
        }
      }
    };
    ws.onmessage = (ev) => onFrame(String(ev.data));
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      // A call already on the wire will never be answered, and one not yet sent is dropped: a press must
      // never act later, when the technician no longer expects it.
      for (const [id, p] of pending) settle(id, (q) => q.reject(p.sent ? new ApiCallError('unavailable', `${q.name}: the connection to the Dockside host was lost`) : notSent(q.name)));
      if (closed) return;
      setLink('lost');
      const delay = backoff;
      backoff = Math.min(backoff * 2, options.maxBackoffMs ?? 5_000);
      // Refused before opening: the host may have restarted with a new session token.
      const ready = opened ? Promise.resolve() : options.session.renew();
      void ready.then(() => {
        if (!closed) reconnectTimer = setTimeout(connect, delay);
      });
    };
  };
  connect();

  const call = (<N extends CallName>(name: N, req: CallRequest<N>): Promise<CallResponse<N>> =>
    new Promise((resolve, reject) => {
      if (closed) return reject(new ApiCallError('unavailable', `${name}: the client is closed`));
      if (link === 'lost') return reject(notSent(name));
      const id = `c${++nextId}`;
      const frame = JSON.stringify({ v: API_VERSION, id, call: name, req });
      const timer = setTimeout(() => settle(id, (p) => p.reject(new ApiCallError('timeout', `${name}: no answer from the Dockside host within ${Math.round(timeoutMs / 1000)} s`))), timeoutMs);
      // The host answers a call id with that call's response: the contract's type for it, by name.
      const entry: Pending = { name, frame, sent: false, resolve: (value) => resolve(value as CallResponse<N>), reject, timer };
      pending.set(id, entry);
      if (socket && socket.readyState === OPEN) {
        socket.send(frame);
        entry.sent = true;
      }
    })) as DocksideApi['call'];

  return {
    call,
    on: <S extends StreamName>(stream: S, listener: (payload: StreamPayload<S>) => void): (() => void) => {
      const set = streamListeners.get(stream) ?? new Set();
      streamListeners.set(stream, set);
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => void set.delete(l);
    },
    link: () => link,
    onLink: (listener: (link: HostLink) => void) => {
      linkListeners.add(listener);
      return () => void linkListeners.delete(listener);
    },
    close: () => {
      closed = true;
      if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
      for (const id of [...pending.keys()]) settle(id, (p) => p.reject(new ApiCallError('unavailable', `${p.name}: the client is closed`)));
      socket?.close(1000, 'page closed');
    },
  };
}
