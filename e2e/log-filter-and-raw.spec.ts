// The Log view over a real journal: events from an aktualizr fleet (HTTP) and a failing Edgehog fleet
// (MQTT); filters by source, state, device, text and time, both orders, an event opened to the payload
// the vehicle sent, and a malformed OEM notification shown as a failed entry as soon as it is refused.
import type { Locator, Page } from '@playwright/test';
import { startVehicleSim } from '../sim/vehicles/vehicle-sim';
import { collectPageErrors, openApp } from './support/app-page';
import { expect, test } from './support/fixtures';

// Its own `dockside web` (a worker option set here gives this file its own worker).
test.use({ webHostOptions: {} });

let aktualizrVins: string[];
let edgehogDevices: string[];

test.beforeAll(async ({ webHost }) => {
  // One after the other, so the oldest event is known: aktualizr's first report.
  const aktualizr = await startVehicleSim({ protocol: 'aktualizr', target: webHost.url.replace(/\/$/, ''), vehicles: 2, scenario: 'ok', intervalMs: 10 });
  await aktualizr.done;
  const edgehog = await startVehicleSim({ protocol: 'edgehog', target: webHost.ingestUrl, vehicles: 2, scenario: 'fail', intervalMs: 10 });
  await edgehog.done;
  aktualizrVins = aktualizr.vehicles;
  edgehogDevices = edgehog.vehicles;
});

const events = (page: Page) => page.getByRole('list', { name: 'Events', exact: true });
const rows = (page: Page): Locator => events(page).getByRole('listitem');
const total = (page: Page) => page.getByText(/^[\d,]+ events?$/);
const filters = (page: Page) => page.getByRole('form', { name: 'Log filters' });
const check = (page: Page, group: 'Source' | 'State', name: string) => filters(page).getByRole('group', { name: group }).getByRole('checkbox', { name, exact: true });

async function totalOf(page: Page): Promise<number> {
  await expect(total(page)).toBeVisible();
  return Number((await total(page).textContent())!.replace(/[^\d]/g, ''));
}

test('filters by source, state, device, text and time; both orders; an event opens to its raw payload', async ({ page, webHost }) => {
  const errors = collectPageErrors(page);
  await openApp(page, webHost.url, 'Log');
  // aktualizr: 2 vehicles × 14 events; Edgehog fail: 2 × 6.
  await expect(total(page)).toHaveText('40 events');
  await expect(rows(page).first()).toContainText('Edgehog');
  await expect(rows(page).first()).toContainText('Failure NetworkError');

  await check(page, 'Source', 'aktualizr').check();
  await expect(total(page)).toHaveText('28 events');
  await expect(rows(page).filter({ hasText: 'Edgehog' })).toHaveCount(0);
  await check(page, 'Source', 'Edgehog').check();
  await check(page, 'State', 'failed').check();
  await expect(total(page)).toHaveText('2 events');
  for (const device of edgehogDevices) await expect(rows(page).filter({ hasText: device })).toHaveCount(1);
  await check(page, 'State', 'failed').uncheck();

  await filters(page).getByLabel('Device', { exact: true }).fill(edgehogDevices[1]!);
  await expect(total(page)).toHaveText('6 events');
  await filters(page).getByLabel('Search', { exact: true }).fill('networkerror');
  await expect(total(page)).toHaveText('2 events');
  await expect(rows(page).nth(0)).toContainText('Failure NetworkError');
  await expect(rows(page).nth(1)).toContainText('Error NetworkError');

  await filters(page).getByLabel('Order', { exact: true }).selectOption('asc');
  await expect(rows(page).nth(0)).toContainText('Error NetworkError');
  await expect(rows(page).nth(1)).toContainText('Failure NetworkError');

  await rows(page).nth(1).getByRole('button').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(edgehogDevices[1]!);
  const raw = dialog.getByLabel('Raw payload');
  await expect(raw).toContainText('"status": "Failure"');
  await expect(raw).toContainText('"statusCode": "NetworkError"');
  expect(JSON.parse((await raw.textContent())!)).toMatchObject({ v: { status: 'Failure', statusCode: 'NetworkError', statusProgress: 100 } });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  await filters(page).getByRole('button', { name: 'Clear filters' }).click();
  await expect(total(page)).toHaveText('40 events');
  await expect(filters(page).getByLabel('Order', { exact: true })).toHaveValue('asc');
  await expect(rows(page).first()).toContainText('aktualizr');
  await expect(rows(page).first()).toContainText('campaign_accepted');
  await expect(rows(page).first()).toContainText(aktualizrVins[0]!);

  // A range after every event matches nothing; one around them matches all.
  await filters(page).getByLabel('From', { exact: true }).fill('2099-01-01T00:00:00');
  await expect(page.getByText('No event matches these filters.')).toBeVisible();
  await filters(page).getByLabel('From', { exact: true }).fill('2000-01-01T00:00:00');
  await filters(page).getByLabel('To', { exact: true }).fill('2099-01-01T00:00:00');
  await expect(total(page)).toHaveText('40 events');
  expect(errors).toEqual([]);
});

test('a malformed OEM notification is refused with 400 and shows at once as a failed entry with its body', async ({ page, webHost }) => {
  await openApp(page, webHost.url, 'Log');
  const before = await totalOf(page);
  const body = '{"signed": {"vin": "DKSMALFORMED0001", "events": [{"eventsType": "download"}]}}';
  const answer = await page.request.post(`${webHost.url}ingest/oem`, { data: body, headers: { 'content-type': 'application/json' } });
  expect(answer.status()).toBe(400);
  expect((await answer.json()).error).toMatch(/status/);

  // Newest first and at the top of the list: it arrives live, no reload.
  await expect(total(page)).toHaveText(`${before + 1} events`);
  const entry = rows(page).first();
  await expect(entry).toContainText('OEM');
  await expect(entry).toContainText('failed');
  await expect(entry).toContainText('refused oem payload');
  await entry.getByRole('button').click();
  await expect(page.getByRole('dialog').getByLabel('Raw payload')).toHaveText(body);
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

  await check(page, 'State', 'failed').check();
  await check(page, 'Source', 'OEM').check();
  await expect(total(page)).toHaveText('1 event');
});
