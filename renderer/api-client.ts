// One DocksideApi for the renderer whichever host it runs in: the desktop bridge (window.dockside,
// from preload/index.ts) when present, else the web host's WebSocket at /api/ws. Views never know which.
import type { CallName, CallRequest, CallResponse, DocksideApi, FirmwareInfo, StreamName, StreamPayload } from '../preload/api';
import { WS_PATH, type CallResult, type DocksideBridge } from '../preload/transport';
import { ApiCallError, type HostLink } from './api-error';
import type { CaptureOptions } from './capture-options';
import { uploadCapture, uploadFirmware } from './http-upload';
import { createSessionSource, type SessionSource } from './session';
import { createWebSocketClient, type WebSocketLike } from './ws-client';

export type ImportResult = CallResponse<'ingest.importPath'>;

export interface DocksideClient extends DocksideApi {
  readonly hostKind: 'electron' | 'web';
  /** Desktop: the file's path goes to the core. Web: the bytes are uploaded, with progress. */
  addFirmwareFile: (file: File, onProgress?: (sent: number, total: number) => void) => Promise<FirmwareInfo>;
  /** Desktop: the capture's path goes to ingest.importPath. Web: the bytes are uploaded to /api/import. */
  importCaptureFile: (file: File, options?: CaptureOptions, onProgress?: (sent: number, total: number) => void) => Promise<ImportResult>;
  link: () => HostLink;
  onLink: (listener: (link: HostLink) => void) => () => void;
  close: () => void;
}

/** A bridge answer as the views expect it: the value, or an ApiCallError with the host's code. */
async function unwrap<T>(answer: Promise<CallResult<T>>): Promise<T> {
  let result: CallResult<T>;
  try {
    result = await answer;
  } catch (e) {
    // The bridge itself broke (the preload threw): no code came with it.
    throw new ApiCallError('internal', e instanceof Error ? e.message : String(e));
  }
  if ('error' in result) throw new ApiCallError(result.error.code, result.error.message);
  return result.res;
}

export function fromDesktopBridge(bridge: DocksideBridge): DocksideClient {
  return {
    hostKind: 'electron',
    call: <N extends CallName>(name: N, req: CallRequest<N>): Promise<CallResponse<N>> => unwrap(bridge.call(name, req)),
    on: <S extends StreamName>(stream: S, listener: (payload: StreamPayload<S>) => void) => bridge.on(stream, listener),
    addFirmwareFile: (file) => unwrap(bridge.addFirmwareFile(file)),
    importCaptureFile: (file, options) => unwrap(bridge.importCaptureFile(file, options)),
    link: () => 'open',
    onLink: () => () => undefined,
    close: () => undefined,
  };
}

export interface ApiClientEnvironment {
  bridge?: DocksideBridge;
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
    url: `${scheme}://${env.location.host}${WS_PATH}`,
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
