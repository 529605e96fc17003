// Readable in sunlight: every view passes axe-core (no serious or critical violation) in light, dark and
// high contrast, chosen in the window (and remembered) or asked for by the OS; at 1024 px nothing a
// technician reads in full (serials, versions, dates) is cut. The views are full: the demo runs, a batch
// is under way with one dock held back.
import type { Browser, Page } from '@playwright/test';
import { goTo, openApp, selectDevices, VIEW_NAMES, type ViewName } from './support/app-page';
import { expect, test } from './support/fixtures';
import { clippedKeepTexts, seriousAxeViolations } from './support/readability';

test.use({ webHostOptions: {} });
test.describe.configure({ mode: 'serial' });

const THEMES = { light: 'Light', dark: 'Dark', contrast: 'High contrast' } as const;

/** Waits until the view shows what it is about, not its empty state. */
async function showView(page: Page, view: ViewName): Promise<void> {
  await goTo(page, view);
  const ready: Partial<Record<ViewName, () => Promise<void>>> = {
    Devices: () => expect(page.getByRole('row').filter({ hasText: 'DEMO-DOCK-06' })).toBeVisible(),
    Firmware: () => expect(page.getByRole('list', { name: 'Firmware files' })).toBeVisible(),
    Progress: () => expect(page.getByRole('list', { name: 'Upgrades' })).toBeVisible(),
    Vehicles: () => expect(page.getByRole('list', { name: 'Vehicles', exact: true })).toBeVisible(),
    Log: () => expect(page.getByRole('list', { name: 'Events', exact: true }).getByRole('listitem').first()).toBeVisible(),
  };
  await ready[view]?.();
}

async function axeEveryView(page: Page, label: string, found: string[]): Promise<void> {
  for (const view of VIEW_NAMES) {
    await showView(page, view);
    for (const v of await seriousAxeViolations(page)) found.push(`${label} · ${view}: ${v.id} (${v.impact}) ${v.help}: ${v.targets.join(' | ')}`);
  }
}

async function newPage(browser: Browser, url: string, options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await openApp(page, url, 'Connection');
  return page;
}

test.beforeAll(async ({ browser, webHost }) => {
  test.setTimeout(120_000);
  const page = await newPage(browser, webHost.url);
  const demo = page.getByRole('region', { name: 'Demo mode' });
  await demo.getByRole('button', { name: 'Start demo' }).click();
  await expect(demo.getByRole('status')).toContainText('simulated docks', { timeout: 30_000 });
  await selectDevices(page, ['DEMO-DOCK-01', 'DEMO-DOCK-06']);
  await goTo(page, 'Upgrade');
  await page.getByLabel('Firmware file', { exact: true }).selectOption({ label: 'Dock2-V10.01.1700-demo.bin — 10.01.1700' });
  await page.getByRole('button', { name: 'Upgrade', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Confirm upgrade' });
  await expect(dialog.getByRole('list', { name: 'Checks of DEMO-DOCK-06' })).toContainText('fail');
  const found: string[] = [];
  for (const v of await seriousAxeViolations(page, '.dialog')) found.push(`confirmation: ${v.id} ${v.help}: ${v.targets.join(' | ')}`);
  expect(found).toEqual([]);
  await dialog.getByRole('button', { name: 'Start upgrade' }).click();
  await expect(page.getByText(/^Held back: dock idle/)).toBeVisible();
  await page.context().close();
});

test('every view passes axe in light, dark and high contrast chosen in the window, and the choice is remembered', async ({ browser, webHost }) => {
  test.setTimeout(180_000);
  const page = await newPage(browser, webHost.url, { colorScheme: 'light' });
  const found: string[] = [];
  for (const [theme, words] of Object.entries(THEMES)) {
    await page.getByLabel('Theme').selectOption({ label: words });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await axeEveryView(page, `${words} (chosen)`, found);
  }
  expect(found).toEqual([]);
  await page.reload();
  await expect(page.getByLabel('Theme')).toHaveValue('contrast');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'contrast');
  await page.context().close();
});

test('every view passes axe when the OS asks for light, dark or more contrast', async ({ browser, webHost }) => {
  test.setTimeout(180_000);
  const found: string[] = [];
  for (const [label, options, theme] of [
    ['OS light', { colorScheme: 'light' }, 'light'],
    ['OS dark', { colorScheme: 'dark' }, 'dark'],
    ['OS more contrast', { colorScheme: 'light', contrast: 'more' }, 'contrast'],
  ] as const) {
    const page = await newPage(browser, webHost.url, options);
    await expect(page.getByLabel('Theme')).toHaveValue('system');
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await axeEveryView(page, label, found);
    await page.context().close();
  }
  expect(found).toEqual([]);
});

test('at 1024 and 1440 px wide no serial, version or date is cut, and every row keeps its buttons in sight', async ({ browser, webHost }) => {
  test.setTimeout(120_000);
  const cut: string[] = [];
  for (const width of [1024, 1440]) {
    const page = await newPage(browser, webHost.url, { viewport: { width, height: 768 } });
    for (const view of VIEW_NAMES) {
      await showView(page, view);
      for (const text of await clippedKeepTexts(page)) cut.push(`${width} px · ${view}: ${text}`);
    }
    await goTo(page, 'Vehicles');
    await expect(page.getByRole('button', { name: /^Events of / }).first()).toBeInViewport({ ratio: 1 });
    // The biggest campaigns get the tabs (the demo's largest has 8 vehicles), however many small ones came later.
    const counts = (await page.getByRole('tab').locator('.count').allTextContents()).slice(1).map(Number);
    expect(counts[0]).toBe(8);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    await goTo(page, 'Progress');
    await expect(page.getByRole('button', { name: 'Send anyway DEMO-DOCK-06' })).toBeInViewport({ ratio: 1 });
    await page.context().close();
  }
  expect(cut).toEqual([]);
});
