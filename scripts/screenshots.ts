// README screenshots, run by hand: `npx tsx scripts/screenshots.ts [--out docs/screenshots]`.
// Builds the renderer, runs `dockside web` in-process on a fresh data folder, starts the demo mode and
// photographs the views in Debian's Chromium: 1280×800 light, and Progress at 1024 wide in dark mode. The
// batch is planned with a canary dock first, the aircraft's own file, and the dock at work held by its gate.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, expect, type Page } from '@playwright/test';
import { runWebHost } from '../main/cli/web-command';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs/screenshots' } } });
const out = resolve(values.out);
mkdirSync(out, { recursive: true });

const DEMO_FIRMWARE = 'Dock2-V10.01.1700-demo.bin';
const AIRCRAFT_FIRMWARE = 'M3D-V10.01.1700-demo.bin';
const UPGRADE = ['DEMO-DOCK-01', 'DEMO-DOCK-02', 'DEMO-M3D-02', 'DEMO-DOCK-03', 'DEMO-DOCK-04', 'DEMO-DOCK-05', 'DEMO-DOCK-06'];
const HELD = 'DEMO-DOCK-06';
const STILL_RUNNING = 'DEMO-DOCK-01';

async function view(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name, exact: true })).toBeVisible();
}

async function shoot(page: Page, file: string): Promise<void> {
  // Nothing mid-transition or blinking in the picture.
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(out, file), animations: 'disabled', caret: 'hide' });
  process.stdout.write(`${join(values.out, file)}\n`);
}

const built = spawnSync(process.execPath, ['scripts/build.mjs', '--renderer'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const dataDir = mkdtempSync(join(tmpdir(), 'dockside-screenshots-'));
const host = await runWebHost({ host: '127.0.0.1', port: 0, dataDir, print: () => undefined });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--hide-scrollbars'] });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(host.url);
  await view(page, 'Connection');
  await page.getByRole('button', { name: 'Start demo' }).click();
  await expect(page.getByRole('region', { name: 'Demo mode' }).getByRole('status')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Broker: Connected')).toBeVisible();
  await shoot(page, 'connection.png');

  await view(page, 'Devices');
  for (const sn of UPGRADE) await expect(page.getByRole('checkbox', { name: sn, exact: true })).toBeVisible({ timeout: 30_000 });
  for (const sn of UPGRADE) await page.getByRole('checkbox', { name: sn, exact: true }).check();
  await shoot(page, 'devices.png');

  await view(page, 'Firmware');
  await expect(page.getByRole('listitem').filter({ hasText: DEMO_FIRMWARE }).getByText('Ready', { exact: true })).toBeVisible({ timeout: 60_000 });
  await shoot(page, 'firmware.png');

  await view(page, 'Upgrade');
  const select = page.getByLabel('Firmware file', { exact: true });
  await select.selectOption({ label: `${DEMO_FIRMWARE} — 10.01.1700` });
  await page.getByLabel('File for every Matrice 3D').selectOption({ label: `${AIRCRAFT_FIRMWARE} — 10.01.1700 (for Matrice 3D / 3TD)` });
  await page.getByLabel('Canary docks first').fill('1');
  await page.getByLabel('Stop after failures').fill('2');
  await page.getByLabel('Site').fill('Harbour pier 4');
  await page.getByLabel('Technician').fill('R. Okafor');
  // Typing scrolled the page to the last field; the view is shown from its top, where the files are chosen.
  await page.getByLabel('Technician').blur();
  await page.evaluate("document.getElementById('main').scrollTo(0, 0)");
  await shoot(page, 'upgrade.png');
  await page.getByRole('button', { name: 'Upgrade', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Confirm upgrade' });
  await expect(dialog.getByRole('list', { name: `Checks of ${HELD}` })).toContainText('fail');
  await dialog.getByRole('list', { name: `Checks of ${HELD}` }).scrollIntoViewIfNeeded();
  await shoot(page, 'upgrade-confirmation.png');

  await dialog.getByRole('button', { name: 'Start upgrade' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Progress' })).toBeVisible();
  // Mid-upgrade: the canary part-way through its download, the rest held by the rollout, one dock by its gate.
  await expect(
    page
      .getByRole('listitem')
      .filter({ hasText: HELD })
      .getByText(/^Held back: dock idle/)
      .first(),
  ).toBeVisible({ timeout: 30_000 });
  await expect
    .poll(async () => Number(await page.getByRole('progressbar', { name: `${STILL_RUNNING} upgrade progress` }).getAttribute('aria-valuenow')), { timeout: 60_000, intervals: [100] })
    .toBeGreaterThanOrEqual(35);
  await shoot(page, 'progress.png');

  await view(page, 'Vehicles');
  await expect.poll(async () => page.getByRole('list', { name: 'Vehicles' }).getByRole('listitem').count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(10);
  await shoot(page, 'vehicles.png');

  await view(page, 'Log');
  await expect.poll(async () => page.getByRole('listitem').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(10);
  await shoot(page, 'log.png');

  const dark = await browser.newContext({ viewport: { width: 1024, height: 768 }, colorScheme: 'dark', deviceScaleFactor: 1 });
  const darkPage = await dark.newPage();
  await darkPage.goto(`${host.url}#/progress`);
  await expect(darkPage.getByRole('progressbar', { name: `${STILL_RUNNING} upgrade progress` }).first()).toBeVisible();
  await expect(
    darkPage
      .getByRole('listitem')
      .filter({ hasText: HELD })
      .getByText(/^Held back/)
      .first(),
  ).toBeVisible({ timeout: 60_000 });
  await shoot(darkPage, 'progress-dark-1024.png');
} finally {
  await browser.close();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
}
