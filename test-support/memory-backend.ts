// A small ApiBackend that keeps its state in memory, for the host and transport tests (the real core is
// main/app/app-core.ts). It speaks the contract faithfully so the adapters are tested against real shapes.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { CallName, CallRequest, CallResponse, ConnectionStatus, DeviceInfo, DeviceUpgrade, FirmwareInfo, StreamName, StreamPayload } from '../preload/api';
import { ApiError, type ApiBackend, type StreamListener } from '../main/host/backend';

export interface MemoryBackend extends ApiBackend {
  devices: Map<string, DeviceInfo>;
  firmware: Map<string, FirmwareInfo>;
  upgrades: Map<string, DeviceUpgrade>;
  calls: { name: CallName; req: unknown }[];
  emit: <S extends StreamName>(stream: S, payload: StreamPayload<S>) => void;
  /** Emits something outside the contract, to test that hosts drop it. */
  emitRaw: (stream: string, payload: unknown) => void;
}

function md5File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('md5');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export function createMemoryBackend(now: () => string = () => new Date().toISOString()): MemoryBackend {
  const listeners = new Set<StreamListener>();
  let connection: ConnectionStatus = { state: 'disconnected', url: '', clientId: 'dockside-test', since: now() };
  let nextId = 1;
  const self: MemoryBackend = {
    devices: new Map(),
    firmware: new Map(),
    upgrades: new Map(),
    calls: [],
    emit(stream, payload) {
      for (const l of listeners) l(stream, payload);
    },
    emitRaw(stream, payload) {
      for (const l of listeners) (l as (s: string, p: unknown) => void)(stream, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async handle<N extends CallName>(name: N, req: CallRequest<N>): Promise<CallResponse<N>> {
      self.calls.push({ name, req });
      const r = req as Record<string, unknown>;
      const answer = async (): Promise<unknown> => {
        switch (name) {
          case 'app.info':
            return { name: 'Dockside', version: '0.0.0-test', apiVersion: 1, host: 'web', dataDir: '/nowhere' };
          case 'connection.get':
            return connection;
          case 'connection.connect':
            connection = { state: 'connected', url: String(r.url), clientId: String(r.clientId ?? 'dockside-test'), since: now() };
            self.emit('connection', connection);
            return connection;
          case 'connection.useEmbedded':
            connection = { state: 'connected', url: 'mqtt://127.0.0.1:1883', clientId: 'dockside-test', since: now(), embeddedBrokerUrl: 'mqtt://127.0.0.1:1883' };
            return connection;
          case 'connection.disconnect':
            connection = { ...connection, state: 'disconnected', since: now() };
            return connection;
          case 'devices.list':
            return [...self.devices.values()];
          case 'firmware.list':
            return [...self.firmware.values()];
          case 'firmware.addPath': {
            const path = String(r.path);
            let size: number;
            try {
              size = statSync(path).size;
            } catch {
              throw new ApiError('not-found', `no such file: ${path}`);
            }
            const info: FirmwareInfo = { id: `fw${nextId++}`, fileName: basename(path), size, md5: await md5File(path), addedAt: now() };
            if (typeof r.version === 'string') info.version = r.version;
            self.firmware.set(info.id, info);
            self.emit('firmware', info);
            return info;
          }
          case 'firmware.setVersion': {
            const info = self.firmware.get(String(r.id));
            if (!info) throw new ApiError('not-found', `no firmware ${String(r.id)}`);
            info.version = String(r.version);
            return info;
          }
          case 'firmware.remove':
            self.firmware.delete(String(r.id));
            return { ok: true };
          case 'upgrade.list':
            return [...self.upgrades.values()];
          default:
            throw new ApiError('unavailable', `${name} is not implemented by the memory backend`);
        }
      };
      return (await answer()) as CallResponse<N>;
    },
  };
  return self;
}
