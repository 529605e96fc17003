// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiCallError } from '../api-error';
import { createStores } from '../store/stores';
import { createFakeClient } from '../testing/fake-client';
import { renderWith } from '../testing/render';
import { DemoPanel } from './DemoPanel';

afterEach(cleanup);

const DOCKS = ['DEMO-DOCK-01', 'DEMO-DOCK-02', 'DEMO-DOCK-03'];

describe('DemoPanel', () => {
  it('says what the demo does, starts it, shows what runs, and stops it', async () => {
    const stores = createStores('Connection');
    const client = createFakeClient({ 'demo.start': () => ({ docks: DOCKS, vehicles: 12 }), 'demo.stop': () => ({ ok: true }) });
    renderWith(<DemoPanel />, { client, stores });
    expect(screen.getByText(/switches the connection to the built-in broker/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Start demo' }));
    expect((await screen.findByRole('status')).textContent).toBe('3 simulated docks and 12 vehicles are running. See them in Devices.');
    expect(stores.ui.getState().demo).toEqual({ docks: DOCKS, vehicles: 12 });

    fireEvent.click(screen.getByRole('link', { name: 'See them in Devices' }));
    expect(stores.ui.getState().view).toBe('Devices');

    fireEvent.click(screen.getByRole('button', { name: 'Stop demo' }));
    await screen.findByRole('button', { name: 'Start demo' });
    expect(screen.queryByRole('status')).toBeNull();
    expect(client.calls.map((c) => c.name)).toEqual(['demo.status', 'demo.start', 'demo.stop']);
  });

  it('a reloaded window learns from the host that the demo is running', async () => {
    const stores = createStores('Connection');
    const client = createFakeClient({ 'demo.status': () => ({ running: true, docks: DOCKS, vehicles: 40 }) });
    renderWith(<DemoPanel />, { client, stores });
    expect((await screen.findByRole('status')).textContent).toBe('3 simulated docks and 40 vehicles are running. See them in Devices.');
    expect(screen.getByRole('button', { name: 'Stop demo' })).toBeTruthy();
  });

  it('names only the docks when the host runs no vehicles (no HTTP address for them yet)', async () => {
    const stores = createStores('Connection');
    const client = createFakeClient({ 'demo.start': () => ({ docks: DOCKS, vehicles: 0 }) });
    renderWith(<DemoPanel />, { client, stores });
    fireEvent.click(screen.getByRole('button', { name: 'Start demo' }));
    expect((await screen.findByRole('status')).textContent).toBe('3 simulated docks are running. See them in Devices.');
  });

  it("shows the host's refusal and stays startable", async () => {
    const client = createFakeClient({
      'demo.start': () => {
        throw new ApiCallError('unavailable', 'port 1883 is taken and no free port was found');
      },
    });
    renderWith(<DemoPanel />, { client });
    fireEvent.click(screen.getByRole('button', { name: 'Start demo' }));
    expect((await screen.findByRole('alert')).textContent).toBe('port 1883 is taken and no free port was found');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Start demo' }).disabled).toBe(false);
  });
});
