// The sandboxed preload: exposes `window.dockside` ({ call, on, addFirmwareFile, importCaptureFile }) through contextBridge.
// Every request, response and stream payload is checked against CALLS / STREAMS on this side too, so a
// compromised page gets nothing outside the contract. Bundled to one CommonJS file (scripts/build.mjs):
// a sandboxed preload cannot load ES modules, and its require() knows only 'electron'.
import type { z } from 'zod';
import { CALLS, STREAMS, type CallName, type CallRequest, type CallResponse, type DocksideApi, type FirmwareInfo, type StreamName, type StreamPayload } from './api';

/** The same channel names as main/host/ipc.ts (the preload cannot import main/). */
export const IPC_CALL_PREFIX = 'dockside:call:';
export const IPC_BATCH_CHANNEL = 'dockside:batch';
export const IPC_PICKED_CHANNEL = 'dockside:picked';

export interface IpcRendererLike {
  invoke(channel: string, req: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, batch: unknown) => void): unknown;
}

/** What the page gets as window.dockside in the desktop app. */
export interface DocksideBridge extends DocksideApi {
  /** A file the technician dropped or picked: its path goes to the core, the bytes never cross. */
  addFirmwareFile(file: File): Promise<FirmwareInfo>;
  /** A capture file the technician picked: its path goes to ingest.importPath, with protocol and device if given. */
  importCaptureFile(file: File, options?: Omit<CallRequest<'ingest.importPath'>, 'path'>): Promise<CallResponse<'ingest.importPath'>>;
}

/** Errors cross contextBridge as their message only, so the code travels in it: "[bad-request] …". */
function callError(code: string, message: string): Error {
  return new Error(`[${code}] ${message}`);
}

function readable(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
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

  const call = async (name: CallName, req: unknown): Promise<unknown> => {
    if (typeof name !== 'string' || !Object.hasOwn(CALLS, name)) throw callError('bad-request', `unknown call "${String(name)}"`);
    const spec = CALLS[name];
    const parsedReq = spec.req.safeParse(req ?? {});
    if (!parsedReq.success) throw callError('bad-request', `${name}: ${readable(parsedReq.error)}`);
    const reply = (await ipc.invoke(`${IPC_CALL_PREFIX}${name}`, parsedReq.data)) as { res?: unknown; error?: { code: string; message: string } };
    if (reply?.error) throw callError(reply.error.code, reply.error.message);
    const parsedRes = spec.res.safeParse(reply?.res);
    if (!parsedRes.success) throw callError('internal', `${name} returned a malformed response`);
    return parsedRes.data;
  };

  /**
   * The path of a file the technician dropped or picked, reported to main, which then lets the path calls
   * open it. Only a real File has a path: the page cannot make one up, and cannot reach this channel.
   */
  const picked = async (file: File): Promise<string> => {
    const path = pathForFile(file);
    if (!path) throw callError('bad-request', `${file.name} is not a file on this computer`);
    const reply = (await ipc.invoke(IPC_PICKED_CHANNEL, path)) as { error?: { code: string; message: string } };
    if (reply?.error) throw callError(reply.error.code, reply.error.message);
    return path;
  };

  return {
    call: call as DocksideApi['call'],
    on<S extends StreamName>(stream: S, listener: (payload: StreamPayload<S>) => void) {
      const set = listeners.get(stream) ?? new Set();
      listeners.set(stream, set);
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => void set.delete(l);
    },
    async addFirmwareFile(file) {
      return (await call('firmware.addPath', { path: await picked(file) })) as FirmwareInfo;
    },
    async importCaptureFile(file, options = {}) {
      return (await call('ingest.importPath', { ...options, path: await picked(file) })) as CallResponse<'ingest.importPath'>;
    },
  };
}

interface ElectronPreload {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: IpcRendererLike;
  webUtils: { getPathForFile(file: File): string };
}

// Only inside Electron's renderer process; importing this file in tests just gives the factory.
if ((process as { type?: string }).type === 'renderer') {
  const { contextBridge, ipcRenderer, webUtils } = require('electron') as ElectronPreload;
  contextBridge.exposeInMainWorld('dockside', createDocksideBridge(ipcRenderer, (file) => webUtils.getPathForFile(file)));
}
