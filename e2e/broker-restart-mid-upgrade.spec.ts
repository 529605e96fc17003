// The gateway's broker (mosquitto) goes down in the middle of an upgrade and comes back on the same port:
// the window says the broker connection is lost while it is, and the upgrade still reaches its end.
import { addFirmware, brokerBadge, collectPageErrors, openApp, percentOf, progressBar, startUpgrade, upgradeRow } from './support/app-page';
import { expect, test } from './support/fixtures';
import { firmwareFile } from './support/firmware-file';

test.use({ brokerKind: 'mosquitto' });

const FILE = 'Dock2-V10.01.1700-e2e.bin';
const DOCKS = ['E2E-RESTART-DOCK-A', 'E2E-RESTART-DOCK-B'];
const SIZE = 2 * 1024 * 1024;

test('a broker restart mid-upgrade shows in the window and the upgrade still ends upgraded', async ({ page, webHost, docks, mosquitto }) => {
  const errors = collectPageErrors(page);
  // About eight seconds of download each: long enough to pull the broker away in the middle of it.
  await docks.start(DOCKS, { progressIntervalMs: 200, downloadBytesPerSec: SIZE / 8, reconnectPeriodMs: 500 });
  await openApp(page, webHost.url);
  await expect(brokerBadge(page)).toHaveText('Broker: Connected');
  await addFirmware(page, firmwareFile(FILE, SIZE));
  await startUpgrade(page, FILE, DOCKS);

  for (const sn of DOCKS) await expect.poll(() => percentOf(progressBar(page, sn)), { intervals: [100] }).toBeGreaterThan(0);
  const before = await Promise.all(DOCKS.map((sn) => percentOf(progressBar(page, sn))));

  await mosquitto!.down();
  await expect(brokerBadge(page)).toHaveText('Broker: Reconnecting…');
  await mosquitto!.up();
  await expect(brokerBadge(page)).toHaveText('Broker: Connected', { timeout: 20_000 });

  for (const [i, sn] of DOCKS.entries()) {
    await expect(upgradeRow(page, sn).getByText('Upgraded to 10.01.1700; the device reports the new version')).toBeVisible({ timeout: 45_000 });
    await expect(progressBar(page, sn)).toHaveAttribute('aria-valuenow', '100');
    expect(before[i]).toBeLessThan(100);
  }
  await expect(page.getByRole('status').filter({ hasText: 'Batch finished:' })).toContainText('2 devices — 2 upgraded and verified.');
  expect(errors).toEqual([]);
});
