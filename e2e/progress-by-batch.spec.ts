// A technician's whole day in Progress: the batch just started comes first and whole, earlier batches
// fold below with their own per-device totals, the previous banner goes, a stalled dock says how long it
// has been silent (Elapsed still ticking, speed and ETA blanked), a retry is the same row's attempt 2 with
// this attempt's bytes, and with the tab elsewhere the title and a browser notification say a batch ended.
import { addFirmware, collectPageErrors, goTo, openApp, startUpgrade, upgradeRow } from './support/app-page';
import { expect, test } from './support/fixtures';
import { firmwareFile } from './support/firmware-file';

test.use({ webHostOptions: {} });

const FILE = 'Dock2-V10.01.1700-e2e.bin';
const SIZE = 256 * 1000;
const [OK, MD5, STALL] = ['E2E-DAY-DOCK-OK', 'E2E-DAY-DOCK-MD5', 'E2E-DAY-DOCK-STALL'];

test('batches newest first, a silent dock said so, Retry all failed in place, and a batch end in the title and a notification', async ({ page, webHost, docks, context }) => {
  test.setTimeout(120_000);
  const errors = collectPageErrors(page);
  await context.grantPermissions(['notifications']);
  // Every notification the page raises, recorded on its way to the real one.
  await page.addInitScript(() => {
    const Real = window.Notification;
    const shown: { title: string; body?: string }[] = [];
    (window as unknown as { __notifications: typeof shown }).__notifications = shown;
    const Recorded = function (title: string, options?: NotificationOptions) {
      shown.push({ title, ...(options?.body ? { body: options.body } : {}) });
      return new Real(title, options);
    } as unknown as typeof Notification;
    Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
    Recorded.requestPermission = Real.requestPermission.bind(Real);
    window.Notification = Recorded;
  });
  await docks.start([OK]);
  await docks.start([MD5], { scenario: 'md5-mismatch' });
  await docks.start([STALL], { scenario: 'stall' });
  await openApp(page, webHost.url);
  await addFirmware(page, firmwareFile(FILE, SIZE));

  await startUpgrade(page, FILE, [OK, MD5]);
  // The technician looks elsewhere while it runs: the tab title and a notification say how it ended.
  await goTo(page, 'Devices');
  await expect(page).toHaveTitle('⚠ Batch finished with problems · Devices — Dockside', { timeout: 30_000 });
  expect(await page.evaluate(() => (window as unknown as { __notifications: unknown[] }).__notifications)).toEqual([
    { title: 'Dockside: Batch finished with problems', body: '2 devices — 1 upgraded and verified, 1 failed' },
  ]);
  await goTo(page, 'Progress');
  await expect(page).toHaveTitle('Progress — Dockside');
  const first = upgradeRow(page, OK);
  await expect(first.getByText(/^Took /)).toBeVisible();
  // Ended: how long it took and, where the download was timed, its average; never a frozen live speed or ETA.
  await expect(first.getByText(/^ETA/)).toHaveCount(0);
  for (const speed of await first.getByText(/B\/s$/).allTextContents()) expect(speed).toMatch(/^average /);

  await startUpgrade(page, FILE, [STALL]);
  const current = page.getByRole('heading', { level: 3, name: /^Current batch · .* · 1 device$/ });
  await expect(current).toBeInViewport();
  // The earlier batch is folded under its header, and its banner is gone.
  await expect(page.getByRole('button', { name: 'Show 2 devices' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Batch finished' })).toHaveCount(0);
  await expect(upgradeRow(page, OK)).toHaveCount(0);

  const stalled = upgradeRow(page, STALL);
  await expect(stalled.getByText(/^No report for \d+ s$/)).toBeVisible({ timeout: 40_000 });
  await expect(stalled.getByText('speed —', { exact: true })).toBeVisible();
  await expect(stalled.getByText('ETA —', { exact: true })).toBeVisible();
  const elapsed = async () => Number((await stalled.getByText(/^Elapsed \d+ s$/).textContent())!.replace(/\D/g, ''));
  const before = await elapsed();
  await expect.poll(elapsed, { timeout: 5_000 }).toBeGreaterThan(before);

  // The earlier batch, opened: its failed dock retried in place, as attempt 2, with this attempt's bytes.
  await page.getByRole('button', { name: 'Show 2 devices' }).click();
  const earlier = page.getByRole('list', { name: /^Devices by state, batch of / }).nth(1);
  await expect(earlier).toHaveText('1 upgraded and verified1 failed');
  await page.getByRole('button', { name: 'Retry all failed (1)' }).click();
  const retried = upgradeRow(page, MD5);
  await expect(retried.getByText('attempt 2')).toBeVisible();
  await expect(retried).toHaveCount(1);
  await expect(retried.getByText('Failed: 312003 — the file arrived damaged: add it again and retry')).toBeVisible({ timeout: 30_000 });
  await expect(retried.getByText('256.0 kB of 256.0 kB served')).toBeVisible();
  expect(errors).toEqual([]);
});
