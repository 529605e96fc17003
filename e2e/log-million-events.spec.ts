// A site log of one million events: the journal is seeded through its own append path before the host
// starts, then the Log view counts them, pages through them from the host as the list scrolls (only the
// rows on screen exist in the page), filters them, flips the order and opens one deep in the list.
// Measured on the 2-core build machine: seeding ~9 s (the journal's own append path), host start ~8 s
// (the core replays the journal on start), the test ~14 s of which ~5 s is the first query building
// the index; the whole file ~35 s. Figures for why the file fits the suite; speed belongs in bench/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { SOURCES, STATES, type UpgradeEvent } from '../preload/api';
import { Journal } from '../main/journal/journal';
import { openApp } from './support/app-page';
import { expect, test } from './support/fixtures';
import { startWebHost, type WebHost } from './support/web-host';

const N = 1_000_000;
const VEHICLES = 5000;
const BASE = Date.UTC(2025, 2, 1);
let dataDir: string;
let host: WebHost;

/** Event i: one of 5,000 vehicles, states in turn, one second apart; its message names its number. */
function event(i: number): UpgradeEvent {
  const source = SOURCES[1 + (i % 4)]!;
  return {
    id: `seed-${i}`,
    time: new Date(BASE + i * 1000).toISOString(),
    source,
    device: `VIN${String(i % VEHICLES).padStart(5, '0')}`,
    campaign: `camp-${i % 7}`,
    phase: 'download',
    state: STATES[i % 4]!,
    percent: i % 101,
    message: `seeded event ${i}`,
    raw: { n: i, status: 'DOWNLOADING' },
  };
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dataDir = mkdtempSync(join(tmpdir(), 'dockside-million-'));
  const journal = await Journal.open(dataDir);
  for (let i = 0; i < N; i += 20_000) await journal.appendMany(Array.from({ length: 20_000 }, (_, k) => ({ kind: 'event' as const, event: event(i + k) })));
  await journal.close();
  host = await startWebHost({ dataDir, startTimeoutMs: 180_000 });
});

test.afterAll(async () => {
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const list = (page: Page) => page.getByRole('list', { name: 'Events', exact: true });

/** Scrolls the list so display row `index` is at the top, and waits for that row to show event `n`. */
async function expectRow(page: Page, index: number, n: number): Promise<void> {
  await list(page).evaluate((el, top) => void (el.parentElement!.scrollTop = top), index * 30);
  await expect(list(page).locator(`[aria-posinset="${index + 1}"]`)).toHaveText(new RegExp(`seeded event ${n}$`), { timeout: 30_000 });
}

test('a million events: counted, paged from the host as the list scrolls, filtered, both orders, one opened', async ({ page }) => {
  test.setTimeout(180_000);
  await openApp(page, host.url, 'Log');
  await expect(page.getByText('1,000,000 events')).toBeVisible({ timeout: 90_000 });
  await expectRow(page, 0, N - 1);
  await expectRow(page, 500_000, N - 1 - 500_000);
  await expectRow(page, 999_990, 9);
  // Only the rows on screen are in the page.
  expect(await list(page).getByRole('listitem').count()).toBeLessThan(100);

  await expectRow(page, 123_456, N - 1 - 123_456);
  await list(page).locator('[aria-posinset="123457"]').getByRole('button').click();
  const raw = page.getByRole('dialog').getByLabel('Raw payload');
  expect(JSON.parse((await raw.textContent())!)).toEqual({ n: N - 1 - 123_456, status: 'DOWNLOADING' });
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

  const filters = page.getByRole('form', { name: 'Log filters' });
  await filters.getByRole('group', { name: 'State' }).getByRole('checkbox', { name: 'failed', exact: true }).check();
  await expect(page.getByText('250,000 events')).toBeVisible({ timeout: 30_000 });
  // Vehicle 7 reports every 5,000th event, and all of its 200 are failures.
  await filters.getByLabel('Device', { exact: true }).fill('VIN00007');
  await expect(page.getByText('200 events', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expectRow(page, 0, 995_007);
  await filters.getByLabel('Order', { exact: true }).selectOption('asc');
  await expectRow(page, 0, 7);
});
