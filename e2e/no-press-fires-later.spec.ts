// No action is ever queued for later: while the host is away every button is off and says why, the top
// bar says the host is away (not "Broker: Connected"), and once the host is back nothing pressed meanwhile
// reaches a dock. While the broker is away, the upgrade buttons are off too.
import { startRestartableMosquitto, type RestartableBroker } from './support/restartable-broker';
import { startDockFleet, type DockFleet } from './support/dock-fleet';
import { startWebHost, type WebHost } from './support/web-host';
import { addFirmware, brokerBadge, collectPageErrors, openApp, startUpgrade, upgradeRow } from './support/app-page';
import { expect, test } from './support/fixtures';
import { firmwareFile } from './support/firmware-file';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FILE = 'Dock2-V10.01.1700-e2e.bin';
const DOCK = 'E2E-LATE-DOCK';
let broker: RestartableBroker;
let host: WebHost;
let fleet: DockFleet;
let dataDir: string;

test.beforeAll(async () => {
  broker = await startRestartableMosquitto();
  dataDir = mkdtempSync(join(tmpdir(), 'dockside-e2e-late-'));
  host = await startWebHost({ brokerUrl: broker.url, dataDir });
  fleet = startDockFleet(broker.url);
});

test.afterAll(async () => {
  await fleet.stopAll();
  await host.stop();
  await broker.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('with the host away every action is off and says why; nothing pressed reaches a dock later; the broker away turns upgrades off too', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = collectPageErrors(page);
  const [sim] = await fleet.start([DOCK], { scenario: 'md5-mismatch' });
  await openApp(page, host.url);
  await addFirmware(page, firmwareFile(FILE));
  await startUpgrade(page, FILE, [DOCK]);
  const row = upgradeRow(page, DOCK);
  const retry = row.getByRole('button', { name: `Retry ${DOCK}` });
  await expect(retry).toBeEnabled({ timeout: 30_000 });
  const creates = () => sim!.received().filter((m) => m.envelope.method === 'ota_create').length;
  const sent = creates();

  await host.stop();
  await expect(page.getByRole('alert').filter({ hasText: 'Host connection lost.' })).toBeVisible();
  await expect(page.getByRole('banner').getByText('Host: Connection lost')).toBeVisible();
  await expect(brokerBadge(page)).toHaveText('Broker: unknown (host away)');
  await expect(retry).toBeDisabled();
  await expect(page.getByText(/^The Dockside host is not reachable\. Buttons are off until it is back; nothing is sent meanwhile\./)).toBeVisible();
  await retry.click({ force: true });

  host = await startWebHost({ brokerUrl: broker.url, dataDir, port: host.port });
  await expect(page.getByRole('banner').getByText('Host: Connected')).toBeVisible({ timeout: 20_000 });
  await expect(brokerBadge(page)).toHaveText('Broker: Connected', { timeout: 20_000 });
  await expect(upgradeRow(page, DOCK).getByRole('button', { name: `Retry ${DOCK}` })).toBeEnabled();
  await page.waitForTimeout(3_000);
  expect(creates()).toBe(sent);

  await broker.down();
  await expect(brokerBadge(page)).toHaveText('Broker: Reconnecting…');
  await expect(upgradeRow(page, DOCK).getByRole('button', { name: `Retry ${DOCK}` })).toBeDisabled();
  await expect(page.getByText(/^The broker is reconnecting\./)).toBeVisible();
  await broker.up();
  await expect(upgradeRow(page, DOCK).getByRole('button', { name: `Retry ${DOCK}` })).toBeEnabled({ timeout: 20_000 });
  expect(creates()).toBe(sent);
  expect(errors).toEqual([]);
});
