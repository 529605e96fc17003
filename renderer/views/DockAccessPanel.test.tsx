// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionStatus, DockAccessView } from '../../preload/api';
import { createStores } from '../store/stores';
import { createFakeClient } from '../testing/fake-client';
import { T0 } from '../testing/fixtures';
import { renderWith } from '../testing/render';
import { DockAccessPanel } from './DockAccessPanel';

afterEach(cleanup);

const builtIn: ConnectionStatus = {
  state: 'connected',
  url: 'mqtt://127.0.0.1:1883',
  clientId: 'd',
  since: T0,
  embeddedBrokerUrl: 'mqtt://127.0.0.1:1883',
  dockUrls: ['mqtt://192.168.8.20:1883', 'mqtt://10.1.0.7:1883'],
};

const access: DockAccessView = {
  broker: 'built-in',
  bind: 'lan',
  dockLogin: { username: 'dock-k7q2', password: 'Zr8mWq3xTn6pLc2vHs9d' },
  ingestLogin: { username: 'vehicles-a2b3', password: 'Pq7nXc4vRt8mKs2wLd6f' },
  ingestTopics: ['+/+/io.edgehog.devicemanager.OTAEvent/event', 'carota/+/ota'],
  dockUrls: ['mqtt://192.168.8.20:1883'],
  tlsUrls: [],
  tls: { enabled: false },
  organisation: { id: '6f1c2a9e-0d7b-4c55-9a51-2b8f4e7c1d30', name: 'Quarry north', bindingCode: 'K7Q2XP' },
  ntpHost: '',
  bound: [{ sn: 'DOCK1', callsign: 'North gate', boundAt: T0 }],
  joins: [{ sn: 'DOCK2', step: 'no-licence', words: 'DOCK2 asked for the DJI licence, but none is entered in Dockside', at: T0 }],
  pilotPage: [{ url: 'http://192.168.8.20:8089/pilot/abcdefghijkmnpqr/', qrSvg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }],
};

function setup(status: ConnectionStatus, view?: DockAccessView) {
  const stores = createStores('Connection');
  stores.connection.getState().setStatus(status);
  stores.connection.getState().setHostLink('open');
  const client = createFakeClient({
    ...(view
      ? {
          'dockAccess.get': () => view,
          'dockAccess.regenerateLogin': () => ({ ...view, dockLogin: { username: 'dock-new1', password: 'Nn4nNn4nNn4nNn4nNn4n' } }),
          'dockAccess.setLicence': () => ({ ...view, licence: { appId: '100417', keySet: true, licenseSet: true } }),
        }
      : {}),
    'connection.setServeHost': ({ host }) => {
      const next = { ...stores.connection.getState().status!, ...(host ? { serveHost: host } : {}) };
      if (!host) delete next.serveHost;
      stores.connection.getState().setStatus(next);
      return next;
    },
  });
  renderWith(<DockAccessPanel />, { stores, client });
  return { client, stores };
}

describe('DockAccessPanel', () => {
  it('lists the broker addresses to type into a dock when the built-in broker runs', () => {
    setup(builtIn);
    const list = screen.getByRole('list', { name: 'Broker addresses for docks' });
    expect(list.textContent).toBe('mqtt://192.168.8.20:1883mqtt://10.1.0.7:1883');
  });

  it('says the site broker is in charge when one is used, and warns when no address is reachable', () => {
    setup({ state: 'connected', url: 'mqtt://10.0.0.2:1883', clientId: 'd', since: T0 });
    expect(screen.getByText(/Docks report through the site broker/)).toBeTruthy();
    cleanup();
    setup({ ...builtIn, dockUrls: [] });
    expect(screen.getByText(/no network address a dock could reach/)).toBeTruthy();
  });

  it('saves a download address, refuses one that is not an address, and goes back to choosing per dock', async () => {
    const { client } = setup(builtIn);
    const input = screen.getByLabelText<HTMLInputElement>('Firmware download address');
    fireEvent.change(input, { target: { value: 'http://x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save address' }));
    expect(screen.getByText('an IP address or a host name, e.g. 192.168.1.20')).toBeTruthy();
    const serveCalls = () => client.calls.filter((c) => c.name === 'connection.setServeHost');
    expect(serveCalls()).toEqual([]);
    fireEvent.change(input, { target: { value: ' 192.168.8.5 ' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save address' })));
    expect(serveCalls()).toEqual([{ name: 'connection.setServeHost', req: { host: '192.168.8.5' } }]);
    expect(input.value).toBe('192.168.8.5');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Choose per dock' })));
    expect(client.calls.at(-1)).toEqual({ name: 'connection.setServeHost', req: { host: '' } });
    expect(input.value).toBe('');
  });
});

describe('DockAccessPanel with the dock-access view', () => {
  it('shows the dock login, the Pilot 2 page with its QR code, the binding code and how docks got on', async () => {
    await act(async () => void setup(builtIn, access));
    expect(screen.getByText(/^with username/).textContent).toBe('with username dock-k7q2 and password Zr8mWq3xTn6pLc2vHs9d');
    const qr = screen.getByAltText<HTMLImageElement>('QR code of http://192.168.8.20:8089/pilot/abcdefghijkmnpqr/');
    expect(qr.src.startsWith('data:image/svg+xml')).toBe(true);
    expect(screen.getByRole('group', { name: 'Pilot 2 login page' }).textContent).toContain('binding code K7Q2XP');
    expect(screen.getByRole('list', { name: 'Docks joining' }).textContent).toContain('none is entered');
    expect(screen.getByLabelText('Bound devices').textContent).toContain('North gate (DOCK1)');
  });

  it('makes a new dock login, and checks a licence before sending it, never showing the key back', async () => {
    const { client } = await (async () => {
      let r!: ReturnType<typeof setup>;
      await act(async () => void (r = setup(builtIn, access)));
      return r;
    })();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'New dock login' })));
    expect(client.calls.at(-1)).toEqual({ name: 'dockAccess.regenerateLogin', req: { account: 'dock' } });
    expect(screen.getByText(/^with username/).textContent).toMatch(/^with username dock-new1 and password /);
    fireEvent.change(screen.getByLabelText('App ID'), { target: { value: 'abc' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save licence' }));
    expect(screen.getByText('the app id is a number')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('App ID'), { target: { value: '100417' } });
    fireEvent.change(screen.getByLabelText('App key'), { target: { value: 'f3a9c0de57b14e2a9d6c1b0e8a7f5d43' } });
    fireEvent.change(screen.getByLabelText('App licence'), { target: { value: 'bGljZW5jZQ==' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save licence' })));
    expect(client.calls.at(-1)).toEqual({ name: 'dockAccess.setLicence', req: { appId: '100417', appKey: 'f3a9c0de57b14e2a9d6c1b0e8a7f5d43', appLicense: 'bGljZW5jZQ==' } });
    expect(screen.getByText(/Entered: app id 100417, key and licence set/)).toBeTruthy();
    expect(document.body.textContent).not.toContain('f3a9c0de57b14e2a9d6c1b0e8a7f5d43');
  });
});
