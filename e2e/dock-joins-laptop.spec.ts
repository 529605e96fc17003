// A site with no cloud: the technician opens Dockside's Pilot 2 page on the dock's controller, the page
// verifies the DJI licence and hands the dock the built-in broker and its login through the JSBridge,
// the dock joins (licence, organisation binding), and is then upgraded from the window. Pilot 2 is a
// stand-in that records every JSBridge call; the dock is the simulator in its --onboard mode.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDockSim, type DockSim } from '../sim/dji-dock/dock-sim';
import { onboardDock } from '../sim/dji-dock/onboard';
import { lanAddresses } from '../main/firmware/lan-address';
import { addFirmware, collectPageErrors, openApp, startUpgrade, upgradeRow } from './support/app-page';
import { expect, test } from './support/fixtures';
import { firmwareFile } from './support/firmware-file';

const LICENCE = { appId: '100417', appKey: 'f3a9c0de57b14e2a9d6c1b0e8a7f5d43', appLicense: 'UExBTlRFRC1MSUNFTkNFLWZvci1lMmU=' };
const DOCK = 'E2E-JOIN-DOCK';
const FILE = 'Dock2-V10.01.1700-join.bin';

test.use({ webHostOptions: { extraArgs: ['--dji-app-id', LICENCE.appId, '--dji-app-key', LICENCE.appKey, '--dji-app-license', LICENCE.appLicense] } });

/** Pilot 2's JSBridge as the page meets it: every call answers a JSON string {code, message, data}. */
function pilotStandIn() {
  const calls: { name: string; args: unknown[] }[] = [];
  const answer = (data: unknown) => JSON.stringify({ code: 0, message: 'ok', data });
  const w = window as unknown as Record<string, unknown>;
  const record = (name: string, args: unknown[]) => calls.push({ name, args });
  w.__bridgeCalls = calls;
  w.djiBridge = {
    platformVerifyLicense: (...args: unknown[]) => (record('platformVerifyLicense', args), answer(true)),
    platformIsVerified: (...args: unknown[]) => (record('platformIsVerified', args), answer(true)),
    platformSetInformation: (...args: unknown[]) => (record('platformSetInformation', args), answer(true)),
    platformSetWorkspaceId: (...args: unknown[]) => (record('platformSetWorkspaceId', args), answer('')),
    platformIsComponentLoaded: (...args: unknown[]) => (record('platformIsComponentLoaded', args), answer(false)),
    thingGetConnectState: (...args: unknown[]) => (record('thingGetConnectState', args), answer(false)),
    platformLoadComponent: (...args: unknown[]) => {
      record('platformLoadComponent', args);
      const param = JSON.parse(String(args[1])) as { connectCallback: string };
      // Pilot 2 hands the connection to the dock, which reports back through the named callback.
      void (w.__dockJoins as (p: string) => Promise<boolean>)(String(args[1])).then((ok) => (w[param.connectCallback] as (c: boolean) => void)(ok));
      return answer('');
    },
  };
}

test('a dock joins the laptop through the Pilot 2 page, is bound, and is upgraded', async ({ page, context, webHost }) => {
  const errors = collectPageErrors(page);
  const stored = JSON.parse(readFileSync(join(webHost.dataDir, 'dock-access.json'), 'utf8')) as {
    dockLogin: { username: string; password: string };
    organisation: { id: string; name: string; bindingCode: string };
    pilotPage: { token: string; port: number };
  };
  await openApp(page, webHost.url);
  const pilotCard = page.getByRole('group', { name: 'Pilot 2 login page' });
  if (lanAddresses().length > 0) await expect(pilotCard).toContainText(`:${stored.pilotPage.port}/pilot/${stored.pilotPage.token}/`);
  await expect(pilotCard).toContainText(`binding code ${stored.organisation.bindingCode}`);

  let sim: DockSim | undefined;
  const pilot = await context.newPage();
  await pilot.exposeFunction('__dockJoins', async (param: string) => {
    const thing = JSON.parse(param) as { host: string; username: string; password: string };
    const brokerUrl = thing.host.replace(/^tcp:/, 'mqtt:');
    const joined = await onboardDock({
      brokerUrl,
      gateway: DOCK,
      username: thing.username,
      password: thing.password,
      bindingCode: stored.organisation.bindingCode,
      organisationId: stored.organisation.id,
      callsign: 'Quarry gate',
    });
    if (!joined.ok) return false;
    sim = await startDockSim({ brokerUrl, gateway: DOCK, username: thing.username, password: thing.password, progressIntervalMs: 150, stateIntervalMs: 500, log: () => undefined });
    return true;
  });
  await pilot.addInitScript(pilotStandIn);
  // Tests talk to loopback only: the page is reached on 127.0.0.1, so it hands the dock the broker there.
  await pilot.goto(`http://127.0.0.1:${stored.pilotPage.port}/pilot/${stored.pilotPage.token}/`);
  await expect(pilot.locator('#licence')).toContainText('verified by Pilot 2');
  await expect(pilot.locator('#thing')).toContainText('Pilot 2 says the dock is connected to Dockside', { timeout: 20_000 });
  await expect(pilot.locator('#docks')).toContainText(`${DOCK} asked to be bound to "${stored.organisation.name}": ${DOCK} bound as "Quarry gate"`);

  const calls = (await pilot.evaluate(() => (window as unknown as { __bridgeCalls: { name: string; args: unknown[] }[] }).__bridgeCalls)) ?? [];
  expect(calls.find((c) => c.name === 'platformVerifyLicense')?.args).toEqual([LICENCE.appId, LICENCE.appKey, LICENCE.appLicense]);
  const load = calls.find((c) => c.name === 'platformLoadComponent')!;
  expect(load.args[0]).toBe('thing');
  expect(JSON.parse(String(load.args[1]))).toEqual({ host: `tcp://127.0.0.1:${new URL(webHost.brokerUrl).port}`, ...stored.dockLogin, connectCallback: 'docksideThingConnected' });
  expect(calls.find((c) => c.name === 'platformSetWorkspaceId')?.args).toEqual([stored.organisation.id]);

  await expect(page.getByRole('list', { name: 'Docks joining' })).toContainText(`${DOCK} bound as "Quarry gate"`);
  await expect(page.getByLabel('Bound devices')).toContainText(`Quarry gate (${DOCK})`);

  await addFirmware(page, firmwareFile(FILE, 256 * 1024));
  await startUpgrade(page, FILE, [DOCK]);
  await expect(upgradeRow(page, DOCK).getByText('Upgraded to 10.01.1700; the device reports the new version')).toBeVisible({ timeout: 30_000 });
  expect(sim!.firmwareVersions()[DOCK]).toBe('10.01.1700');
  await sim!.stop();
  expect(errors).toEqual([]);
});
