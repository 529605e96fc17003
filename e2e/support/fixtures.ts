// `test` with a `webHost` fixture: one `dockside web` per worker (one worker: per run of a spec file's
// tests), on the embedded broker unless a file sets its own:
//   test.use({ webHostOptions: { brokerUrl } })
// Stopped by PID afterwards, its temporary data folder removed.
import { test as base } from '@playwright/test';
import { startWebHost, type WebHost, type WebHostOptions } from './web-host';

export const test = base.extend<{}, { webHostOptions: WebHostOptions; webHost: WebHost }>({
  webHostOptions: [{}, { option: true, scope: 'worker' }],
  webHost: [
    async ({ webHostOptions }, use) => {
      const host = await startWebHost(webHostOptions);
      await use(host);
      await host.stop();
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
