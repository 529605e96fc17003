// Simulated DJI docks started from a spec (the Node side of Playwright) on the web host's broker.
import { startDockSim, type DockSim, type DockSimOptions } from '../../sim/dji-dock/dock-sim';

export type DockOptions = Omit<DockSimOptions, 'brokerUrl' | 'gateway'>;

export interface DockFleet {
  /** Starts one simulated dock per SN (fast progress by default), resolving once all are connected. */
  start: (gateways: readonly string[], options?: DockOptions) => Promise<DockSim[]>;
  stopAll: () => Promise<void>;
}

/** Fast enough for a browser suite on two cores, slow enough that a bar is seen between 0 and 100. */
export const E2E_DOCK_DEFAULTS: DockOptions = { progressIntervalMs: 150, stateIntervalMs: 500 };

export function startDockFleet(brokerUrl: string, login?: { username: string; password: string }): DockFleet {
  const sims: DockSim[] = [];
  return {
    async start(gateways, options = {}) {
      const started = await Promise.all(gateways.map((gateway) => startDockSim({ ...E2E_DOCK_DEFAULTS, ...login, ...options, brokerUrl, gateway, log: () => undefined })));
      sims.push(...started);
      return started;
    },
    async stopAll() {
      await Promise.all(sims.splice(0).map((s) => s.stop()));
    },
  };
}
