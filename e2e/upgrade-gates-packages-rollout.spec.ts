// Planning an upgrade a technician can trust, in the window: every pre-flight gate shown before confirming,
// a failed gate holding its device back with the gate in words, a file per model (the aircraft's own), the
// selection cleared once sent, held rows released or canceled, the device's history; then a staged rollout:
// a canary first, the rest held by the rollout, released or canceled by hand, and at most one at once.
import { addFirmware, collectPageErrors, deviceRow, goTo, openApp, openConfirmation, selectDevices, upgradeRow } from './support/app-page';
import { expect, test } from './support/fixtures';
import { firmwareFile } from './support/firmware-file';

test.use({ webHostOptions: {} });

const DOCK_FILE = 'Dock2-V10.01.1700-e2e.bin';
const AIRCRAFT_FILE = 'M3D-V10.01.1700-e2e.bin';
const UPGRADED = 'Upgraded to 10.01.1700; the device reports the new version';

test('gates before confirming, a failed gate holds its device, the aircraft gets its own file; release, cancel and history from the window', async ({ page, webHost, docks }) => {
  test.setTimeout(90_000);
  const errors = collectPageErrors(page);
  const [OK, ESTOP, LOW, AIRCRAFT] = ['E2E-GATE-DOCK-A', 'E2E-GATE-DOCK-B', 'E2E-GATE-DOCK-C', 'E2E-GATE-M3D-C'];
  await docks.start([OK]);
  await docks.start([ESTOP], { scenario: 'emergency-stop' });
  await docks.start([LOW], { scenario: 'low-battery', drone: AIRCRAFT });
  await openApp(page, webHost.url);
  await addFirmware(page, firmwareFile(DOCK_FILE));
  await addFirmware(page, firmwareFile(AIRCRAFT_FILE));
  await selectDevices(page, [OK, ESTOP, LOW, AIRCRAFT]);

  // One file for all: the Dock 2 package is refused for the Matrice 3D, with the reason.
  let dialog = await openConfirmation(page, DOCK_FILE);
  await expect(dialog.getByRole('list', { name: 'Devices to upgrade' }).getByRole('listitem').filter({ hasText: AIRCRAFT })).toContainText(
    `Will not be sent: ${DOCK_FILE} is for DJI Dock 2, not Matrice 3D`,
  );
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // The aircraft's own file, chosen for its model.
  await page.getByLabel('File for every Matrice 3D').selectOption({ label: `${AIRCRAFT_FILE} — 10.01.1700 (for Matrice 3D / 3TD)` });
  await page.getByLabel('Site').fill('Harbour pier 4');
  await page.getByLabel('Technician').fill('R. Okafor');
  dialog = await openConfirmation(page, DOCK_FILE);
  await expect(dialog.getByRole('list', { name: `Checks of ${OK}` })).toContainText('pass dock idle mode_code 0 (idle); avoids 312015');
  await expect(dialog.getByRole('list', { name: `Checks of ${ESTOP}` })).toContainText('fail emergency stop released emergency_stop_state 1 (pressed); avoids 312023');
  await expect(dialog.getByRole('list', { name: `Checks of ${AIRCRAFT}` })).toContainText('fail aircraft battery at least 20% capacity_percent 12 (12%); avoids 312704');
  await expect(dialog.getByRole('list', { name: 'Devices to upgrade' }).getByRole('listitem').filter({ hasText: AIRCRAFT })).toContainText(AIRCRAFT_FILE);
  await expect(dialog.getByRole('status')).toHaveText('2 will be sent, 2 held back by a failed check.');
  await dialog.getByRole('button', { name: 'Start upgrade' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Progress' })).toBeVisible();

  await expect(upgradeRow(page, ESTOP).getByText('Held back: emergency stop released (emergency_stop_state 1 (pressed); a dock answers 312023)', { exact: true })).toBeVisible();
  await expect(upgradeRow(page, AIRCRAFT).getByText(/^Held back: aircraft battery at least 20%/)).toBeVisible();
  for (const sn of [OK, LOW]) await expect(upgradeRow(page, sn).getByText(UPGRADED)).toBeVisible({ timeout: 30_000 });

  // Release checks the gate again: still pressed, so it stays held and says why.
  await upgradeRow(page, ESTOP)
    .getByRole('button', { name: `Release ${ESTOP}` })
    .click();
  await expect(upgradeRow(page, ESTOP).getByRole('alert')).toContainText(`${ESTOP} still fails: emergency stop released`);
  await upgradeRow(page, AIRCRAFT)
    .getByRole('button', { name: `Cancel ${AIRCRAFT}` })
    .click();
  await expect(upgradeRow(page, AIRCRAFT).getByText('Canceled', { exact: true })).toBeVisible();

  // Sent, the selection is gone: nothing is re-flashed by accident.
  await goTo(page, 'Devices');
  for (const sn of [OK, ESTOP, LOW, AIRCRAFT]) await expect(page.getByRole('checkbox', { name: sn, exact: true })).not.toBeChecked();
  await deviceRow(page, OK)
    .getByRole('button', { name: `History of ${OK}` })
    .click();
  const history = page.getByRole('dialog', { name: `Upgrade history of ${OK}` });
  await expect(history.getByRole('row').nth(1)).toContainText('10.01.1612 → 10.01.1700');
  await expect(history.getByRole('row').nth(1)).toContainText('upgraded and verified');
  await expect(history.getByRole('row').nth(1)).toContainText('Harbour pier 4, R. Okafor');
  await history.getByRole('button', { name: 'Close' }).click();
  expect(errors).toEqual([]);
});

test('a staged rollout: the canary first, the rest held by the rollout until released or canceled; at most one at once', async ({ page, webHost, docks }) => {
  test.setTimeout(120_000);
  const errors = collectPageErrors(page);
  const [CANARY, B, C, D] = ['E2E-ROLL-DOCK-A', 'E2E-ROLL-DOCK-B', 'E2E-ROLL-DOCK-C', 'E2E-ROLL-DOCK-D'];
  // Slow enough that the rest are seen waiting for it before it fails.
  await docks.start([CANARY], { scenario: 'download-fail', progressIntervalMs: 1000 });
  await docks.start([B, C, D]);
  await openApp(page, webHost.url);
  await addFirmware(page, firmwareFile(DOCK_FILE));
  await selectDevices(page, [CANARY, B, C]);
  await goTo(page, 'Upgrade');
  await page.getByLabel('Canary docks first').fill('1');
  let dialog = await openConfirmation(page, DOCK_FILE);
  await expect(dialog).toContainText('Rollout: 1 dock first as canary; the rest wait until every canary is verified');
  await dialog.getByRole('button', { name: 'Start upgrade' }).click();

  await expect(upgradeRow(page, CANARY).getByText('canary', { exact: true })).toBeVisible();
  for (const sn of [B, C]) await expect(upgradeRow(page, sn).getByText('Held by rollout: waiting for the canary dock to be verified', { exact: true })).toBeVisible();
  // The canary fails: the rest stay held, saying so, until the technician decides.
  for (const sn of [B, C])
    await expect(upgradeRow(page, sn).getByText(`Held by rollout: canary ${CANARY} failed; release to go on anyway, or cancel`, { exact: true })).toBeVisible({ timeout: 30_000 });
  await upgradeRow(page, B)
    .getByRole('button', { name: `Release ${B}` })
    .click();
  await upgradeRow(page, C)
    .getByRole('button', { name: `Cancel ${C}` })
    .click();
  await expect(upgradeRow(page, B).getByText(UPGRADED)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Batch finished with problems' })).toContainText('3 devices — 1 upgraded and verified, 1 failed, 1 canceled.');

  // At most one at once: of two docks, one waits in the batch while the other upgrades.
  await selectDevices(page, [C, D]);
  await goTo(page, 'Upgrade');
  await page.getByLabel('Canary docks first').fill('');
  await page.getByLabel('At most at once').fill('1');
  dialog = await openConfirmation(page, DOCK_FILE);
  await expect(dialog).toContainText('at most 1 dock at once');
  await dialog.getByRole('button', { name: 'Start upgrade' }).click();
  await expect(page.getByRole('list', { name: 'Upgrades' }).getByText('Waiting in the batch', { exact: true })).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 3, name: /^Current batch · .* · 2 devices$/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Show 3 devices' })).toBeVisible();
  for (const sn of [C, D]) await expect(upgradeRow(page, sn).getByText(UPGRADED)).toBeVisible({ timeout: 45_000 });
  expect(errors).toEqual([]);
});
