// Docks as they behave in the field, seen where a technician looks: a dock that says ok but keeps its old
// version ends "Not verified" in its own colour; one that restarts to apply the firmware and never sends
// ok ends upgraded and verified; one that sends no sub_status reads from its step, never "waiting for
// its reply" while it works; health alerts show on the row and in the Log.
import { addFirmware, collectPageErrors, goTo, openApp, startUpgrade, upgradeRow } from './support/app-page';
import { expect, test } from './support/fixtures';
import { firmwareFile } from './support/firmware-file';

// Its own `dockside web`, with a verify limit short enough to watch (the default is 600 s).
test.use({ webHostOptions: { extraArgs: ['--verify-timeout', '4'] } });

const STALE = 'E2E-FIELD-STALE';
const REBOOT = 'E2E-FIELD-REBOOT';
const NO_SUB = 'E2E-FIELD-NOSUB';
const HMS = 'E2E-FIELD-HMS';
const FILE = 'Dock2-V10.01.1700-field.bin';

test('not verified, a reboot with no ok, no sub_status and health alerts, each as a technician reads it', async ({ page, webHost, docks }) => {
  const errors = collectPageErrors(page);
  await docks.start([STALE], { scenario: 'stale-version' });
  await docks.start([REBOOT], { reboot: { offlineMs: 2500 } });
  await docks.start([NO_SUB], { subStatus: false, tidMode: 'fresh', progressIntervalMs: 300 });
  await docks.start([HMS], { scenario: 'hms', progressIntervalMs: 300 });
  await openApp(page, webHost.url);
  await addFirmware(page, firmwareFile(FILE, 256 * 1024));

  // Every status text the no-sub_status row shows, from the moment it is sent.
  await page.evaluate((sn) => {
    const seen: string[] = [];
    (window as unknown as { __noSubWords: string[] }).__noSubWords = seen;
    new MutationObserver(() => {
      const bar = document.querySelector(`[role="progressbar"][aria-label="${sn} upgrade progress"]`);
      const row = bar?.closest('[role="listitem"], li');
      const badge = row?.querySelector('.badge')?.textContent ?? '';
      if (badge && seen.at(-1) !== badge) seen.push(badge);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, NO_SUB);

  await startUpgrade(page, FILE, [STALE, REBOOT, NO_SUB, HMS]);

  const hmsRow = upgradeRow(page, HMS);
  await expect(hmsRow.getByText(/^Health alert: .*0x1B0A0001/)).toBeVisible({ timeout: 30_000 });

  const stale = upgradeRow(page, STALE);
  await expect(stale.getByText('Not verified', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(stale.getByText(/^Not verified: reports firmware_version 10\.01\.1612, expected 10\.01\.1700/)).toBeVisible();
  const tone = (sn: string) =>
    upgradeRow(page, sn)
      .locator('.badge')
      .first()
      .evaluate((el) => [el.className, getComputedStyle(el).backgroundColor]);

  await expect(upgradeRow(page, REBOOT).getByText('Upgraded to 10.01.1700; the device reports the new version')).toBeVisible({ timeout: 30_000 });
  await expect(upgradeRow(page, NO_SUB).getByText('Upgraded to 10.01.1700; the device reports the new version')).toBeVisible({ timeout: 30_000 });
  await expect(hmsRow.getByText('Upgraded to 10.01.1700; the device reports the new version')).toBeVisible({ timeout: 30_000 });

  // Its own colour: neither the green of a verified end nor the red of a failure.
  const [staleClass, staleColour] = await tone(STALE);
  const [, okColour] = await tone(REBOOT);
  expect(staleClass).toContain('badge-doubt');
  expect(staleColour).not.toBe(okColour);
  const badColour = await page.evaluate(() => {
    const probe = document.createElement('span');
    probe.className = 'badge badge-bad';
    document.body.append(probe);
    const colour = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return colour;
  });
  expect(staleColour).not.toBe(badColour);

  const noSubWords = await page.evaluate(() => (window as unknown as { __noSubWords: string[] }).__noSubWords);
  expect(
    noSubWords.some((w) => /Downloading|Upgrading|In progress/i.test(w)),
    noSubWords.join(' | '),
  ).toBe(true);
  // Once the dock has started, nothing says it is still waiting for a reply.
  const started = noSubWords.findIndex((w) => !/waiting for its reply/.test(w) && !/^Sent/.test(w));
  expect(
    noSubWords.slice(started).filter((w) => /waiting for its reply/.test(w)),
    noSubWords.join(' | '),
  ).toEqual([]);

  const banner = page.getByRole('status').filter({ hasText: 'Batch finished' });
  await expect(banner).toContainText('1 not verified');

  await goTo(page, 'Log');
  await expect(
    page
      .getByRole('list', { name: 'Events', exact: true })
      .getByRole('listitem')
      .filter({ hasText: `health alert from ${HMS}` })
      .first(),
  ).toBeVisible();
  expect(errors).toEqual([]);
});
