// The Electron IPC transport of the contract: one ipcMain.handle per call name, stream batches sent to
// the window. Electron itself comes in as parameters so this stays plain, testable Node.
import { CALLS, type CallName } from '../../preload/api';
import type { ApiBackend } from './backend';
import { createDispatcher, subscribeValidated, toErrorBody, type ErrorBody, type Log } from './contract';
import { createStreamBatcher, type StreamItem } from './stream-batcher';

/** Channel names; preload/index.ts spells the same two strings (it cannot import main/). */
export const IPC_CALL_PREFIX = 'dockside:call:';
export const IPC_BATCH_CHANNEL = 'dockside:batch';

/** Errors do not survive ipcRenderer.invoke with their code, so a call answers with a value either way. */
export type IpcReply = { res: unknown } | { error: ErrorBody };

export interface IpcMainLike {
  handle(channel: string, listener: (event: unknown, req: unknown) => Promise<IpcReply>): void;
  removeHandler(channel: string): void;
}

export interface IpcApiOptions {
  ipcMain: IpcMainLike;
  /** Sends one batch of stream items to the renderer (webContents.send on IPC_BATCH_CHANNEL). */
  send(channel: string, batch: StreamItem[]): void;
  backend: ApiBackend;
  /** Only our own renderer may call; anything else (a navigated-away frame) is refused. */
  isTrustedSender?(event: unknown): boolean;
  log?: Log;
  batchIntervalMs?: number;
}

export function attachIpcApi(options: IpcApiOptions): () => void {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dispatch = createDispatcher(options.backend, log);
  const names = Object.keys(CALLS) as CallName[];
  for (const name of names) {
    options.ipcMain.handle(`${IPC_CALL_PREFIX}${name}`, async (event, req) => {
      if (options.isTrustedSender && !options.isTrustedSender(event)) {
        return { error: { code: 'bad-request', message: 'this page may not use the Dockside API' } };
      }
      try {
        return { res: await dispatch(name, req) };
      } catch (e) {
        return { error: toErrorBody(e) };
      }
    });
  }
  const batcher = createStreamBatcher((batch) => options.send(IPC_BATCH_CHANNEL, batch), options.batchIntervalMs);
  const unsubscribe = subscribeValidated(options.backend, (stream, payload) => batcher.push(stream, payload), log);
  return () => {
    unsubscribe();
    batcher.close();
    for (const name of names) options.ipcMain.removeHandler(`${IPC_CALL_PREFIX}${name}`);
  };
}
