// A dock joining Dockside on a site with no cloud, against the real core and its built-in broker: the
// join requests answered, the licence's absence making the dock leave, silence on a site broker, and the
// licence and logins never reaching the journal, the exports or a log line.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAedes, type TestBroker } from '../../test-support/brokers';
import { onboardDock } from '../../sim/dji-dock/onboard';
import { exportCommand } from '../cli/export-command';
import { createAppCore, type AppCore } from './app-core';

const LICENCE = { appId: '100417', appKey: 'f3a9c0de57b14e2a9d6c1b0e8a7f5d43', appLicense: 'UExBTlRFRC1MSUNFTkNFLWZvci10aGUtbGVhay10ZXN0' };

let dir: string;
let core: AppCore | undefined;
let site: TestBroker | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-cloud-'));
});
afterEach(async () => {
  await core?.close();
  core = undefined;
  await site?.stop();
  site = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function builtInCore(withLicence: boolean): Promise<AppCore> {
  core = await createAppCore({ dataDir: dir, host: 'web', ...(withLicence ? { djiLicence: LICENCE } : {}) });
  return core;
}

function filesUnder(root: string): string[] {
  return readdirSync(root, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(root, e.name)) : [join(root, e.name)]));
}

describe('a dock joining the built-in broker', () => {
  it('gets the licence, binds to the site organisation with its callsign, and is shown joined', async () => {
    const c = await builtInCore(true);
    await c.handle('dockAccess.setOrganisation', { name: 'Quarry north' });
    const before = await c.handle('dockAccess.get', {});
    expect(before).toMatchObject({ broker: 'built-in', licence: { appId: LICENCE.appId, keySet: true, licenseSet: true }, organisation: { name: 'Quarry north' } });
    expect(JSON.stringify(before)).not.toContain(LICENCE.appKey);
    const url = (await c.handle('connection.get', {})).embeddedBrokerUrl!;
    const joined = await onboardDock({
      brokerUrl: url,
      gateway: 'DOCK-J1',
      drone: 'DRONE-J1',
      ...before.dockLogin,
      bindingCode: before.organisation.bindingCode,
      organisationId: before.organisation.id,
      callsign: 'North gate',
    });
    expect(joined).toEqual({ ok: true, organisation: 'Quarry north' });
    const after = await c.handle('dockAccess.get', {});
    expect(after.bound.map((b) => [b.sn, b.callsign]).sort()).toEqual([
      ['DOCK-J1', 'North gate'],
      ['DRONE-J1', 'DRONE-J1'],
    ]);
    expect(after.joins[0]).toMatchObject({ sn: 'DOCK-J1', step: 'bound' });
    const again = await onboardDock({ brokerUrl: url, gateway: 'DOCK-J1', ...before.dockLogin });
    expect(again).toEqual({ ok: true, organisation: 'Quarry north' });
  });

  it('a wrong binding code is refused, and without a licence the dock leaves', async () => {
    const c = await builtInCore(false);
    const access = await c.handle('dockAccess.get', {});
    const url = (await c.handle('connection.get', {})).embeddedBrokerUrl!;
    const noLicence = await onboardDock({ brokerUrl: url, gateway: 'DOCK-J2', ...access.dockLogin, answerTimeoutMs: 800 });
    expect(noLicence).toEqual({ ok: false, reason: 'no answer to config: the licence is missing' });
    expect((await c.handle('dockAccess.get', {})).joins[0]).toMatchObject({ sn: 'DOCK-J2', step: 'no-licence' });
    await c.handle('dockAccess.setLicence', LICENCE);
    const wrongCode = await onboardDock({ brokerUrl: url, gateway: 'DOCK-J2', ...access.dockLogin, bindingCode: 'NOPE42' });
    expect(wrongCode).toMatchObject({ ok: false, reason: expect.stringMatching(/no organisation for binding code NOPE42/) });
    const stranger = await onboardDock({ brokerUrl: url, gateway: 'DOCK-J3', username: access.dockLogin.username, password: 'not-the-password', answerTimeoutMs: 500 });
    expect(stranger).toMatchObject({ ok: false, reason: expect.stringMatching(/Bad username or password/i) });
  });

  it('on a site broker Dockside answers no request: another cloud owns the docks there', async () => {
    site = await startAedes();
    core = await createAppCore({ dataDir: dir, host: 'web', brokerUrl: site.url, djiLicence: LICENCE });
    expect((await core.handle('dockAccess.get', {})).broker).toBe('site');
    const r = await onboardDock({ brokerUrl: site.url, gateway: 'DOCK-S1', answerTimeoutMs: 800 });
    expect(r).toEqual({ ok: false, reason: 'no answer to config: the licence is missing' });
  });

  it('keeps the licence and logins out of the journal and every export; the file holding them is 0600', async () => {
    const c = await builtInCore(true);
    const access = await c.handle('dockAccess.get', {});
    const url = (await c.handle('connection.get', {})).embeddedBrokerUrl!;
    await onboardDock({ brokerUrl: url, gateway: 'DOCK-L1', ...access.dockLogin, bindingCode: access.organisation.bindingCode });
    await onboardDock({ brokerUrl: url, gateway: 'DOCK-L2', username: access.dockLogin.username, password: 'wrong-password-planted', answerTimeoutMs: 300 });
    await c.close();
    core = undefined;
    const secrets = [LICENCE.appKey, LICENCE.appLicense, access.dockLogin.password, access.ingestLogin.password, 'wrong-password-planted'];
    const exports: string[] = [];
    for (const format of ['csv', 'jsonl', 'html']) {
      const out = join(dir, `export.${format}`);
      expect(await exportCommand.run(['--data', dir, '--format', format, '--out', out])).toBe(0);
      exports.push(readFileSync(out, 'utf8'));
    }
    expect(exports[1]).toContain('DOCK-L1 asked for the licence');
    const stored = filesUnder(dir).filter((f) => !f.endsWith('dock-access.json') && !f.includes('export.'));
    for (const text of [...exports, ...stored.map((f) => readFileSync(f, 'latin1'))]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    expect(statSync(join(dir, 'dock-access.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'dock-access.json'), 'utf8')).toContain(LICENCE.appKey);
  });
});
