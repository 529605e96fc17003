// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { startPilotPageServer, type PilotPageServer } from './pilot-page-server';
import { PILOT_PAGE_SCRIPT } from './pilot-page';

let server: PilotPageServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const TOKEN = 'abcdefghijkmnpqr';
const source = {
  token: () => TOKEN,
  joins: () => [{ sn: 'DOCK1', step: 'bound' as const, words: 'DOCK1 bound as "Gate"', at: '2026-01-01T00:00:00.000Z' }],
  config: (local: string) => ({
    licence: { appId: '100417', appKey: 'k3y', appLicense: 'bGlj' },
    broker: { host: `tcp://${local}:1883`, username: 'dock-abcd', password: 'pw</script><b>' },
    organisation: { id: 'org-1', name: 'Site <A>', bindingCode: 'K7Q2XP' },
  }),
};

describe('the Pilot 2 page server', () => {
  it('serves the page under its token only, with the broker on the address it was reached on, and a strict policy', async () => {
    server = await startPilotPageServer({ host: '127.0.0.1', port: 0, source });
    const base = `http://127.0.0.1:${server.port}/pilot/${TOKEN}/`;
    const page = await fetch(base);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('"host":"tcp://127.0.0.1:1883"');
    expect(html).not.toContain('</script><b>');
    expect((await fetch(`${base}page.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect(await (await fetch(`${base}status.json`)).json()).toEqual({ docks: source.joins() });
    for (const path of ['/', `/pilot/${TOKEN.slice(0, -1)}/`, `/pilot/${TOKEN}/../x`, '/pilot/']) expect((await fetch(`http://127.0.0.1:${server.port}${path}`)).status).toBe(404);
    expect((await fetch(base, { method: 'POST' })).status).toBe(405);
  });
});

describe('the Pilot 2 page script', () => {
  function load(config: object, bridge?: Record<string, (...a: unknown[]) => string>) {
    document.body.innerHTML = `<span id="licence"></span><span id="thing"></span><code id="org-id"></code><code id="org-code"></code><ul id="docks"></ul>
      <script type="application/json" id="dockside-config">${JSON.stringify(config)}</script>`;
    const w = window as unknown as Record<string, unknown>;
    delete w.djiBridge;
    if (bridge) w.djiBridge = bridge;
    w.XMLHttpRequest = class {
      open() {}
      send() {}
    };
    // The page's own inline script, run as the phone's browser would run it.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function(PILOT_PAGE_SCRIPT)();
    return { licence: document.getElementById('licence')!.textContent, thing: document.getElementById('thing')!.textContent };
  }
  const base = source.config('192.168.8.20');
  const config = { ...base, broker: { ...base.broker, password: 'dock-password' }, statusPath: 'status.json' };
  const ok = (data: unknown) => JSON.stringify({ code: 0, message: '', data });

  it('outside Pilot 2, says where to open it', () => {
    expect(load(config).licence).toMatch(/Open this page in DJI Pilot 2/);
  });

  it('says so when Dockside has no licence, and loads nothing', () => {
    const { licence: _none, ...noLicence } = config;
    const calls: string[] = [];
    const r = load(noLicence, new Proxy({}, { get: (_t, name) => () => (calls.push(String(name)), ok(true)) }));
    expect(r.licence).toMatch(/No DJI licence is entered in Dockside/);
    expect(calls).toEqual([]);
  });

  it('stops when Pilot 2 refuses the licence', () => {
    const calls: string[] = [];
    const r = load(config, {
      platformVerifyLicense: () => (calls.push('verify'), JSON.stringify({ code: 1, message: 'license invalid', data: false })),
      platformIsVerified: () => ok(false),
      platformLoadComponent: () => (calls.push('load'), ok('')),
    });
    expect(r.licence).toBe('Pilot 2 refused the licence: license invalid. Check the app id, key and licence in Dockside.');
    expect(calls).toEqual(['verify']);
  });
});
