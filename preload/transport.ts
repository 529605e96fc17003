// How the contract in api.ts travels, written once for both hosts and the page: the IPC channel names,
// the WebSocket path and frames, the shape of a call's answer (a value or a typed error, never a string
// to parse back), the desktop bridge's type and the one way an invalid message is put into words.
import { z } from 'zod';
import type { CallName, CallRequest, CallResponse, FirmwareInfo, StreamName, StreamPayload } from './api';

/** Electron IPC: one `handle` per call (prefix + call name), stream batches on one channel. */
export const IPC_CALL_PREFIX = 'dockside:call:';
export const IPC_BATCH_CHANNEL = 'dockside:batch';
/** The preload reports the path of a file dropped or picked in the window (from a real File object). */
export const IPC_PICKED_CHANNEL = 'dockside:picked';

/** The web host's API socket, on the same origin as the page. */
export const WS_PATH = '/api/ws';

export const API_ERROR_CODES = ['bad-request', 'not-found', 'conflict', 'unavailable', 'timeout', 'internal'] as const;
/** Why a call failed: what the caller can do differs (fix the input, wait for the host, report a bug). */
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
}

export const ApiErrorBodySchema = z.object({ code: z.enum(API_ERROR_CODES), message: z.string() });

/**
 * A call's answer as it crosses a bridge: Electron's invoke and contextBridge keep only an Error's
 * message, so a failure travels as a value and the code survives.
 */
export type CallResult<T> = { res: T } | { error: ApiErrorBody };

export const callFailed = (code: ApiErrorCode, message: string): { error: ApiErrorBody } => ({ error: { code, message } });

/** One line a technician can read: `url: must be an mqtt:// URL; clientId: too long`. */
export function readableZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.map(String).join('.');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Client → host over the WebSocket. */
export const WsRequestFrameSchema = z.object({
  v: z.number(),
  id: z.union([z.string().min(1).max(128), z.number()]),
  call: z.string(),
  req: z.unknown().optional(),
});
export type WsRequestFrame = z.infer<typeof WsRequestFrameSchema>;

export interface StreamItem {
  stream: StreamName;
  payload: unknown;
}

/** Host → client over the WebSocket: a call's answer (by its id), or a batch of stream pushes. */
export type WsHostFrame = ({ id: string | number | null } & CallResult<unknown>) | { batch: StreamItem[] };

/** The core's answer to every call of the contract, one handler each (checked with `satisfies`). */
export type CallHandlers = { [N in CallName]: (req: CallRequest<N>) => CallResponse<N> | Promise<CallResponse<N>> };

/** What the desktop app's preload exposes as `window.dockside`: every answer a CallResult. */
export interface DocksideBridge {
  call: <N extends CallName>(name: N, req: CallRequest<N>) => Promise<CallResult<CallResponse<N>>>;
  on: <S extends StreamName>(stream: S, listener: (payload: StreamPayload<S>) => void) => () => void;
  /** A file the technician dropped or picked: its path goes to the core, the bytes never cross. */
  addFirmwareFile: (file: File) => Promise<CallResult<FirmwareInfo>>;
  /** A capture file the technician picked: its path goes to ingest.importPath, with protocol and device if given. */
  importCaptureFile: (file: File, options?: Omit<CallRequest<'ingest.importPath'>, 'path'>) => Promise<CallResult<CallResponse<'ingest.importPath'>>>;
}
