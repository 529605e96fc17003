// The MQTT connection as the core reports it, and the page's own link to its host.
import { createStore } from 'zustand/vanilla';
import type { CallResponse, ConnectionStatus } from '../../preload/api';
import type { HostLink } from '../api-error';

export interface ConnectionState {
  status?: ConnectionStatus;
  hostLink: HostLink;
  info?: CallResponse<'app.info'>;
  setStatus(status: ConnectionStatus): void;
  setHostLink(link: HostLink): void;
  setInfo(info: CallResponse<'app.info'>): void;
}

export function createConnectionStore() {
  return createStore<ConnectionState>()((set) => ({
    hostLink: 'connecting',
    setStatus: (status) => set({ status }),
    setHostLink: (hostLink) => set({ hostLink }),
    setInfo: (info) => set({ info }),
  }));
}
