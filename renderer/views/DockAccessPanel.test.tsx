// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../preload/api';
import { createStores } from '../store/stores';
import { createFakeClient } from '../testing/fake-client';
import { T0 } from '../testing/fixtures';
import { renderWith } from '../testing/render';
import { DockAccessPanel } from './DockAccessPanel';

afterEach(cleanup);

const builtIn: ConnectionStatus = { state: 'connected', url: 'mqtt://127.0.0.1:1883', clientId: 'd', since: T0, embeddedBrokerUrl: 'mqtt://127.0.0.1:1883', dockUrls: ['mqtt://192.168.8.20:1883', 'mqtt://10.1.0.7:1883'] };

function setup(status: ConnectionStatus) {
  const stores = createStores('Connection');
  stores.connection.getState().setStatus(status);
  const client = createFakeClient({
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
    const input = screen.getByLabelText('Firmware download address') as HTMLInputElement;
    fireEvent.change(input, { target: { value: 'http://x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save address' }));
    expect(screen.getByText('an IP address or a host name, e.g. 192.168.1.20')).toBeTruthy();
    expect(client.calls).toEqual([]);
    fireEvent.change(input, { target: { value: ' 192.168.8.5 ' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save address' })));
    expect(client.calls).toEqual([{ name: 'connection.setServeHost', req: { host: '192.168.8.5' } }]);
    expect(input.value).toBe('192.168.8.5');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Choose per dock' })));
    expect(client.calls.at(-1)).toEqual({ name: 'connection.setServeHost', req: { host: '' } });
    expect(input.value).toBe('');
  });
});
