// What a host (Electron IPC or the web host's WebSocket) exposes: the core, seen through the contract.
import type { CallName, CallRequest, CallResponse, StreamName, StreamPayload } from '../../preload/api';
import type { ApiErrorCode } from '../../preload/transport';

export type StreamListener = <S extends StreamName>(stream: S, payload: StreamPayload<S>) => void;

export interface ApiBackend {
  handle: <N extends CallName>(name: N, req: CallRequest<N>) => Promise<CallResponse<N>>;
  subscribe: (listener: StreamListener) => () => void;
}

/** A failure the technician can act on, carried across the boundary as `{ error: { code, message } }`. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}
