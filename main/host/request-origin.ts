// Who may use the web host's API (the WebSocket and the uploads): the window this host served, and local
// tools. Two small checks, because a same-origin check alone lets a DNS-rebinding page in; the session
// token (session.ts) is the third.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

function hostnameOf(hostHeader: string): string | undefined {
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function bare(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * The Host header must name this machine as the technician reached it: loopback, the bound address,
 * or (bound to every interface) any IP literal. A domain name other than localhost means DNS rebinding.
 */
export function isAllowedHostHeader(req: IncomingMessage, boundHost: string): boolean {
  const header = req.headers.host;
  if (!header) return false;
  const name = hostnameOf(header);
  if (name === undefined) return false;
  if (LOOPBACK_NAMES.has(name) || name === boundHost.toLowerCase()) return true;
  return WILDCARD_HOSTS.has(boundHost) && isIP(bare(name)) !== 0;
}

/**
 * Browsers send Origin on every WebSocket and on cross-origin and POST requests: it must be exactly the
 * window's own origin (scheme, host and port), which is this host as the request reached it. Another
 * port on localhost is another origin and is refused. Local tools send none; they still need the session.
 */
export function isAllowedOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const host = req.headers.host;
  if (!host) return false;
  let page: URL;
  let self: URL;
  try {
    page = new URL(origin);
    self = new URL(`http://${host}`);
  } catch {
    return false;
  }
  return page.protocol === 'http:' && page.origin === self.origin;
}

/** Whether a bind address keeps the server on this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const name = bare(host.toLowerCase());
  if (name === 'localhost' || name === '::1') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

export function isAllowedApiRequest(req: IncomingMessage, boundHost: string): boolean {
  return isAllowedHostHeader(req, boundHost) && isAllowedOrigin(req);
}
