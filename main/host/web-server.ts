// The web host: the built renderer, the contract over a WebSocket at /api/ws, firmware and capture
// uploads, and whatever the core serves itself (ingest routes) on one node:http server. The socket and
// the uploads answer only the window this host served: its exact origin and its per-start session token.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiBackend } from './backend';
import { createDispatcher, type Log } from './contract';
import { handleCaptureUpload, IMPORT_PATH } from './capture-upload';
import { handleFirmwareUpload, UPLOAD_PATH, type UploadOptions } from './firmware-upload';
import { guardPathCalls, UPLOADS_ONLY } from './picked-files';
import { isAllowedApiRequest, isAllowedHostHeader } from './request-origin';
import { hasSession, injectSession, newSessionToken } from './session';
import { applySecurityHeaders } from './security-headers';
import { createStaticHandler } from './static-files';
import { WS_PATH } from '../../preload/transport';
import { attachWebSocketApi } from './ws';

export interface WebServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  backend: ApiBackend;
  /**
   * dist/renderer; when not built yet, `/` still answers with a page saying how to build it. Absent: no
   * window is served, so nobody is handed the session token (the desktop app, whose window speaks IPC).
   */
  rendererDir?: string;
  /** Where firmware and capture uploads land (`<dataDir>/uploads`). */
  uploadDir: string;
  /** Routes the core serves itself (ingest); returns true when it took the request. */
  extraHandler?: (req: IncomingMessage, res: ServerResponse) => boolean;
  maxUploadBytes?: number;
  log?: Log;
}

export interface WebServer {
  url: string;
  host: string;
  port: number;
  /** This start's session token, also written into the served index.html. */
  sessionToken: string;
  close: () => Promise<void>;
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

/** The page is not the window this host served (another origin, or no session token of this start). */
function refused(res: ServerResponse): void {
  const text = JSON.stringify({ error: { code: 'bad-request', message: 'only the Dockside window this host served may upload (reload the page if the host restarted)' } });
  res.writeHead(403, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

export function urlHostFor(host: string): string {
  if (host === '0.0.0.0' || host === '' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dispatch = createDispatcher(options.backend, log);
  const sessionToken = newSessionToken();
  // A rebinding page (a foreign name in Host) gets the page without the token.
  const page = (html: string, req: IncomingMessage) => (isAllowedHostHeader(req, options.host) ? injectSession(html, sessionToken) : html);
  const rendererDir = options.rendererDir;
  const serveStatic = rendererDir === undefined ? (_req: IncomingMessage, res: ServerResponse) => plain(res, 404, 'not found\n') : createStaticHandler(rendererDir, { page });
  const allowApi = (req: IncomingMessage) => isAllowedApiRequest(req, options.host) && hasSession(req, sessionToken);
  const uploads: Record<string, (req: IncomingMessage, res: ServerResponse, o: UploadOptions) => Promise<void>> = {
    [UPLOAD_PATH]: handleFirmwareUpload,
    [IMPORT_PATH]: handleCaptureUpload,
  };

  const route = (req: IncomingMessage, res: ServerResponse) => {
    applySecurityHeaders(req, res);
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) return plain(res, 200, 'ok\n');
    const upload = Object.hasOwn(uploads, path ?? '') ? uploads[path!] : undefined;
    if (upload) {
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        return plain(res, 405, 'method not allowed\n');
      }
      if (!allowApi(req)) {
        req.resume();
        return refused(res);
      }
      return void upload(req, res, { uploadDir: options.uploadDir, dispatch, maxBytes: options.maxUploadBytes });
    }
    if (options.extraHandler?.(req, res)) return;
    if (path === WS_PATH) return plain(res, 426, 'this path speaks WebSocket\n');
    serveStatic(req, res);
  };

  const server = createServer((req, res) => {
    try {
      route(req, res);
    } catch (e) {
      log(`dockside: web host request failed: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent) plain(res, 500, 'internal error\n');
      else res.destroy();
    }
  });
  const wsApi = attachWebSocketApi({ server, backend: options.backend, dispatch: guardPathCalls(dispatch, UPLOADS_ONLY), allow: allowApi, log });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (e) => {
    await wsApi.close();
    throw e;
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${urlHostFor(options.host)}:${port}/`,
    host: options.host,
    port,
    sessionToken,
    async close() {
      await wsApi.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
