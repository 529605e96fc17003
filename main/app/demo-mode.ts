// Demo mode: simulated docks and vehicles speaking the real protocols to this app, so a new user sees the
// whole job in a minute: devices appearing, an upgrade to a verified end, a dock held back by its pre-flight
// gate (DEMO-DOCK-06 is at work), docks failing mid-upgrade, a dock and its Matrice 3D each with its own
// file (a Dock 2 file is refused for the aircraft), and vehicle campaigns.
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDockSim, type DockSim } from '../../sim/dji-dock/dock-sim';
import type { ScenarioName } from '../../sim/dji-dock/scenarios';
import { startVehicleSim, type VehicleSim } from '../../sim/vehicles/vehicle-sim';
import type { BrokerLogin } from '../../preload/api';
import type { VehicleProtocol } from '../../wire/vehicles';

/** The built-in broker as the demo's devices meet it: docks log in as docks, vehicles as vehicle clients. */
export interface DemoBroker {
  url: string;
  dock: BrokerLogin;
  ingest: BrokerLogin;
}

function withLogin(url: string, login: BrokerLogin): string {
  const u = new URL(url);
  u.username = encodeURIComponent(login.username);
  u.password = encodeURIComponent(login.password);
  return u.toString();
}

const DOCKS: readonly { gateway: string; scenario: ScenarioName; drone?: string }[] = [
  { gateway: 'DEMO-DOCK-01', scenario: 'ok' },
  { gateway: 'DEMO-DOCK-02', scenario: 'drone', drone: 'DEMO-M3D-02' },
  { gateway: 'DEMO-DOCK-03', scenario: 'ok' },
  { gateway: 'DEMO-DOCK-04', scenario: 'download-fail' },
  { gateway: 'DEMO-DOCK-05', scenario: 'md5-mismatch' },
  { gateway: 'DEMO-DOCK-06', scenario: 'reject' },
];

const VEHICLES: readonly { protocol: VehicleProtocol; via: 'mqtt' | 'http'; ok: number; fail: number }[] = [
  { protocol: 'aktualizr', via: 'http', ok: 8, fail: 2 },
  { protocol: 'carota', via: 'mqtt', ok: 8, fail: 2 },
  { protocol: 'edgehog', via: 'mqtt', ok: 8, fail: 2 },
  { protocol: 'oem', via: 'http', ok: 8, fail: 2 },
];

export const DEMO_FIRMWARE_NAME = 'Dock2-V10.01.1700-demo.bin';
/** The aircraft's own package, named the DJI way for a Matrice 3D. */
export const DEMO_AIRCRAFT_FIRMWARE_NAME = 'M3D-V10.01.1700-demo.bin';

const DEMO_FILES: readonly { name: string; bytes: number }[] = [
  { name: DEMO_FIRMWARE_NAME, bytes: 24 * 1024 * 1024 },
  { name: DEMO_AIRCRAFT_FIRMWARE_NAME, bytes: 12 * 1024 * 1024 },
];

export class DemoMode {
  private docks: DockSim[] = [];
  private vehicles: VehicleSim[] = [];
  private vehicleCount = 0;

  /** @param ingestToken the host's ingest bearer token, which the demo's HTTP vehicles send like real ones. */
  constructor(
    private readonly dataDir: string,
    private readonly ingestToken?: string,
  ) {}

  running(): boolean {
    return this.docks.length > 0;
  }

  /** Small files named the DJI way, so the catalogue reads their version and model; made once per data folder. */
  firmwareFiles(): string[] {
    const dir = join(this.dataDir, 'demo');
    return DEMO_FILES.map(({ name, bytes }) => {
      const path = join(dir, name);
      if (!statSync(path, { throwIfNoEntry: false })?.isFile()) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(path, randomBytes(bytes));
      }
      return path;
    });
  }

  status(): { running: boolean; docks: string[]; vehicles: number } {
    return { running: this.running(), docks: this.docks.map((d) => d.gateway), vehicles: this.vehicleCount };
  }

  async start(broker: DemoBroker, httpUrl: string | undefined): Promise<{ docks: string[]; vehicles: number }> {
    if (this.running()) return { docks: this.docks.map((d) => d.gateway), vehicles: this.vehicleCount };
    this.docks = await Promise.all(
      DOCKS.map((d) =>
        startDockSim({
          brokerUrl: broker.url,
          username: broker.dock.username,
          password: broker.dock.password,
          gateway: d.gateway,
          scenario: d.scenario,
          progressIntervalMs: 700,
          stateIntervalMs: 3000,
          downloadBytesPerSec: 3 * 1024 * 1024,
          ...(d.drone ? { drone: d.drone } : {}),
        }),
      ),
    );
    let vehicles = 0;
    for (const v of VEHICLES) {
      const target = v.via === 'mqtt' ? withLogin(broker.url, broker.ingest) : httpUrl;
      if (!target) continue;
      for (const [scenario, count] of [
        ['ok', v.ok],
        ['fail', v.fail],
      ] as const) {
        const sim = await startVehicleSim({ protocol: v.protocol, target, vehicles: count, scenario, intervalMs: 900, ...(this.ingestToken ? { ingestToken: this.ingestToken } : {}) });
        // A refused message already shows as an error entry in the log; the demo carries on.
        sim.done.catch(() => undefined);
        this.vehicles.push(sim);
        vehicles += count;
      }
    }
    this.vehicleCount = vehicles;
    return { docks: this.docks.map((d) => d.gateway), vehicles };
  }

  async stop(): Promise<void> {
    const docks = this.docks.splice(0);
    const vehicles = this.vehicles.splice(0);
    this.vehicleCount = 0;
    for (const vehicle of vehicles) vehicle.stop();
    await Promise.all(docks.map((d) => d.stop()));
  }
}
