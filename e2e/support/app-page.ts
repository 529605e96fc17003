// What a technician does in the window, as steps the specs share: go to a view, add firmware through the
// real file picker, select docks, confirm an upgrade, read a progress bar. Locators follow the roles and
// names a screen reader would announce.
import { expect, type Locator, type Page } from '@playwright/test';

export const VIEW_NAMES = ['Connection', 'Devices', 'Firmware', 'Upgrade', 'Progress', 'Vehicles', 'Log'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

export async function openApp(page: Page, url: string, view: ViewName = 'Connection'): Promise<void> {
  await page.goto(url);
  await goTo(page, view);
}

export async function goTo(page: Page, view: ViewName): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view, exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: view, exact: true })).toBeVisible();
}

/** The topbar badge: "Broker: Connected", "Broker: Reconnecting…", … */
export const brokerBadge = (page: Page): Locator => page.getByRole('banner').getByText(/^Broker: /);

/** Adds the file through the Firmware view's <input type="file"> and waits until it is hashed. */
export async function addFirmware(page: Page, path: string): Promise<Locator> {
  await goTo(page, 'Firmware');
  await page.locator('input[type="file"]').setInputFiles(path);
  const name = path.split('/').pop()!;
  const card = page
    .getByRole('list', { name: 'Firmware files' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name, exact: true }) });
  await expect(card.getByText('Ready', { exact: true })).toBeVisible();
  return card;
}

/** A row of the Devices table, found by the SN it shows as text. */
export const deviceRow = (page: Page, sn: string): Locator => page.getByRole('row').filter({ has: page.getByText(sn, { exact: true }) });

/** Waits until every dock is listed (by its SN as text) in the Devices view, then ticks these. */
export async function selectDevices(page: Page, sns: readonly string[]): Promise<void> {
  await goTo(page, 'Devices');
  for (const sn of sns) await expect(deviceRow(page, sn)).toBeVisible();
  for (const sn of sns) await page.getByRole('checkbox', { name: sn, exact: true }).check();
}

/** In the Upgrade view: picks the firmware by file name, presses Upgrade and returns the open dialog. */
export async function openConfirmation(page: Page, fileName: string): Promise<Locator> {
  await goTo(page, 'Upgrade');
  const select = page.getByLabel('Firmware file', { exact: true });
  const option = select.getByRole('option', { name: new RegExp(`^${fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `) });
  await select.selectOption({ label: (await option.textContent())! });
  await page.getByRole('button', { name: 'Upgrade', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Confirm upgrade' });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** From the devices ticked to the Progress view: file chosen, dialog confirmed. */
export async function startUpgrade(page: Page, fileName: string, sns: readonly string[]): Promise<void> {
  await selectDevices(page, sns);
  const dialog = await openConfirmation(page, fileName);
  for (const sn of sns) await expect(dialog.getByRole('list', { name: 'Devices to upgrade' })).toContainText(sn);
  await dialog.getByRole('button', { name: 'Start upgrade' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Progress', exact: true })).toBeVisible();
}

export const progressBar = (page: Page, sn: string): Locator => page.getByRole('progressbar', { name: `${sn} upgrade progress`, exact: true });

/** The Progress view's row of one device (the newest attempt when it was retried). */
export const upgradeRow = (page: Page, sn: string): Locator =>
  page
    .getByRole('list', { name: 'Upgrades' })
    .getByRole('listitem')
    .filter({ has: progressBar(page, sn) });

export async function percentOf(bar: Locator): Promise<number> {
  return Number(await bar.getAttribute('aria-valuenow'));
}

/**
 * Records every aria-valuenow each upgrade progress bar shows from now on (a MutationObserver in the page),
 * so a spec can assert the bar moved through intermediate values, not just that it ended at 100.
 */
export async function recordProgress(page: Page): Promise<() => Promise<Record<string, number[]>>> {
  await page.evaluate(() => {
    const seen: Record<string, number[]> = {};
    (window as unknown as { __progressSeen: typeof seen }).__progressSeen = seen;
    const note = (el: Element) => {
      const name = el.getAttribute('aria-label') ?? '';
      const m = / upgrade progress$/.exec(name);
      if (!m) return;
      const sn = name.slice(0, m.index);
      const v = Number(el.getAttribute('aria-valuenow'));
      const list = (seen[sn] ??= []);
      if (list[list.length - 1] !== v) list.push(v);
    };
    document.querySelectorAll('[role="progressbar"]').forEach(note);
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'attributes') note(r.target as Element);
        else r.addedNodes.forEach((n) => n instanceof Element && [n, ...n.querySelectorAll('[role="progressbar"]')].forEach((el) => el.getAttribute('role') === 'progressbar' && note(el)));
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });
  return () => page.evaluate(() => (window as unknown as { __progressSeen: Record<string, number[]> }).__progressSeen);
}

/** Uncaught errors in the page: a spec asserts none happened, whatever the input. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}
