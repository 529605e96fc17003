// The HTTP ingest endpoints (DESIGN.md "Ingest endpoints"): aktualizr's own POST /events and one
// POST /ingest/<protocol> per vehicle protocol. The handler answers only after the sink made the events
// durable, refuses bad input with a status and one logged error, and never lets a request crash the server.
// Web pages cannot plant events: a body must be declared JSON (or BSON where the protocol has it), which
// a page of another origin can only send after a preflight nobody answers, and a request carrying a
// browser's Origin is refused outright. Beyond loopback the host adds a bearer token (bearer-token.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerMatches } from './bearer-token';
import { deliver, refuse } from './deliver';
import type { VehicleProtocol } from '../../wire/vehicles';
import type { IngestSink } from './ingest-sink';

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface HttpIngestOptions {
  /** Bodies larger than this are answered 413 without being read (default 16 MiB). */
  maxBodyBytes?: number;
  /** When set, every request needs `Authorization: Bearer <token>`; 401 otherwise. */
  bearerToken?: string;
}

interface Route {
  protocol: VehicleProtocol;
  /** aktualizr's own path answers 204 like the back-end it stands in for; ours answer 200 {"accepted": N}. */
  noContent: boolean;
}

const ROUTES: Record<string, Route> = {
  '/events': { protocol: 'aktualizr', noContent: true },
  '/ingest/aktualizr': { protocol: 'aktualizr', noContent: false },
  '/ingest/carota': { protocol: 'carota', noContent: false },
  '/ingest/edgehog': { protocol: 'edgehog', noContent: false },
  '/ingest/oem': { protocol: 'oem', noContent: false },
};

/** The device is not in these payloads: the sender must name it. */
const DEVICE_FROM_REQUEST: ReadonlySet<VehicleProtocol> = new Set(['aktualizr', 'edgehog']);

type BodyKind = 'json' | 'bson';

/**
 * How the body is to be read, or null for a content type the protocol cannot carry. No text/plain and
 * no missing type: those are what a page may send anywhere without asking (a "no-cors" request).
 */
function bodyKind(protocol: VehicleProtocol, contentType: string | undefined): BodyKind | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return 'json';
  if (protocol === 'edgehog' && (type === 'application/bson' || type === 'application/octet-stream')) return 'bson';
  return null;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

function utf8(bytes: Buffer): string | undefined {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

type Body = { ok: true; bytes: Buffer } | { ok: false; tooLarge: boolean };

/** Reads the body up to `limit` bytes; past it, stops listening and keeps nothing. */
function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, tooLarge: true });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (body: Body) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish({ ok: false, tooLarge: true });
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => finish({ ok: true, bytes: Buffer.concat(chunks, size) });
    const onGone = () => finish({ ok: false, tooLarge: false });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/**
 * A request handler for node:http: answers the ingest routes and returns true, or returns false at once
 * for any other path so the caller can hand the request to its next handler.
 */
export function createHttpIngest(sink: IngestSink, opts: HttpIngestOptions = {}): (req: IncomingMessage, res: ServerResponse) => boolean {
  const limit = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const token = opts.bearerToken;
  return (req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://ingest.invalid');
    } catch {
      return false; // not a path we could own; the next handler answers it
    }
    const route = ROUTES[url.pathname];
    if (!route) {
      if (!url.pathname.startsWith('/ingest/')) return false;
      send(res, 404, { error: `no ingest endpoint ${url.pathname}; use /ingest/aktualizr, /ingest/carota, /ingest/edgehog or /ingest/oem` });
      return true;
    }
    // Not recorded in the log: a stranger knocking must not be able to fill the journal.
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      req.resume();
      send(res, 401, { error: `${url.pathname} needs "Authorization: Bearer <token>" (the host's --ingest-token)` }, { 'www-authenticate': 'Bearer realm="dockside-ingest"' });
      return true;
    }
    if (req.headers.origin !== undefined) {
      req.resume();
      send(res, 403, { error: 'vehicle reports are not taken from web pages' });
      return true;
    }
    handle(sink, limit, route, url, req, res).catch((e: unknown) => {
      send(res, 503, { error: `could not record the events: ${(e as Error).message}` });
    });
    return true;
  };
}

async function handle(sink: IngestSink, limit: number, route: Route, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { protocol } = route;
  const origin = `http ${req.method} ${url.pathname} from ${req.socket.remoteAddress ?? 'unknown'}`;
  const refuseWith = async (status: number, reason: string, input: unknown = '', headers: Record<string, string> = {}) => {
    await refuse(sink, protocol, reason, input, origin);
    send(res, status, { error: reason }, headers);
  };

  if (req.method !== 'POST') {
    req.resume();
    return refuseWith(405, `${req.method} is not allowed on ${url.pathname}; send the ${protocol} report with POST`, '', { allow: 'POST' });
  }
  const kind = bodyKind(protocol, req.headers['content-type']);
  if (kind === null) {
    req.resume();
    const accepted = protocol === 'edgehog' ? 'application/bson or application/json' : 'application/json';
    return refuseWith(415, `content type "${req.headers['content-type']}" is not a ${protocol} report; send ${accepted}`);
  }
  const body = await readBody(req, limit);
  if (!body.ok) {
    if (!body.tooLarge) return; // the sender went away mid-body: nobody to answer, nothing received
    // Close the connection rather than drain a body we will not read.
    return refuseWith(413, `body larger than the ${limit}-byte limit`, '', { connection: 'close' });
  }
  if (body.bytes.length === 0) return refuseWith(400, `empty body: expected a ${protocol} report`);

  const text = kind === 'json' ? utf8(body.bytes) : undefined;
  if (kind === 'json' && text === undefined) return refuseWith(400, `body is not valid UTF-8: a ${protocol} report is JSON text`, new Uint8Array(body.bytes));
  const input: Uint8Array | string = text ?? new Uint8Array(body.bytes);
  const device = headerValue(req.headers['x-device-id']) ?? (url.searchParams.get('device') || undefined);
  if (device === undefined && DEVICE_FROM_REQUEST.has(protocol)) {
    return refuseWith(400, `no device named: send the x-device-id header or ?device= with a ${protocol} report`, input);
  }
  const result = await deliver(sink, { protocol, input, device }, origin);
  if (!result.ok) return send(res, 400, { error: result.reason });
  if (route.noContent) return send(res, 204);
  send(res, 200, { accepted: result.accepted });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v ? v : undefined;
}
