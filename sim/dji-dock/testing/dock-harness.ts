// Test-only: what every behavioural test of the dock simulator stands on — a real broker (aedes in-process), the
// test file server, the minimal cloud, and simulated docks that are stopped afterwards.
import { startAedes, type TestBroker } from '../../../test-support/brokers';
import { startDockSim, type DockSim, type DockSimOptions, type HmsSimEvent, type OtaSimEvent } from '../dock-sim';
import { startCloudClient, type CloudClient, type Uplink } from '../../../test-support/cloud-client';
import { startFirmwareServer, type FileFaults, type FirmwareServer } from '../../../test-support/firmware-server';

export type WatchedDock = DockSim & { events: OtaSimEvent[]; alerts: HmsSimEvent[] };

export interface DockHarness {
  /** A test may stop it and start another on the same port; close() stops the one standing then. */
  broker: TestBroker;
  files: FirmwareServer;
  cloud: CloudClient;
  /** A simulated dock on the broker, fast paced unless told otherwise; its ota and hms events are kept. */
  dock: (opts: Partial<DockSimOptions> & { gateway: string }) => Promise<WatchedDock>;
  /** A file on the test server and the ota_create entry that names it (firmware_upgrade_type 3 unless overridden). */
  package: (sn: string, name: string, version: string, options?: { size?: number; faults?: FileFaults; entry?: object }) => Record<string, unknown>;
  close: () => Promise<void>;
}

export const FAST: Partial<DockSimOptions> = { progressIntervalMs: 25, stateIntervalMs: 20 };

export async function startDockHarness(): Promise<DockHarness> {
  const broker = await startAedes();
  const files = await startFirmwareServer();
  const cloud = await startCloudClient(broker.url);
  const docks: DockSim[] = [];
  const harness: DockHarness = {
    broker,
    files,
    cloud,
    async dock(opts) {
      const s = await startDockSim({ brokerUrl: broker.url, ...FAST, ...opts });
      docks.push(s);
      const events: OtaSimEvent[] = [];
      const alerts: HmsSimEvent[] = [];
      s.on('ota', (e) => events.push(e));
      s.on('hms', (e) => alerts.push(e));
      return Object.assign(s, { events, alerts });
    },
    package(sn, name, version, options = {}) {
      const file = files.addFile(name, options.size ?? 200_000, options.faults);
      return { sn, product_version: version, file_url: files.url(name), md5: file.md5, file_size: file.size, file_name: name, firmware_upgrade_type: 3, ...options.entry };
    },
    async close() {
      for (const s of docks) await s.stop();
      await cloud.close();
      await files.close();
      await harness.broker.stop();
    },
  };
  return harness;
}

/** The data of a device's latest state message, or of its latest osd frame. */
export function latest(cloud: CloudClient, kind: 'state' | 'osd', sn: string): Record<string, unknown> | undefined {
  const u = cloud.uplinks.findLast((x) => x.kind === kind && x.sn === sn);
  return u?.json.data as Record<string, unknown> | undefined;
}

/** A state message of `sn` carrying this firmware_version. */
export const stateWith = (sn: string, version: string) => (u: Uplink) => u.kind === 'state' && u.sn === sn && (u.json.data as { firmware_version?: string }).firmware_version === version;
