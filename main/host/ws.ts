// The WebSocket transport of the contract, on the web host's HTTP server at /api/ws.
// The frames are declared in preload/transport.ts, beside the page's side of them.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { API_SUBPROTOCOL, API_VERSION } from '../../preload/api';
import type { ApiBackend } from './backend';
import { callFailed, readableZodError, WS_PATH, WsRequestFrameSchema, type StreamItem, type WsHostFrame } from '../../preload/transport';
import { createDispatcher, subscribeValidated, toErrorBody, type Dispatch, type Log } from './contract';
import { createStreamBatcher } from './stream-batcher';

export interface WebSocketApiOptions {
  server: Server;
  backend: ApiBackend;
  /** How calls reach the backend; the contract's dispatcher over `backend` unless the host narrows it. */
  dispatch?: Dispatch;
  /** Decides whether an upgrade request may open a socket (origin, Host and session checks). */
  allow: (req: IncomingMessage) => boolean;
  log?: Log;
  batchIntervalMs?: number;
  /** A client that falls this far behind is dropped; it reconnects and reloads its lists. */
  maxBufferedBytes?: number;
  maxMessageBytes?: number;
}

export interface WebSocketApi {
  close: () => Promise<void>;
}

function idOf(raw: unknown): string | number | null {
  if (raw && typeof raw === 'object' && 'id' in raw) {
    const id = raw.id;
    if (typeof id === 'string' || typeof id === 'number') return id;
  }
  return null;
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function attachWebSocketApi(options: WebSocketApiOptions): WebSocketApi {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const maxBuffered = options.maxBufferedBytes ?? 32 * 1024 * 1024;
  const dispatch = options.dispatch ?? createDispatcher(options.backend, log);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes ?? 1024 * 1024,
    // The window offers the API's subprotocol and one carrying its token: only the first is ever echoed.
    handleProtocols: (offered) => (offered.has(API_SUBPROTOCOL) ? API_SUBPROTOCOL : false),
  });

  const send = (ws: WebSocket, frame: WsHostFrame) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  };

  const broadcast = (batch: StreamItem[]) => {
    const text = JSON.stringify({ batch } satisfies WsHostFrame);
    for (const ws of wss.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > maxBuffered) {
        log(`dockside: a WebSocket client fell ${ws.bufferedAmount} bytes behind; dropping it`);
        ws.terminate();
        continue;
      }
      ws.send(text);
    }
  };
  const batcher = createStreamBatcher(broadcast, options.batchIntervalMs);
  const unsubscribe = subscribeValidated(options.backend, (stream, payload) => batcher.push(stream, payload), log);

  const onMessage = async (ws: WebSocket, data: RawData, isBinary: boolean) => {
    let raw: unknown;
    try {
      if (isBinary) throw new Error('binary frames are not part of the API');
      raw = JSON.parse(textOf(data));
    } catch (e) {
      send(ws, { id: null, ...callFailed('bad-request', `not a JSON API message: ${(e as Error).message}`) });
      return;
    }
    const frame = WsRequestFrameSchema.safeParse(raw);
    if (!frame.success) {
      send(ws, { id: idOf(raw), ...callFailed('bad-request', `malformed API message: ${readableZodError(frame.error)}`) });
      return;
    }
    const { v, id, call, req } = frame.data;
    if (v !== API_VERSION) {
      send(ws, { id, ...callFailed('bad-request', `API version ${v} is not spoken here; this host speaks version ${API_VERSION}`) });
      return;
    }
    try {
      send(ws, { id, res: await dispatch(call, req) });
    } catch (e) {
      send(ws, { id, error: toErrorBody(e) });
    }
  };

  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => void onMessage(ws, data, isBinary));
    ws.on('error', (e) => log(`dockside: WebSocket client error: ${e.message}`));
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== WS_PATH) return refuse(socket, '404 Not Found');
    if (!options.allow(req)) return refuse(socket, '403 Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  options.server.on('upgrade', onUpgrade);

  return {
    async close() {
      options.server.off('upgrade', onUpgrade);
      unsubscribe();
      batcher.close();
      for (const ws of wss.clients) ws.close(1001, 'host shutting down');
      const closed = new Promise<void>((resolve) => wss.close(() => resolve()));
      // A client that does not answer the close handshake must not hold the host open.
      const cutoff = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
      }, 1000);
      await closed;
      clearTimeout(cutoff);
    },
  };
}

/** A text frame as a string, whichever of ws's three shapes (one Buffer, fragments, an ArrayBuffer) it came in. */
function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
