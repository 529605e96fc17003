// The web host answers `/` before the core is up (the embedded broker and the journal take a moment):
// calls wait for the core, stream listeners attach once it is there.
import { ApiError, type ApiBackend, type StreamListener } from './backend';

export interface DeferredBackend extends ApiBackend {
  /** The core, once it is up. */
  ready: (backend: ApiBackend) => void;
  /** The core did not start: every waiting and later call fails with this reason. */
  failed: (reason: string) => void;
}

export function createDeferredBackend(): DeferredBackend {
  let resolveReady!: (backend: ApiBackend) => void;
  let rejectReady!: (e: ApiError) => void;
  const backend = new Promise<ApiBackend>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  backend.catch(() => undefined);
  let current: ApiBackend | undefined;
  const listeners = new Set<StreamListener>();
  const fanOut: StreamListener = (stream, payload) => {
    for (const l of listeners) l(stream, payload);
  };
  return {
    ready(b) {
      current = b;
      b.subscribe(fanOut);
      resolveReady(b);
    },
    failed(reason) {
      rejectReady(new ApiError('unavailable', `the Dockside core did not start: ${reason}`));
    },
    async handle(name, req) {
      return (current ?? (await backend)).handle(name, req);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
