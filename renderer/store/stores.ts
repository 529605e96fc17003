// The stores, sliced by concern, and the one place stream pushes are routed into them: each store
// gets one update per frame with everything its stream brought.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { BatchSummary, CampaignSummary, ConnectionStatus, DeviceInfo, JournalHealth, DeviceUpgrade, ExportProgress, FirmwareInfo, UpgradeEvent, VehicleSummary } from '../../preload/api';
import type { Preferences } from '../lib/preferences';
import { createClockStore, type ClockState } from './clock-store';
import { createConnectionStore, type ConnectionState } from './connection-store';
import { createDevicesStore, type DevicesState } from './devices-store';
import { createExportsStore, type ExportsState } from './export-store';
import { createFirmwareStore, type FirmwareState } from './firmware-store';
import type { QueuedPush } from './frame-scheduler';
import { createLogStore, type LogState } from './log-store';
import { createUiStore, type UiState, type ViewName } from './ui-store';
import { createUpgradesStore, type UpgradesState } from './upgrades-store';
import { createVehiclesStore, type VehiclesState } from './vehicles-store';

export interface Stores {
  connection: StoreApi<ConnectionState>;
  devices: StoreApi<DevicesState>;
  firmware: StoreApi<FirmwareState>;
  upgrades: StoreApi<UpgradesState>;
  log: StoreApi<LogState>;
  vehicles: StoreApi<VehiclesState>;
  exports: StoreApi<ExportsState>;
  ui: StoreApi<UiState>;
  clock: StoreApi<ClockState>;
}

export function createStores(view?: ViewName, prefs?: Preferences): Stores {
  return {
    connection: createConnectionStore(),
    devices: createDevicesStore(),
    firmware: createFirmwareStore(),
    upgrades: createUpgradesStore(),
    log: createLogStore(),
    vehicles: createVehiclesStore(),
    exports: createExportsStore(),
    ui: createUiStore(view, prefs),
    clock: createClockStore(),
  };
}

export function applyStreamItems(stores: Stores, items: QueuedPush[]): void {
  const of = <T>(stream: QueuedPush['stream']) => items.filter((i) => i.stream === stream).map((i) => i.payload as T);
  const connection = of<ConnectionStatus>('connection');
  const latest = connection.at(-1);
  if (latest) stores.connection.getState().setStatus(latest);
  const journal = of<JournalHealth>('journal').at(-1);
  if (journal) stores.connection.getState().setJournal(journal);
  const devices = of<DeviceInfo>('device');
  if (devices.length) stores.devices.getState().apply(devices);
  // The last word per firmware id wins, whether it was a change or a removal.
  const firmware = new Map<string, FirmwareInfo | null>();
  for (const item of items) {
    if (item.stream === 'firmware') firmware.set((item.payload as FirmwareInfo).id, item.payload as FirmwareInfo);
    else if (item.stream === 'firmwareRemoved') firmware.set((item.payload as { id: string }).id, null);
  }
  const changed = [...firmware.values()].filter((f): f is FirmwareInfo => f !== null);
  const removed = [...firmware.entries()].filter(([, f]) => f === null).map(([id]) => id);
  if (changed.length) stores.firmware.getState().apply(changed);
  if (removed.length) stores.firmware.getState().remove(removed);
  const rows = of<DeviceUpgrade>('upgrade');
  if (rows.length) {
    stores.clock.getState().sample(rows.map((r) => r.updatedAt));
    stores.upgrades.getState().applyRows(rows);
  }
  const batches = of<BatchSummary>('batch');
  if (batches.length) stores.upgrades.getState().applyBatches(batches);
  const events = of<UpgradeEvent>('event');
  if (events.length) stores.log.getState().apply(events);
  const vehicles = of<VehicleSummary>('vehicle');
  if (vehicles.length) stores.vehicles.getState().applyVehicles(vehicles);
  const campaigns = of<CampaignSummary>('campaign');
  if (campaigns.length) stores.vehicles.getState().applyCampaigns(campaigns);
  const exports = of<ExportProgress>('exportProgress');
  if (exports.length) stores.exports.getState().apply(exports);
}

export const StoresContext = createContext<Stores | null>(null);

export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores outside <StoresContext.Provider>');
  return stores;
}

/** Select from one store of the bundle: `useSlice('upgrades', (s) => s.byKey[key])`. */
export function useSlice<K extends keyof Stores, T>(name: K, selector: (state: ReturnType<Stores[K]['getState']>) => T): T {
  const store = useStores()[name] as StoreApi<ReturnType<Stores[K]['getState']>>;
  return useStore(store, selector);
}
