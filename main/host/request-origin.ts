// Who may use the web host's API (the WebSocket and the firmware upload): pages served by this host,
// and local tools. Two small checks, because a same-origin check alone lets a DNS-rebinding page in.
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

/** Browsers always send Origin; local tools (curl, node scripts) send none and are let in. */
export function isAllowedOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.host.toLowerCase() === (req.headers.host ?? '').toLowerCase()) return true;
  return LOOPBACK_NAMES.has(url.hostname.toLowerCase());
}

export function isAllowedApiRequest(req: IncomingMessage, boundHost: string): boolean {
  return isAllowedHostHeader(req, boundHost) && isAllowedOrigin(req);
}
