import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { lanAddresses } from '../firmware/lan-address';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker';

let broker: EmbeddedBroker | undefined;

afterEach(async () => {
  await broker?.close();
  broker = undefined;
});

describe('embedded broker', () => {
  it('knows the address each dock publishes from, so the file URL can be on the dock\'s own subnet', async () => {
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    const dock = await mqtt.connectAsync(broker.url);
    expect(broker.dockAddress('DOCK-X')).toBeUndefined();
    await dock.publishAsync('thing/product/DOCK-X/osd', JSON.stringify({ data: { mode_code: 0 } }), { qos: 1 });
    await dock.publishAsync('sys/product/DOCK-Y/status', JSON.stringify({ method: 'update_topo', data: {} }), { qos: 1 });
    await dock.publishAsync('vehicles/elsewhere', 'x', { qos: 1 });
    expect(broker.dockAddress('DOCK-X')).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    expect(broker.dockAddress('DOCK-Y')).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    await dock.endAsync();
  });

  it('lists the URLs a dock at the site is pointed at: none when it listens on loopback only', async () => {
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    expect(broker.lanUrls()).toEqual([]);
    await broker.close();
    broker = await startEmbeddedBroker({ host: '0.0.0.0', port: 0 });
    expect(broker.lanUrls()).toEqual(lanAddresses().map((a) => `mqtt://${a}:${broker!.port}`));
  });
});
