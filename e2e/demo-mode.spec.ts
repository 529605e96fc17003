// A new user presses "Start demo": simulated docks appear in Devices, and two of them can be upgraded to
// the end with the demo firmware the demo adds.
import { brokerBadge, collectPageErrors, deviceRow, goTo, openApp, progressBar, startUpgrade, upgradeRow } from './support/app-page';
import { expect, test } from './support/fixtures';

// Its own `dockside web` (a worker option set here gives this file its own worker).
test.use({ webHostOptions: {} });

const DEMO_FIRMWARE = 'Dock2-V10.01.1700-demo.bin';

test('Start demo brings docks into Devices; two demo docks upgrade to the end; Stop demo ends it', async ({ page, webHost }) => {
  test.setTimeout(120_000);
  const errors = collectPageErrors(page);
  await openApp(page, webHost.url, 'Connection');
  const demo = page.getByRole('region', { name: 'Demo mode' });
  await expect(demo).toContainText('six simulated docks');
  await demo.getByRole('button', { name: 'Start demo' }).click();
  await expect(demo.getByRole('status')).toContainText('6 simulated docks and 40 vehicles are running.', { timeout: 30_000 });
  await expect(brokerBadge(page)).toHaveText('Broker: Connected');

  await demo.getByRole('link', { name: 'See them in Devices' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Devices' })).toBeVisible();
  for (const n of ['01', '02', '03', '04', '05', '06']) await expect(deviceRow(page, `DEMO-DOCK-${n}`)).toBeVisible();

  await goTo(page, 'Firmware');
  const card = page
    .getByRole('list', { name: 'Firmware files' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: DEMO_FIRMWARE }) });
  await expect(card.getByText('Ready', { exact: true })).toBeVisible({ timeout: 30_000 });

  const docks = ['DEMO-DOCK-01', 'DEMO-DOCK-03'];
  await startUpgrade(page, DEMO_FIRMWARE, docks);
  for (const sn of docks) {
    await expect(upgradeRow(page, sn).getByText('Upgraded to 10.01.1700; the device reports the new version')).toBeVisible({ timeout: 60_000 });
    await expect(progressBar(page, sn)).toHaveAttribute('aria-valuenow', '100');
  }

  await goTo(page, 'Connection');
  await page.getByRole('region', { name: 'Demo mode' }).getByRole('button', { name: 'Stop demo' }).click();
  await expect(page.getByRole('region', { name: 'Demo mode' }).getByRole('button', { name: 'Start demo' })).toBeVisible();
  expect(errors).toEqual([]);
});
