// One DocksideApi for the renderer whichever host it runs in: the desktop bridge (window.dockside,
// from preload/index.ts) when present, else the web host's WebSocket at /api/ws. Views never know which.
import type { CallName, CallRequest, CallResponse, DocksideApi, FirmwareInfo, StreamName, StreamPayload } from '../preload/api';
import { ApiCallError, type HostLink } from './api-error';
import type { CaptureOptions } from './capture-options';
import { uploadCapture, uploadFirmware } from './http-upload';
import { createSessionSource, type SessionSource } from './session';
import { createWebSocketClient, type WebSocketLike } from './ws-client';

export type ImportResult = CallResponse<'ingest.importPath'>;

export interface DocksideClient extends DocksideApi {
  readonly hostKind: 'electron' | 'web';
  /** Desktop: the file's path goes to the core. Web: the bytes are uploaded, with progress. */
  addFirmwareFile(file: File, onProgress?: (sent: number, total: number) => void): Promise<FirmwareInfo>;
  /** Desktop: the capture's path goes to ingest.importPath. Web: the bytes are uploaded to /api/import. */
  importCaptureFile(file: File, options?: CaptureOptions, onProgress?: (sent: number, total: number) => void): Promise<ImportResult>;
  link(): HostLink;
  onLink(listener: (link: HostLink) => void): () => void;
  close(): void;
}

/** The desktop bridge exposed by preload/index.ts. */
export interface DesktopBridge extends DocksideApi {
  addFirmwareFile(file: File): Promise<FirmwareInfo>;
  importCaptureFile(file: File, options?: CaptureOptions): Promise<ImportResult>;
}

/** Errors crossing contextBridge keep only their message; the preload puts the code in front: "[code] …". */
export function fromBridgeError(e: unknown): ApiCallError {
  const message = e instanceof Error ? e.message : String(e);
  const m = /^(?:Error invoking remote method '[^']*': )?(?:Error: )?\[([a-z-]+)\] ([\s\S]*)$/.exec(message);
  return m ? new ApiCallError(m[1]!, m[2]!) : new ApiCallError('internal', message);
}

export function fromDesktopBridge(bridge: DesktopBridge): DocksideClient {
  return {
    hostKind: 'electron',
    call: (async <N extends CallName>(name: N, req: CallRequest<N>): Promise<CallResponse<N>> => {
      try {
        return await bridge.call(name, req);
      } catch (e) {
        throw fromBridgeError(e);
      }
    }) as DocksideApi['call'],
    on: <S extends StreamName>(stream: S, listener: (payload: StreamPayload<S>) => void) => bridge.on(stream, listener),
    async addFirmwareFile(file) {
      try {
        return await bridge.addFirmwareFile(file);
      } catch (e) {
        throw fromBridgeError(e);
      }
    },
    async importCaptureFile(file, options) {
      try {
        return await bridge.importCaptureFile(file, options);
      } catch (e) {
        throw fromBridgeError(e);
      }
    },
    link: () => 'open',
    onLink: () => () => undefined,
    close: () => undefined,
  };
}

export interface ApiClientEnvironment {
  bridge?: DesktopBridge;
  location: Pick<Location, 'protocol' | 'host'>;
  /** The web host's session token, from the page it served (renderer/session.ts). */
  session?: SessionSource;
  WebSocket?: new (url: string, protocols?: string[]) => WebSocketLike;
}

export function createApiClient(env: ApiClientEnvironment): DocksideClient {
  if (env.bridge) return fromDesktopBridge(env.bridge);
  const scheme = env.location.protocol === 'https:' ? 'wss' : 'ws';
  const session = env.session ?? createSessionSource('', () => Promise.reject(new Error('no page to read a session from')));
  const ws = createWebSocketClient({
    url: `${scheme}://${env.location.host}/api/ws`,
    WebSocket: env.WebSocket ?? (WebSocket as unknown as new (url: string, protocols?: string[]) => WebSocketLike),
    session,
  });
  return {
    hostKind: 'web',
    call: ws.call,
    on: ws.on,
    addFirmwareFile: (file, onProgress) => uploadFirmware(file, onProgress, { session: session.token() }),
    importCaptureFile: (file, options = {}, onProgress) => uploadCapture(file, options, onProgress, { session: session.token() }),
    link: ws.link,
    onLink: ws.onLink,
    close: ws.close,
  };
}
