import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import mqtt from 'mqtt';
import { Aedes } from 'aedes';
import { encodeEnvelope, newEnvelope } from '../../wire/dji/envelope';
import { GatewayClient } from './gateway-client';
import { topics } from '../../wire/dji/topics';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function broker(): Promise<{ url: string; aedes: Aedes }> {
  const aedes = await Aedes.createBroker();
  const server = net.createServer(aedes.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(
    () => new Promise<void>((r) => aedes.close(() => r())),
    () => new Promise<void>((r) => server.close(() => r())),
  );
  return { url: `mqtt://127.0.0.1:${(server.address() as net.AddressInfo).port}`, aedes };
}

describe('PUBACK gate', () => {
  it('handles a burst without waiting, and acknowledges each QoS 1 message only once it is durable, in order', async () => {
    const { url, aedes } = await broker();
    const acks: { id: number | undefined; at: number }[] = [];
    aedes.on('ack', (packet, client) => {
      if (client?.id === 'gate-app' && packet && 'messageId' in packet) acks.push({ id: packet.messageId, at: Date.now() });
    });
    let makeDurable!: () => void;
    const durable = new Promise<void>((resolve) => (makeDurable = resolve));
    let asked = 0;
    const app = new GatewayClient({ clientId: 'gate-app', beforeAck: () => (asked++, durable) });
    cleanup.push(() => app.disconnect());
    const heard: string[] = [];
    app.on('message', (m) => heard.push(m.envelope.tid));
    await app.connect({ url });

    const dock = await mqtt.connectAsync(url, { clientId: 'gate-dock', reconnectPeriod: 0 });
    cleanup.push(() => dock.endAsync(true));
    for (let i = 0; i < 5; i++) {
      await dock.publishAsync(topics.events('GW'), encodeEnvelope({ ...newEnvelope('ota_progress', {}), tid: `t${i}` }), { qos: 1 });
    }
    const end = Date.now() + 5000;
    while (heard.length < 5 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    // All five were handled while none was durable: the pump was not held up.
    expect(heard).toEqual(['t0', 't1', 't2', 't3', 't4']);
    expect(asked).toBe(5);
    await new Promise((r) => setTimeout(r, 100));
    expect(acks).toEqual([]);

    const releasedAt = Date.now();
    makeDurable();
    while (acks.length < 5 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(acks).toHaveLength(5);
    expect(acks.every((a) => a.at >= releasedAt)).toBe(true);
    const ids = acks.map((a) => a.id!);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it('never acknowledges a message whose write failed', async () => {
    const { url, aedes } = await broker();
    let acked = 0;
    aedes.on('ack', (_p, client) => {
      if (client?.id === 'gate-app-2') acked++;
    });
    const app = new GatewayClient({ clientId: 'gate-app-2', beforeAck: () => Promise.reject(new Error('disk full')) });
    cleanup.push(() => app.disconnect());
    let heard = 0;
    app.on('message', () => heard++);
    await app.connect({ url });
    const dock = await mqtt.connectAsync(url, { clientId: 'gate-dock-2', reconnectPeriod: 0 });
    cleanup.push(() => dock.endAsync(true));
    await dock.publishAsync(topics.events('GW'), encodeEnvelope(newEnvelope('ota_progress', {})), { qos: 1 });
    const end = Date.now() + 3000;
    while (heard < 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toBe(1);
    expect(acked).toBe(0);
  });
});
