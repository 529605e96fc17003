// The web host's per-start session token. The host writes it into the index.html it serves (a page of
// another origin, another port on localhost included, cannot read that answer), the window sends it
// back on the API socket (as a WebSocket subprotocol) and on uploads (a header), and the host refuses
// both without it. Local tools without a browser read it from `/` the same way.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SESSION_HEADER, SESSION_META_NAME, SESSION_SUBPROTOCOL_PREFIX } from '../../preload/api';

export function newSessionToken(): string {
  return randomBytes(32).toString('hex');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The token a request carries: the session header, else a `dockside-session.<token>` WebSocket subprotocol. */
export function sessionOf(req: IncomingMessage): string | undefined {
  const direct = header(req, SESSION_HEADER);
  if (direct) return direct;
  const offered =
    header(req, 'sec-websocket-protocol')
      ?.split(',')
      .map((p) => p.trim()) ?? [];
  return offered.find((p) => p.startsWith(SESSION_SUBPROTOCOL_PREFIX))?.slice(SESSION_SUBPROTOCOL_PREFIX.length);
}

export function hasSession(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(sessionOf(req) ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** index.html with the token in a meta element, placed first in <head> (or first in the page without one). */
export function injectSession(html: string, token: string): string {
  const meta = `<meta name="${SESSION_META_NAME}" content="${token}">`;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head) return `${html.slice(0, head.index + head[0].length)}${meta}${html.slice(head.index + head[0].length)}`;
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  const at = doctype ? doctype[0].length : 0;
  return `${html.slice(0, at)}${meta}${html.slice(at)}`;
}
