// When a dock fails, the technician sees which one, why, and the next step in plain words, and can retry it,
// while the healthy dock in the same batch still ends upgraded. A dock at work (mode_code 4) is held back
// before anything is sent, with the gate in words; sent anyway on purpose, the dock refuses it (312015).
import { addFirmware, collectPageErrors, openApp, percentOf, progressBar, startUpgrade, upgradeRow } from './support/app-page';
import { expect, test } from './support/fixtures';
import { firmwareFile } from './support/firmware-file';

// Its own `dockside web` (a worker option set here gives this file its own worker).
test.use({ webHostOptions: {} });

const FILE = 'Dock2-V10.01.1700-e2e.bin';
const HEALTHY = 'E2E-FAIL-DOCK-OK';
const BROKEN_DOWNLOAD = 'E2E-FAIL-DOCK-DL';
const BAD_MD5 = 'E2E-FAIL-DOCK-MD5';
const BUSY = 'E2E-FAIL-DOCK-BUSY';

test('each failing dock shows its reason and the next step; a dock at work is held by its gate, sent anyway on purpose, refused; Retry is attempt 2', async ({ page, webHost, docks }) => {
  const errors = collectPageErrors(page);
  await docks.start([HEALTHY]);
  await docks.start([BROKEN_DOWNLOAD], { scenario: 'download-fail' });
  await docks.start([BAD_MD5], { scenario: 'md5-mismatch' });
  await docks.start([BUSY], { scenario: 'reject' });
  await openApp(page, webHost.url);
  await addFirmware(page, firmwareFile(FILE));
  await startUpgrade(page, FILE, [HEALTHY, BROKEN_DOWNLOAD, BAD_MD5, BUSY]);

  await expect(upgradeRow(page, HEALTHY).getByText('Upgraded to 10.01.1700; the device reports the new version')).toBeVisible({ timeout: 30_000 });

  // The dock at work is held back before anything is sent, with the failed gate in words.
  const busy = upgradeRow(page, BUSY);
  await expect(busy.getByText('Held back: dock idle (mode_code 4 (working); a dock answers 312015)', { exact: true })).toBeVisible();
  await expect(busy.getByRole('button', { name: `Release ${BUSY}` })).toBeVisible();
  await expect(busy.getByRole('button', { name: `Cancel ${BUSY}` })).toBeVisible();

  // The status in words beside the bar, and how it ended with the code and the next step, said once.
  const download = upgradeRow(page, BROKEN_DOWNLOAD);
  await expect(download.getByText("Failed: 312004 — the download broke off: check the dock's network to this laptop, then retry", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(download.getByText('Failed — Download failed', { exact: true })).toBeVisible();
  expect(await percentOf(progressBar(page, BROKEN_DOWNLOAD))).toBeLessThan(100);

  const md5 = upgradeRow(page, BAD_MD5);
  await expect(md5.getByText('Failed: 312003 — the file arrived damaged: add it again and retry', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(md5.getByText('Failed — File verification failed', { exact: true })).toBeVisible();

  // A held device keeps its batch open.
  await expect(page.getByRole('status').filter({ hasText: 'Batch finished' })).toHaveCount(0);

  // Sent anyway, after a confirmation naming the gate: the dock refuses, as the gate said it would.
  await busy.getByRole('button', { name: `Send anyway ${BUSY}` }).click();
  const confirm = page.getByRole('dialog', { name: `Send ${BUSY} anyway?` });
  await expect(confirm.getByRole('list', { name: `Failed checks of ${BUSY}` })).toHaveText('dock idle: mode_code 4 (working); a dock answers 312015');
  await confirm.getByRole('button', { name: 'Send anyway' }).click();
  const refused = 'Rejected by the dock: 312015 — the dock is busy: wait until it is idle (no flight task, no debugging), then retry';
  await expect(busy.getByText(refused, { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(busy.getByText('Sent despite failed gates, as confirmed')).toBeVisible();

  const banner = page.getByRole('status').filter({ hasText: 'Batch finished with problems' });
  await expect(banner).toContainText('4 devices — 1 upgraded and verified, 2 failed, 1 rejected by the dock.');
  await expect(page.getByRole('button', { name: `Retry ${HEALTHY}` })).toHaveCount(0);

  // Retry sends a fresh ota_create as the row's next attempt: the same row, refused again for the same reason.
  await page.getByRole('button', { name: `Retry ${BUSY}` }).click();
  await expect(busy.getByText('attempt 2')).toBeVisible();
  await expect(upgradeRow(page, BUSY)).toHaveCount(1);
  await expect(busy.getByText(refused, { exact: true })).toBeVisible();
  expect(errors).toEqual([]);
});
