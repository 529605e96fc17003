// `test` with a `webHost` fixture: one `dockside web` per worker, on the embedded broker unless a file
// asks otherwise:
//   test.use({ webHostOptions: { brokerUrl } })       a broker of your own
//   test.use({ brokerKind: 'mosquitto' })              Debian's mosquitto, restartable (`mosquitto` fixture)
// A file that sets a worker option gets its own worker, so its host (and broker) serve that file alone.
// `docks` starts simulated DJI docks on the host's broker and stops them after each test.
// The host is stopped by PID afterwards, its temporary data folder removed.
import { test as base } from '@playwright/test';
import { startDockFleet, type DockFleet } from './dock-fleet';
import { startRestartableMosquitto, type RestartableBroker } from './restartable-broker';
import { startWebHost, type WebHost, type WebHostOptions } from './web-host';

export type BrokerKind = 'embedded' | 'mosquitto';

export const test = base.extend<{ docks: DockFleet }, { webHostOptions: WebHostOptions; brokerKind: BrokerKind; mosquitto: RestartableBroker | undefined; webHost: WebHost }>({
  webHostOptions: [{}, { option: true, scope: 'worker' }],
  brokerKind: ['embedded', { option: true, scope: 'worker' }],
  mosquitto: [
    async ({ brokerKind }, use) => {
      if (brokerKind !== 'mosquitto') return use(undefined);
      const broker = await startRestartableMosquitto();
      await use(broker);
      await broker.stop();
    },
    { scope: 'worker' },
  ],
  webHost: [
    async ({ webHostOptions, mosquitto }, use) => {
      const host = await startWebHost({ ...webHostOptions, ...(mosquitto && !webHostOptions.brokerUrl ? { brokerUrl: mosquitto.url } : {}) });
      await use(host);
      await host.stop();
    },
    { scope: 'worker' },
  ],
  docks: async ({ webHost }, use) => {
    const fleet = startDockFleet(webHost.brokerUrl, webHost.dockLogin);
    await use(fleet);
    await fleet.stopAll();
  },
});

export { expect } from '@playwright/test';
