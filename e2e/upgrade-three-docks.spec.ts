// The technician's main job: three docks report in, one firmware file is added through the file picker,
// all three are upgraded in one batch, and every bar moves live to a verified success.
import { addFirmware, openApp, progressBar, recordProgress, startUpgrade, upgradeRow, collectPageErrors } from './support/app-page';
import { expect, test } from './support/fixtures';
import { firmwareFile } from './support/firmware-file';

// Its own `dockside web` (a worker option set here gives this file its own worker).
test.use({ webHostOptions: {} });

const DOCKS = ['E2E-UP3-DOCK-A', 'E2E-UP3-DOCK-B', 'E2E-UP3-DOCK-C'];
const FILE = 'Dock2-V10.01.1700-e2e.bin';

test('three docks upgrade together, with live progress bars, to a verified end', async ({ page, webHost, docks }) => {
  const errors = collectPageErrors(page);
  const sims = await docks.start(DOCKS);
  await openApp(page, webHost.url);
  const fw = await addFirmware(page, firmwareFile(FILE, 384 * 1024));
  await expect(fw).toContainText('10.01.1700');

  await startUpgrade(page, FILE, DOCKS);
  const seen = await recordProgress(page);
  for (const sn of DOCKS) {
    const row = upgradeRow(page, sn);
    await expect(row.getByText(`Upgraded to 10.01.1700; the device reports the new version`)).toBeVisible({ timeout: 30_000 });
    await expect(progressBar(page, sn)).toHaveAttribute('aria-valuenow', '100');
  }
  await expect(page.getByRole('status').filter({ hasText: 'Batch finished:' })).toContainText('3 devices — 3 upgraded and verified.');

  const history = await seen();
  for (const sn of DOCKS) {
    const values = history[sn] ?? [];
    // Live means the page showed the bar between its ends, not only a jump to 100.
    expect(
      values.some((v) => v > 0 && v < 100),
      `${sn} showed ${values.join(', ')}`,
    ).toBe(true);
    expect(values.at(-1)).toBe(100);
  }
  for (const sim of sims) expect(sim.firmwareVersions()[sim.gateway]).toBe('10.01.1700');
  expect(errors).toEqual([]);
});
