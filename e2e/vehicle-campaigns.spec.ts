// Vehicle fleets of the four protocols report over their real transports (aktualizr and OEM over HTTP to
// the web host, CarOTA and Edgehog over MQTT to its broker), one campaign that succeeds and one that fails
// each; the Vehicles view shows every vehicle with its timeline, counts campaigns by state, filters, searches.
import type { Locator, Page } from '@playwright/test';
import { startVehicleSim, type VehicleSim } from '../sim/vehicles/vehicle-sim';
import type { Scenario } from '../sim/vehicles/vehicle-script';
import { collectPageErrors, openApp } from './support/app-page';
import { expect, test } from './support/fixtures';

// Its own `dockside web` (a worker option set here gives this file its own worker).
test.use({ webHostOptions: {} });

const PROTOCOLS = ['aktualizr', 'oem', 'carota', 'edgehog'] as const;
type Protocol = (typeof PROTOCOLS)[number];
const fleets = {} as Record<`${Protocol}-${Scenario}`, string[]>;

test.beforeAll(async ({ webHost }) => {
  const http = webHost.url.replace(/\/$/, '');
  const sims: VehicleSim[] = [];
  for (const scenario of ['ok', 'fail'] as const) {
    for (const protocol of PROTOCOLS) {
      const target = protocol === 'aktualizr' || protocol === 'oem' ? http : webHost.ingestUrl;
      const sim = await startVehicleSim({ protocol, target, vehicles: 2, scenario, intervalMs: 20 });
      fleets[`${protocol}-${scenario}`] = sim.vehicles;
      sims.push(sim);
    }
  }
  await Promise.all(sims.map((s) => s.done));
});

const vehicleList = (page: Page) => page.getByRole('list', { name: 'Vehicles', exact: true });
/** A row of the list (not the phase cells nested in it), by the device it shows. */
const vehicleRow = (page: Page, device: string): Locator => vehicleList(page).locator(':scope > [role="listitem"]').filter({ hasText: device });
const timeline = (page: Page, device: string) => page.getByRole('list', { name: `Timeline of ${device}`, exact: true });
const phase = (page: Page, device: string, name: string): Locator =>
  timeline(page, device)
    .getByRole('listitem')
    .filter({ has: page.locator('.phase-name', { hasText: new RegExp(`^${name}$`) }) });
const shownCount = (page: Page) => page.getByText(/^\d+ vehicles?, \d+ shown$/);

async function search(page: Page, text: string): Promise<void> {
  await page.getByLabel('Search vehicles').fill(text);
}

test('every vehicle of the four protocols shows with its timeline; campaign counts, filters and search', async ({ page, webHost }) => {
  const errors = collectPageErrors(page);
  const all = Object.values(fleets).flat();
  await openApp(page, webHost.url, 'Vehicles');
  await expect(shownCount(page)).toHaveText(`${all.length} vehicles, ${all.length} shown`);
  await expect(page.getByRole('tab', { name: /^All campaigns/ })).toHaveText(`All campaigns ${all.length}`);
  const byState = page.getByRole('list', { name: 'Vehicles by state' });
  await expect(byState).toContainText('8 succeeded');
  await expect(byState).toContainText('8 failed');

  // Each vehicle is there (found by search, as the list only renders what is on screen).
  for (const device of all) {
    await search(page, device);
    await expect(vehicleRow(page, device)).toHaveCount(1);
  }

  // A successful OEM campaign, phase by phase, with the protocol's own words on hover.
  const oemOk = fleets['oem-ok'][0]!;
  await search(page, oemOk);
  for (const name of ['Consent', 'Download', 'Install', 'Activate', 'Done']) await expect(phase(page, oemOk, name).locator('.phase-state')).toHaveText('succeeded');
  await expect(phase(page, oemOk, 'Verify').locator('.phase-state')).toContainText('not reached');
  await expect(phase(page, oemOk, 'Done')).toHaveAttribute('title', /updateComplete success/);

  // A failed Edgehog download says so in its Download cell, with the status and code it sent.
  const edgeFail = fleets['edgehog-fail'][0]!;
  await search(page, edgeFail);
  await expect(phase(page, edgeFail, 'Download').locator('.phase-state')).toHaveText('failed');
  await expect(phase(page, edgeFail, 'Download')).toHaveAttribute('title', /Failure NetworkError/);

  // The failing OEM campaign as a tab: its two vehicles, both failed.
  const oemFail = fleets['oem-fail'];
  await search(page, oemFail[0]!);
  const campaignText = await vehicleList(page).locator('.vehicle-id .small').first().getAttribute('title');
  await search(page, '');
  await page.getByLabel('Campaign', { exact: true }).selectOption({ label: `OEM — ${campaignText}` });
  const tab = page.getByRole('tab', { selected: true });
  await expect(tab).toContainText(`OEM ${campaignText}`);
  await expect(tab).toContainText('2');
  await expect(byState).toHaveText('2 failed');
  await expect(shownCount(page)).toHaveText(`${all.length} vehicles, 2 shown`);
  for (const device of oemFail) await expect(vehicleRow(page, device)).toHaveCount(1);
  await page.getByRole('tab', { name: /^All campaigns/ }).click();

  // Filters and search narrow the list.
  await page.getByLabel('State', { exact: true }).selectOption('failed');
  await expect(shownCount(page)).toHaveText(`${all.length} vehicles, 8 shown`);
  // The state chips count what the list shows, filters included.
  await expect(byState).toHaveText('8 failed');
  await page.getByLabel('Protocol', { exact: true }).selectOption('edgehog');
  await expect(shownCount(page)).toHaveText(`${all.length} vehicles, 2 shown`);
  await expect(byState).toHaveText('2 failed');
  for (const device of fleets['edgehog-fail']) await expect(vehicleRow(page, device)).toHaveCount(1);
  await page.getByLabel('State', { exact: true }).selectOption('');
  await page.getByLabel('Protocol', { exact: true }).selectOption('');
  await page.getByLabel('Device', { exact: true }).fill(fleets['aktualizr-fail'][1]!.slice(0, 12));
  await expect(vehicleRow(page, fleets['aktualizr-fail'][1]!)).toHaveCount(1);
  await page.getByLabel('Device', { exact: true }).fill('');
  await search(page, 'MD5 mismatch');
  await expect(shownCount(page)).toHaveText(`${all.length} vehicles, 1 shown`);
  await expect(vehicleRow(page, fleets['carota-fail'][1]!)).toContainText('failure (7)');
  expect(errors).toEqual([]);
});

test('a vehicle reporting while the view is open moves along its timeline live', async ({ page, webHost }) => {
  await openApp(page, webHost.url, 'Vehicles');
  const sim = await startVehicleSim({ protocol: 'edgehog', target: webHost.ingestUrl, vehicles: 1, scenario: 'ok', intervalMs: 150 });
  const device = sim.vehicles[0]!;
  await search(page, device);
  await expect(phase(page, device, 'Download').locator('.phase-state')).toHaveText(/running|succeeded/);
  await sim.done;
  await expect(phase(page, device, 'Done').locator('.phase-state')).toHaveText('succeeded');
});
