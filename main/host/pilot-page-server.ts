// The Pilot 2 page's own small listener, on the built-in broker's addresses: it serves that page, its
// script and style, and how far each dock got — nothing else. The page carries the dock login, so it
// lives under an unguessable path token; a wrong path gets the same 404 as any other.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DockJoin } from '../../preload/api';
import { lanAddresses, unmapped } from '../firmware/lan-address';
import { PILOT_PAGE_CSS, PILOT_PAGE_SCRIPT, pilotPageHtml, type PilotPageConfig } from './pilot-page';

export interface PilotPageSource {
  token: () => string;
  /** The page's settings for a visitor who reached this machine on `localAddress`. */
  config: (localAddress: string) => Omit<PilotPageConfig, 'statusPath'>;
  joins: () => DockJoin[];
}

export interface PilotPageServer {
  port: number;
  /** The page's address on each LAN address it listens on. */
  urls: () => string[];
  close: () => Promise<void>;
}

const PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': PAGE_POLICY,
    'X-Content-Type-Options': 'nosniff',
    // The path carries the token: a link followed from the page must not hand it on.
    'Referrer-Policy': 'no-referrer',
  });
  res.end(body);
}

export function pilotPagePath(token: string): string {
  return `/pilot/${token}/`;
}

function listenOn(server: ReturnType<typeof createServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startPilotPageServer(options: { host: string; port: number; source: PilotPageSource }): Promise<PilotPageServer> {
  const { source } = options;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    const base = pilotPagePath(source.token());
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (!path.startsWith(base)) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    switch (path.slice(base.length)) {
      case '':
        return send(res, 200, 'text/html; charset=utf-8', pilotPageHtml({ ...source.config(unmapped(req.socket.localAddress ?? '127.0.0.1')), statusPath: `${base}status.json` }, base));
      case 'page.js':
        return send(res, 200, 'text/javascript; charset=utf-8', PILOT_PAGE_SCRIPT);
      case 'page.css':
        return send(res, 200, 'text/css; charset=utf-8', PILOT_PAGE_CSS);
      case 'status.json':
        return send(res, 200, 'application/json; charset=utf-8', JSON.stringify({ docks: source.joins() }));
      default:
        return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    }
  };
  const server = createServer(handle);
  try {
    await listenOn(server, options.port, options.host);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    await listenOn(server, 0, options.host);
  }
  const port = (server.address() as AddressInfo).port;
  const everywhere = options.host === '0.0.0.0' || options.host === '::';
  return {
    port,
    urls: () => (everywhere ? lanAddresses() : [options.host]).map((a) => `http://${a.includes(':') ? `[${a}]` : a}:${port}${pilotPagePath(source.token())}`),
    close: () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      return closed;
    },
  };
}
