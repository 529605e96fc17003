// The sandboxed preload: exposes `window.dockside` (a DocksideBridge: call, on, addFirmwareFile,
// importCaptureFile) through contextBridge. Every request, response and stream payload is checked against
// CALLS / STREAMS on this side too, so a compromised page gets nothing outside the contract. Bundled to
// one CommonJS file (scripts/build.mjs): a sandboxed preload cannot load ES modules, and its require()
// knows only 'electron'.
import { CALLS, STREAMS, type CallName, type CallRequest, type CallResponse, type FirmwareInfo, type StreamName, type StreamPayload } from './api';
import { ApiErrorBodySchema, callFailed, IPC_BATCH_CHANNEL, IPC_CALL_PREFIX, IPC_PICKED_CHANNEL, readableZodError, type CallResult, type DocksideBridge } from './transport';

export interface IpcRendererLike {
  invoke: (channel: string, req: unknown) => Promise<unknown>;
  on: (channel: string, listener: (event: unknown, batch: unknown) => void) => unknown;
}

/** What main answered, read as a CallResult whatever arrived: a malformed error is an internal one. */
function asResult(reply: unknown): CallResult<unknown> {
  if (reply && typeof reply === 'object' && 'error' in reply) {
    const error = ApiErrorBodySchema.safeParse(reply.error);
    return error.success ? { error: error.data } : callFailed('internal', 'the Dockside core answered with a malformed error');
  }
  return { res: (reply as { res?: unknown } | undefined)?.res };
}

export function createDocksideBridge(ipc: IpcRendererLike, pathForFile: (file: File) => string): DocksideBridge {
  const listeners = new Map<StreamName, Set<(payload: unknown) => void>>();
  ipc.on(IPC_BATCH_CHANNEL, (_event, batch) => {
    if (!Array.isArray(batch)) return;
    for (const item of batch as { stream?: unknown; payload?: unknown }[]) {
      if (typeof item?.stream !== 'string' || !Object.hasOwn(STREAMS, item.stream)) continue;
      const stream = item.stream as StreamName;
      const parsed = STREAMS[stream].safeParse(item.payload);
      if (!parsed.success) continue;
      for (const l of listeners.get(stream) ?? []) l(parsed.data);
    }
  });

  const call = async <N extends CallName>(name: N, req: CallRequest<N>): Promise<CallResult<CallResponse<N>>> => {
    if (typeof name !== 'string' || !Object.hasOwn(CALLS, name)) return callFailed('bad-request', `unknown call "${String(name)}"`);
    const spec = CALLS[name];
    const parsedReq = spec.req.safeParse(req ?? {});
    if (!parsedReq.success) return callFailed('bad-request', `${name}: ${readableZodError(parsedReq.error)}`);
    const reply = asResult(await ipc.invoke(`${IPC_CALL_PREFIX}${name}`, parsedReq.data));
    if ('error' in reply) return reply;
    const parsedRes = spec.res.safeParse(reply.res);
    if (!parsedRes.success) return callFailed('internal', `${name} returned a malformed response`);
    return { res: parsedRes.data as CallResponse<N> };
  };

  /**
   * The path of a file the technician dropped or picked, reported to main, which then lets the path calls
   * open it. Only a real File has a path: the page cannot make one up, and cannot reach this channel.
   */
  const picked = async (file: File): Promise<CallResult<string>> => {
    const path = pathForFile(file);
    if (!path) return callFailed('bad-request', `${file.name} is not a file on this computer`);
    const reply = asResult(await ipc.invoke(IPC_PICKED_CHANNEL, path));
    return 'error' in reply ? reply : { res: path };
  };

  return {
    call,
    on<S extends StreamName>(stream: S, listener: (payload: StreamPayload<S>) => void) {
      const set = listeners.get(stream) ?? new Set();
      listeners.set(stream, set);
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => void set.delete(l);
    },
    async addFirmwareFile(file): Promise<CallResult<FirmwareInfo>> {
      const path = await picked(file);
      return 'error' in path ? path : call('firmware.addPath', { path: path.res });
    },
    async importCaptureFile(file, options = {}) {
      const path = await picked(file);
      return 'error' in path ? path : call('ingest.importPath', { ...options, path: path.res });
    },
  };
}

interface ElectronPreload {
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void };
  ipcRenderer: IpcRendererLike;
  webUtils: { getPathForFile: (file: File) => string };
}

// Only inside Electron's renderer process; importing this file in tests just gives the factory.
if ((process as { type?: string }).type === 'renderer') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload has require('electron') only.
  const { contextBridge, ipcRenderer, webUtils } = require('electron') as ElectronPreload;
  contextBridge.exposeInMainWorld(
    'dockside',
    createDocksideBridge(ipcRenderer, (file) => webUtils.getPathForFile(file)),
  );
}
