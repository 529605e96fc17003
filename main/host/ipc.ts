// The Electron IPC transport of the contract: one ipcMain.handle per call name, stream batches sent to
// the window. Electron itself comes in as parameters so this stays plain, testable Node.
import { CALLS, type CallName } from '../../preload/api';
import { callFailed, IPC_BATCH_CHANNEL, IPC_CALL_PREFIX, IPC_PICKED_CHANNEL, type CallResult, type StreamItem } from '../../preload/transport';
import type { ApiBackend } from './backend';
import { createDispatcher, subscribeValidated, toErrorBody, type Log } from './contract';
import { guardPathCalls, PickedFiles, pickedOnly } from './picked-files';
import { createStreamBatcher } from './stream-batcher';

export type IpcReply = CallResult<unknown>;

export interface IpcMainLike {
  handle: (channel: string, listener: (event: unknown, req: unknown) => Promise<IpcReply>) => void;
  removeHandler: (channel: string) => void;
}

export interface IpcApiOptions {
  ipcMain: IpcMainLike;
  /** Sends one batch of stream items to the renderer (webContents.send on IPC_BATCH_CHANNEL). */
  send: (channel: string, batch: StreamItem[]) => void;
  backend: ApiBackend;
  /** Only our own renderer may call; anything else (a navigated-away frame) is refused. */
  isTrustedSender?: (event: unknown) => boolean;
  log?: Log;
  batchIntervalMs?: number;
}

export function attachIpcApi(options: IpcApiOptions): () => void {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const picked = new PickedFiles();
  const dispatch = guardPathCalls(createDispatcher(options.backend, log), pickedOnly(picked));
  const names = Object.keys(CALLS) as CallName[];
  const untrusted = (event: unknown): IpcReply | undefined =>
    options.isTrustedSender && !options.isTrustedSender(event) ? callFailed('bad-request', 'this page may not use the Dockside API') : undefined;
  options.ipcMain.handle(IPC_PICKED_CHANNEL, async (event, path) => {
    const refused = untrusted(event);
    if (refused) return refused;
    if (typeof path !== 'string' || path === '') return callFailed('bad-request', 'a picked file needs its path');
    picked.grant(path);
    return { res: { ok: true } };
  });
  for (const name of names) {
    options.ipcMain.handle(`${IPC_CALL_PREFIX}${name}`, async (event, req) => {
      const refused = untrusted(event);
      if (refused) return refused;
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
    options.ipcMain.removeHandler(IPC_PICKED_CHANNEL);
  };
}
