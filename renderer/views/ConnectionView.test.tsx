// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiCallError } from '../api-error';
import { createStores } from '../store/stores';
import { createFakeClient } from '../testing/fake-client';
import { T0 } from '../testing/fixtures';
import { renderWith } from '../testing/render';
import { ConnectionView } from './ConnectionView';

afterEach(cleanup);

/** The view's own calls; its demo panel asks demo.status on mount. */
const connectionCalls = (client: { calls: { name: string; req: unknown }[] }) => client.calls.filter((c) => c.name !== 'demo.status');

function setup(connect?: () => never) {
  const stores = createStores('Connection');
  stores.connection.getState().setStatus({ state: 'error', url: 'mqtt://10.20.0.5:1883', clientId: 'dockside-1', since: T0, error: 'connection refused' });
  const client = createFakeClient({
    'connection.connect': connect ?? ((req) => ({ state: 'connecting', url: req.url, clientId: req.clientId ?? 'dockside-1', since: T0 })),
    'connection.useEmbedded': () => ({ state: 'connected', url: 'mqtt://127.0.0.1:1883', clientId: 'dockside-1', since: T0, embeddedBrokerUrl: 'mqtt://127.0.0.1:1883' }),
  });
  renderWith(<ConnectionView />, { stores, client });
  return { client };
}

describe('ConnectionView', () => {
  it('shows the state in words with the error, and fills the form from it', () => {
    setup();
    expect(screen.getByText('Connection error')).toBeTruthy();
    expect(screen.getByText('connection refused')).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>('Broker URL').value).toBe('mqtt://10.20.0.5:1883');
  });

  it('refuses a bad URL with the validation message on the field, and sends nothing', () => {
    const { client } = setup();
    const url = screen.getByLabelText('Broker URL');
    fireEvent.change(url, { target: { value: 'http://10.20.0.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(url.getAttribute('aria-invalid')).toBe('true');
    const message = document.getElementById(url.getAttribute('aria-describedby')!);
    expect(message?.textContent).toBe('Use an mqtt://, mqtts://, ws:// or wss:// address with a host, e.g. mqtt://192.168.1.10:1883.');
    expect(document.activeElement).toBe(url);
    expect(connectionCalls(client)).toEqual([]);

    fireEvent.change(url, { target: { value: 'mqtts://10.20.0.5:8883' } });
    expect(url.getAttribute('aria-invalid')).toBeNull();
  });

  it('connects with the settings typed, TLS choices included', async () => {
    const { client } = setup();
    fireEvent.change(screen.getByLabelText('Broker URL'), { target: { value: ' mqtts://10.20.0.5:8883 ' } });
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'site-tech' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 's3cret' } });
    fireEvent.click(screen.getByLabelText('Accept a self-signed broker certificate'));
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    await screen.findByRole('button', { name: 'Connect' });
    expect(connectionCalls(client)).toEqual([
      { name: 'connection.connect', req: { url: 'mqtts://10.20.0.5:8883', clientId: 'dockside-1', username: 'site-tech', password: 's3cret', rejectUnauthorized: false } },
    ]);
  });

  it("shows the host's refusal", async () => {
    setup(() => {
      throw new ApiCallError('unavailable', 'mqtt://10.20.0.9:1883: connect ECONNREFUSED');
    });
    fireEvent.change(screen.getByLabelText('Broker URL'), { target: { value: 'mqtt://10.20.0.9:1883' } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect((await screen.findByRole('alert')).textContent).toBe('mqtt://10.20.0.9:1883: connect ECONNREFUSED');
  });

  it('offers the built-in broker', async () => {
    const { client } = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Use built-in broker' }));
    await screen.findByRole('button', { name: 'Use built-in broker' });
    expect(connectionCalls(client).map((c) => c.name)).toEqual(['connection.useEmbedded']);
  });
});
