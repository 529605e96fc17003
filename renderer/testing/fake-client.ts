// A DocksideClient for component tests: answers calls from a table, records them, and pushes streams
// when the test says so. The transports themselves are tested for real in ws-client.test.ts.
import type { CallName, CallRequest, CallResponse, FirmwareInfo, StreamName, StreamPayload } from '../../preload/api';
import type { DocksideClient } from '../api-client';
import { ApiCallError, type HostLink } from '../api-error';

export type Handlers = { [N in CallName]?: (req: CallRequest<N>) => CallResponse<N> | Promise<CallResponse<N>> };

export interface FakeClient extends DocksideClient {
  calls: { name: CallName; req: unknown }[];
  emit: <S extends StreamName>(stream: S, payload: StreamPayload<S>) => void;
  setLink: (link: HostLink) => void;
}

export function createFakeClient(handlers: Handlers = {}, initialLink: HostLink = 'open'): FakeClient {
  const streams = new Map<string, Set<(p: unknown) => void>>();
  const links = new Set<(l: HostLink) => void>();
  let link = initialLink;
  const client: FakeClient = {
    hostKind: 'web',
    calls: [],
    call: (async (name: CallName, req: unknown) => {
      client.calls.push({ name, req });
      const handler = handlers[name] as ((r: unknown) => unknown) | undefined;
      if (!handler) throw new ApiCallError('unavailable', `${name} is not answered in this test`);
      return handler(req);
    }) as DocksideClient['call'],
    on(stream, listener) {
      const set = streams.get(stream) ?? new Set();
      streams.set(stream, set);
      set.add(listener as (p: unknown) => void);
      return () => void set.delete(listener as (p: unknown) => void);
    },
    async addFirmwareFile(file: File): Promise<FirmwareInfo> {
      return client.call('firmware.addPath', { path: `/uploads/${file.name}` });
    },
    async importCaptureFile(file, options = {}) {
      return client.call('ingest.importPath', { ...options, path: `/uploads/${file.name}` });
    },
    link: () => link,
    onLink(listener) {
      links.add(listener);
      return () => void links.delete(listener);
    },
    close: () => undefined,
    emit(stream, payload) {
      for (const l of streams.get(stream) ?? []) l(payload);
    },
    setLink(next) {
      link = next;
      for (const l of links) l(next);
    },
  };
  return client;
}
