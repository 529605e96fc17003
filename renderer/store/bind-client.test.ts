import { describe, expect, it } from 'vitest';
import { createFakeClient } from '../testing/fake-client';
import { dock, firmware, T0, upgradeRow } from '../testing/fixtures';
import { manualFrames } from '../testing/manual-frames';
import { bindClient } from './bind-client';
import { createStores } from './stores';

const settle = () => new Promise((r) => setTimeout(r, 0));

function lists(devices = [dock('DOCKS01', '1.0')]) {
  return {
    'app.info': () => ({ name: 'Dockside', version: '0.1.0', apiVersion: 1, host: 'web' as const, dataDir: '/data' }),
    'connection.get': () => ({ state: 'connected' as const, url: 'mqtt://10.0.0.2:1883', clientId: 'c', since: T0 }),
    'devices.list': () => devices,
    'firmware.list': () => [firmware()],
    'upgrade.list': () => [upgradeRow('DOCKS01')],
  };
}

describe('bindClient', () => {
  it('loads every list when the host link is open', async () => {
    const stores = createStores();
    const client = createFakeClient(lists());
    bindClient(client, stores, manualFrames().clock);
    await settle();
    expect(stores.connection.getState()).toMatchObject({ hostLink: 'open', status: { state: 'connected' }, info: { host: 'web' } });
    expect(stores.devices.getState().order).toEqual(['DOCKS01']);
    expect(stores.firmware.getState().order).toEqual(['fw-a']);
    expect(stores.upgrades.getState().order).toEqual(['tid-x:DOCKS01']);
  });

  it('tracks a lost host and reloads the lists when it is back', async () => {
    const stores = createStores();
    const devices = [dock('DOCKS01', '1.0')];
    const client = createFakeClient(lists(devices), 'connecting');
    bindClient(client, stores, manualFrames().clock);
    expect(stores.connection.getState().hostLink).toBe('connecting');
    expect(client.calls).toEqual([]);
    client.setLink('open');
    await settle();
    client.setLink('lost');
    expect(stores.connection.getState().hostLink).toBe('lost');
    devices.push(dock('DOCKS02', '1.0'));
    client.setLink('open');
    await settle();
    expect(stores.devices.getState().order).toEqual(['DOCKS01', 'DOCKS02']);
    expect(client.calls.filter((c) => c.name === 'devices.list')).toHaveLength(2);
  });

  it('applies pushes once per frame', async () => {
    const stores = createStores();
    const frames = manualFrames();
    const client = createFakeClient(lists());
    bindClient(client, stores, frames.clock);
    await settle();
    client.emit('device', dock('DOCKS09', '2.0'));
    client.emit('firmwareRemoved', { id: 'fw-a' });
    expect(stores.devices.getState().order).toEqual(['DOCKS01']);
    frames.frame();
    expect(stores.devices.getState().order).toEqual(['DOCKS01', 'DOCKS09']);
    expect(stores.firmware.getState().order).toEqual([]);
  });

  it('stops listening when unbound', async () => {
    const stores = createStores();
    const frames = manualFrames();
    const client = createFakeClient(lists());
    const unbind = bindClient(client, stores, frames.clock);
    await settle();
    unbind();
    client.emit('device', dock('DOCKS09', '2.0'));
    frames.frame();
    expect(stores.devices.getState().order).toEqual(['DOCKS01']);
  });
});
