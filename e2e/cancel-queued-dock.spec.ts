// Ten docks in one batch: eight go out at once and the rest wait their turn in the batch. A waiting dock
// can be canceled from its row; the other waiting one still goes out when a slot frees and ends upgraded.
import { addFirmware, collectPageErrors, openApp, startUpgrade, upgradeRow } from './support/app-page';
import { expect, test } from './support/fixtures';
import { firmwareFile } from './support/firmware-file';

// Its own `dockside web` (a worker option set here gives this file its own worker).
test.use({ webHostOptions: {} });

const FILE = 'Dock2-V10.01.1700-e2e.bin';
const DOCKS = Array.from({ length: 10 }, (_, i) => `E2E-QUEUE-DOCK-${String(i + 1).padStart(2, '0')}`);
const SIZE = 256 * 1024;

test('a dock still waiting in its batch is canceled from its row; the rest of the batch carries on', async ({ page, webHost, docks }) => {
  test.setTimeout(90_000);
  const errors = collectPageErrors(page);
  await docks.start(DOCKS, { progressIntervalMs: 250, downloadBytesPerSec: SIZE / 4 });
  await openApp(page, webHost.url);
  await addFirmware(page, firmwareFile(FILE, SIZE));
  await startUpgrade(page, FILE, DOCKS);

  const list = page.getByRole('list', { name: 'Upgrades' });
  const cancels = list.getByRole('button', { name: /^Cancel / });
  await expect(cancels).toHaveCount(2);
  const waiting = await Promise.all((await cancels.all()).map(async (b) => (await b.getAttribute('aria-label'))!.slice('Cancel '.length)));
  const canceled = waiting[0]!;
  await expect(upgradeRow(page, canceled).getByText('Waiting in the batch', { exact: true })).toBeVisible();
  await expect(upgradeRow(page, canceled).getByText('Not sent yet', { exact: true })).toBeVisible();

  await list.getByRole('button', { name: `Cancel ${canceled}` }).click();
  await expect(upgradeRow(page, canceled).getByText('Canceled: canceled before it was sent — retry to send it', { exact: true })).toBeVisible();
  await expect(list.getByRole('button', { name: `Cancel ${canceled}` })).toHaveCount(0);
  await expect(list.getByRole('button', { name: `Retry ${canceled}` })).toBeVisible();

  // Including the other waiting dock, sent once one of the first eight ended.
  for (const sn of DOCKS.filter((d) => d !== canceled)) {
    await expect(upgradeRow(page, sn).getByText('Upgraded to 10.01.1700; the device reports the new version')).toBeVisible({ timeout: 60_000 });
  }
  await expect(page.getByRole('status').filter({ hasText: 'Batch finished with problems' })).toContainText('10 devices — 9 upgraded and verified, 1 canceled.');
  expect(errors).toEqual([]);
});
