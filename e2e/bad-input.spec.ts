// Wrong input in every form: each gives a clear message next to what was wrong, and the window keeps
// working afterwards (no page error, the next correct action succeeds).
import { freePort } from '../test-support/brokers';
import { addFirmware, brokerBadge, collectPageErrors, goTo, openApp, openConfirmation, selectDevices } from './support/app-page';
import { expect, test } from './support/fixtures';
import { firmwareFile } from './support/firmware-file';

// Its own `dockside web` (a worker option set here gives this file its own worker).
test.use({ webHostOptions: {} });

/** A field's description: the message, after the warning sign the stylesheet puts in front. */
const saying = (message: string) => new RegExp(`^\\W*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

test('Connection: every field refuses what cannot work, and the built-in broker still connects', async ({ page, webHost }) => {
  const errors = collectPageErrors(page);
  await openApp(page, webHost.url, 'Connection');
  const form = page.getByRole('form', { name: "Connect to the gateway's broker" });
  const url = form.getByLabel('Broker URL');
  const connect = form.getByRole('button', { name: 'Connect', exact: true });

  for (const bad of ['', 'broker.local:1883', 'http://192.168.1.10:1883', 'mqtt://']) {
    await url.fill(bad);
    await connect.click();
    await expect(url).toHaveAttribute('aria-invalid', 'true');
    await expect(url).toHaveAccessibleDescription(
      saying(bad === '' ? "Enter the broker's address, e.g. mqtt://192.168.1.10:1883." : 'Use an mqtt://, mqtts://, ws:// or wss:// address with a host, e.g. mqtt://192.168.1.10:1883.'),
    );
    await expect(url).toBeFocused();
  }
  await url.fill('mqtt://127.0.0.1:1883');
  await expect(url).not.toHaveAttribute('aria-invalid', 'true');

  const tooLong = (n: number) => 'x'.repeat(n);
  const fields = [
    ['Client ID', 129, 'Client ID: at most 128 characters (this one has 129).'],
    ['Username', 257, 'Username: at most 256 characters (this one has 257).'],
    ['Password', 257, 'Password: at most 256 characters (this one has 257).'],
  ] as const;
  for (const [label, n, message] of fields) {
    const input = form.getByLabel(label, { exact: true });
    await input.fill(tooLong(n));
    await connect.click();
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(input).toHaveAccessibleDescription(saying(message));
    await input.fill('');
  }

  // A CA that is not a certificate: refused by the TLS layer, said in one line, nothing else changes.
  const port = await freePort();
  await url.fill(`mqtts://127.0.0.1:${port}`);
  await form.getByLabel('CA certificate (PEM), optional').fill('this is not a certificate');
  await connect.click();
  await expect(form.getByRole('alert')).toContainText(`cannot connect to mqtts://127.0.0.1:${port}`);
  await form.getByLabel('CA certificate (PEM), optional').fill('');

  // Nobody listening on that port: the reason in words, then the built-in broker brings the window back.
  await url.fill(`mqtt://127.0.0.1:${port}`);
  await connect.click();
  await expect(form.getByRole('alert')).toContainText(`cannot connect to mqtt://127.0.0.1:${port}`);
  await expect(brokerBadge(page)).toHaveText('Broker: Connection error');
  await form.getByRole('button', { name: 'Use built-in broker' }).click();
  await expect(brokerBadge(page)).toHaveText('Broker: Connected');
  await expect(form.getByRole('alert')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('Firmware: a file without a version asks for one and refuses a version that is not one', async ({ page, webHost }) => {
  const errors = collectPageErrors(page);
  await openApp(page, webHost.url, 'Firmware');
  const card = await addFirmware(page, firmwareFile('site-package.bin', 64 * 1024));
  const version = card.getByLabel('Version of site-package.bin');
  const save = card.getByRole('button', { name: 'Save version' });

  await version.fill('   ');
  await expect(save).toBeDisabled();
  for (const [bad, message] of [
    ['latest', 'A version is numbers separated by dots, e.g. 10.01.0300.'],
    ['10.01 beta', 'A version is numbers separated by dots, e.g. 10.01.0300.'],
    ['1.'.repeat(40) + '1', 'A version has at most 64 characters.'],
  ] as const) {
    await version.fill(bad);
    await save.click();
    await expect(version).toHaveAttribute('aria-invalid', 'true');
    await expect(card.getByRole('alert')).toHaveText(message);
  }
  await version.fill('10.01.0300');
  await save.click();
  await expect(card.getByRole('definition').filter({ hasText: '10.01.0300' })).toBeVisible();
  await expect(card.getByRole('alert')).toHaveCount(0);

  // An empty file is no firmware: said where it was added, and it never reaches the catalogue.
  await page.locator('input[type="file"]').setInputFiles(firmwareFile('empty-Dock2-V10.01.1700.bin', 0));
  await expect(page.getByRole('list', { name: 'Uploads' }).getByRole('alert')).toHaveText('empty-Dock2-V10.01.1700.bin is empty (0 bytes): not a firmware file.');
  await expect(page.getByRole('list', { name: 'Firmware files' }).getByRole('heading', { name: 'empty-Dock2-V10.01.1700.bin' })).toHaveCount(0);
  await goTo(page, 'Upgrade');
  await expect(page.getByLabel('Firmware file', { exact: true }).getByRole('option', { name: /^empty-/ })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('Upgrade: nothing chosen, an unknown version, a downgrade and a dock already upgrading are all said plainly', async ({ page, webHost, docks }) => {
  const errors = collectPageErrors(page);
  const DOCK = 'E2E-BAD-DOCK-A';
  await docks.start([DOCK], { progressIntervalMs: 400, downloadBytesPerSec: 64 * 1024 });
  await openApp(page, webHost.url, 'Upgrade');

  const upgrade = page.getByRole('button', { name: 'Upgrade', exact: true });
  const blockers = page.getByRole('list', { name: 'Before you can upgrade' });
  await page.getByLabel('Firmware file', { exact: true }).selectOption('');
  await expect(upgrade).toBeDisabled();
  await expect(blockers).toContainText('Choose a firmware file.');

  await addFirmware(page, firmwareFile('Dock2-V10.01.1700-e2e.bin', 512 * 1024));
  await addFirmware(page, firmwareFile('Dock2-V09.00.0001-e2e.bin', 64 * 1024));
  await goTo(page, 'Upgrade');
  await page.getByLabel('Firmware file', { exact: true }).selectOption({ label: 'Dock2-V10.01.1700-e2e.bin — 10.01.1700' });
  await expect(blockers).toContainText('Select at least one device.');
  await expect(upgrade).toBeDisabled();

  await addFirmware(page, firmwareFile('site-upgrade-package.bin', 1024));
  await selectDevices(page, [DOCK]);
  await goTo(page, 'Upgrade');
  await page.getByLabel('Firmware file', { exact: true }).selectOption({ label: 'site-upgrade-package.bin — version unknown' });
  await expect(blockers).toContainText('Set the version of site-upgrade-package.bin in the Firmware view.');
  await expect(upgrade).toBeDisabled();

  const downgrade = await openConfirmation(page, 'Dock2-V09.00.0001-e2e.bin');
  await expect(downgrade.getByRole('alert')).toContainText(`09.00.0001 is older than the 10.01.1612 ${DOCK} runs: a downgrade`);
  await downgrade.getByRole('button', { name: 'Cancel' }).click();
  await expect(downgrade).toBeHidden();

  const first = await openConfirmation(page, 'Dock2-V10.01.1700-e2e.bin');
  await first.getByRole('button', { name: 'Start upgrade' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Progress' })).toBeVisible();
  // The selection cleared once sent; ticked again, the dock already upgrading is refused before anything is sent.
  await selectDevices(page, [DOCK]);
  const again = await openConfirmation(page, 'Dock2-V10.01.1700-e2e.bin');
  await expect(again.getByRole('list', { name: 'Devices to upgrade' })).toContainText(`Will not be sent: already upgrading`);
  await expect(again.getByRole('button', { name: 'Start upgrade' })).toBeDisabled();
  expect(errors).toEqual([]);
});
