// One generic dispatcher over the CALLS table and one validator over STREAMS: both hosts (IPC and
// WebSocket) go through these, so the contract in preload/api.ts is enforced in exactly one place.
import { CALLS, STREAMS, type CallName, type StreamName } from '../../preload/api';
import { readableZodError, type ApiErrorBody } from '../../preload/transport';
import { ApiError, type ApiBackend } from './backend';

export type Dispatch = (call: string, req: unknown) => Promise<unknown>;
export type Log = (line: string) => void;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(CALLS, name);
}

export function isStreamName(name: unknown): name is StreamName {
  return typeof name === 'string' && Object.hasOwn(STREAMS, name);
}

const defaultLog: Log = (line) => process.stderr.write(`${line}\n`);

export function createDispatcher(backend: ApiBackend, log: Log = defaultLog): Dispatch {
  return async (call, req) => {
    if (!isCallName(call)) throw new ApiError('bad-request', `unknown call "${String(call).slice(0, 64)}"`);
    const spec = CALLS[call];
    const parsedReq = spec.req.safeParse(req ?? {});
    if (!parsedReq.success) throw new ApiError('bad-request', `${call}: ${readableZodError(parsedReq.error)}`);
    let res: unknown;
    try {
      res = await backend.handle(call, parsedReq.data);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      const err = e as Error;
      log(`dockside: ${call} failed: ${err?.stack ?? String(e)}`);
      throw new ApiError('internal', err?.message ?? String(e));
    }
    const parsedRes = spec.res.safeParse(res);
    if (!parsedRes.success) {
      log(`dockside: ${call} returned a response outside the contract: ${readableZodError(parsedRes.error)}`);
      throw new ApiError('internal', `${call} returned a malformed response`);
    }
    return parsedRes.data;
  };
}

export type StreamCheck = { ok: true; stream: StreamName; payload: unknown } | { ok: false; message: string };

export function validateStream(stream: string, payload: unknown): StreamCheck {
  if (!isStreamName(stream)) return { ok: false, message: `unknown stream "${String(stream).slice(0, 64)}"` };
  const parsed = STREAMS[stream].safeParse(payload);
  if (!parsed.success) return { ok: false, message: `${stream}: ${readableZodError(parsed.error)}` };
  return { ok: true, stream, payload: parsed.data };
}

/** What crosses the boundary for a failed call: an ApiError as is, anything else as "internal". */
export function toErrorBody(e: unknown): ApiErrorBody {
  if (e instanceof ApiError) return { code: e.code, message: e.message };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

/** The backend's stream pushes, each validated against STREAMS; a bad one is logged and dropped. */
export function subscribeValidated(backend: ApiBackend, onItem: (stream: StreamName, payload: unknown) => void, log: Log = defaultLog): () => void {
  return backend.subscribe((stream, payload) => {
    const check = validateStream(stream, payload);
    if (check.ok) onItem(check.stream, check.payload);
    else log(`dockside: dropped a stream push outside the contract: ${check.message}`);
  });
}
