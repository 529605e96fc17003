// The MQTT connection as the core reports it, the page's own link to its host, and whether the host's
// journal is writing.
import { createStore } from 'zustand/vanilla';
import type { CallResponse, ConnectionStatus, JournalHealth } from '../../preload/api';
import type { HostLink } from '../api-error';

export interface ConnectionState {
  status?: ConnectionStatus;
  hostLink: HostLink;
  info?: CallResponse<'app.info'>;
  journal: JournalHealth;
  setStatus: (status: ConnectionStatus) => void;
  setHostLink: (link: HostLink) => void;
  setInfo: (info: CallResponse<'app.info'>) => void;
  setJournal: (journal: JournalHealth) => void;
}

export function createConnectionStore() {
  return createStore<ConnectionState>()((set) => ({
    hostLink: 'connecting',
    journal: { state: 'ok' },
    setStatus: (status) => set({ status }),
    setHostLink: (hostLink) => set({ hostLink }),
    setInfo: (info) => set({ info }),
    setJournal: (journal) => set({ journal }),
  }));
}
