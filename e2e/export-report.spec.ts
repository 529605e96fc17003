// The hand-over at the end of the job: the technician fills in site, technician and customer, exports the
// log as CSV, JSON Lines and the readable report, each with a progress bar, downloads the three files, and
// opens the report in the browser: every device has its row, the fields are there, the timeline is drawn.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { Page } from '@playwright/test';
import { startVehicleSim } from '../sim/vehicles/vehicle-sim';
import { collectPageErrors, openApp } from './support/app-page';
import { seriousAxeViolations } from './support/readability';
import { expect, test } from './support/fixtures';

// Its own `dockside web` (a worker option set here gives this file its own worker).
test.use({ webHostOptions: {} });

const PROTOCOLS = ['aktualizr', 'oem', 'carota', 'edgehog'] as const;
const devices: string[] = [];
let downloads: string;

test.beforeAll(async ({ webHost }) => {
  downloads = mkdtempSync(join(tmpdir(), 'dockside-downloads-'));
  const sims = [];
  for (const scenario of ['ok', 'fail'] as const) {
    for (const protocol of PROTOCOLS) {
      const target = protocol === 'aktualizr' || protocol === 'oem' ? webHost.url.replace(/\/$/, '') : webHost.ingestUrl;
      sims.push(await startVehicleSim({ protocol, target, vehicles: 1, scenario, intervalMs: 10 }));
    }
  }
  await Promise.all(sims.map((s) => s.done));
  devices.push(...sims.flatMap((s) => s.vehicles));
});

test.afterAll(() => rmSync(downloads, { recursive: true, force: true }));

const SITE = 'Depot North <bay 4>';
const TECHNICIAN = 'R. Okafor';
const CUSTOMER = 'Harbour Logistics & Sons';

/** Presses the export button, waits for its bar to fill, downloads the file through its link. */
async function exportAndDownload(page: Page, button: string, words: string): Promise<string> {
  const panel = page.getByRole('region', { name: 'Export the log' });
  await panel.getByRole('button', { name: button }).click();
  const row = panel
    .getByRole('list', { name: 'Exports' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('progressbar', { name: `${words} export progress` }) });
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  const link = row.getByRole('link', { name: /^Download dockside-/ });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = join(downloads, download.suggestedFilename());
  await download.saveAs(path);
  return path;
}

test('CSV, JSONL and the report download with the technician fields in each; the report a customer signs opens with every device, its chart, local times, a sign-off, and passes axe', async ({
  page,
  webHost,
}) => {
  const errors = collectPageErrors(page);
  await openApp(page, webHost.url, 'Log');
  const total = Number((await page.getByText(/^[\d,]+ events$/).textContent())!.replace(/[^\d]/g, ''));
  expect(total).toBeGreaterThan(40);
  const panel = page.getByRole('region', { name: 'Export the log' });
  await panel.getByLabel('Site').fill(SITE);
  await panel.getByLabel('Technician').fill(TECHNICIAN);
  await panel.getByLabel('Customer').fill(CUSTOMER);
  await panel.getByLabel('Notes').fill('Two vehicles of each protocol; one campaign each failed on purpose.');

  const csvPath = await exportAndDownload(page, 'Export CSV', 'CSV');
  const csv = parse<Record<string, string>>(readFileSync(csvPath, 'utf8'), { columns: true });
  expect(csv).toHaveLength(total);
  expect(Object.keys(csv[0]!)).toEqual(['id', 'time', 'source', 'device', 'campaign', 'phase', 'state', 'percent', 'message', 'raw', 'site', 'technician', 'customer', 'notes']);
  for (const device of devices) expect(csv.some((r) => r.device === device)).toBe(true);
  for (const r of csv) expect([r.site, r.technician, r.customer]).toEqual([SITE, TECHNICIAN, CUSTOMER]);

  const jsonlPath = await exportAndDownload(page, 'Export JSONL', 'JSONL');
  const lines = readFileSync(jsonlPath, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { device: string; state: string; job: Record<string, string> });
  expect(lines).toHaveLength(total);
  for (const l of lines) expect(l.job).toMatchObject({ site: SITE, technician: TECHNICIAN, customer: CUSTOMER });
  expect(lines.filter((l) => l.state === 'failed').map((l) => l.device)).toEqual(expect.arrayContaining(devices.slice(4)));

  const reportPath = await exportAndDownload(page, 'Export report', 'Report');
  // The file name carries the site and the date.
  expect(reportPath.split('/').pop()).toMatch(new RegExp(`^dockside-depot-north-bay-4-${new Date().toISOString().slice(0, 10)}T[0-9-]+Z-[0-9a-f]{8}\\.html$`));
  expect(errors).toEqual([]);

  // The report as the customer opens it: a file, no server, no network.
  await page.goto(pathToFileURL(reportPath).href);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Firmware upgrade report — ${SITE}`);
  const details = page.locator('dl.details');
  await expect(details).toContainText(`Site${SITE}`);
  await expect(details).toContainText(`Technician${TECHNICIAN}`);
  await expect(details).toContainText(`Customer${CUSTOMER}`);
  // Local time, with the zone named (the window's own: the browser's here).
  const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  await expect(details).toContainText(`Timeslocal to ${zone} (UTC`);
  // One campaign per real campaign: as many devices as vehicles, aktualizr's correlation id folded into its campaign.
  await expect(page.locator('p.counts')).toContainText(`devices: ${devices.length}`);
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sign-off' })).toBeVisible();
  expect(await seriousAxeViolations(page)).toEqual([]);
  for (const device of devices) await expect(page.locator(`tr[data-device="${device}"]`).first()).toBeVisible();
  for (const device of devices.slice(4)) await expect(page.locator(`tr[data-device="${device}"]`).filter({ hasText: 'failed' }).first()).toBeVisible();
  // The timeline is inline SVG: drawn with no script (the file has none), a bar per device in its outcome's colour.
  await expect(page.locator('script')).toHaveCount(0);
  const chart = page.getByRole('img', { name: 'Upgrade timeline per device' });
  await expect(chart).toBeVisible();
  const box = (await chart.boundingBox())!;
  expect(box.width).toBeGreaterThan(600);
  expect(box.height).toBeGreaterThan(devices.length * 10);
  for (const device of devices)
    await expect(
      chart
        .locator('rect.bar')
        .filter({ has: page.locator('title', { hasText: new RegExp(`^${device} · `) }) })
        .first(),
    ).toBeVisible();
  for (const device of devices.slice(4)) {
    await expect(
      chart
        .locator('rect.bar[data-outcome="failed"]')
        .filter({ has: page.locator('title', { hasText: new RegExp(`^${device} · `) }) })
        .first(),
    ).toBeAttached();
  }
});
