import { afterEach, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { startAedes, startMosquitto, type TestBroker } from './brokers';

let broker: TestBroker | undefined;
afterEach(async () => {
  await broker?.stop();
  broker = undefined;
});

async function roundTrip(url: string): Promise<string> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  const got = new Promise<string>((resolve) => client.on('message', (_t, p) => resolve(p.toString())));
  await client.subscribeAsync('t/1', { qos: 1 });
  await client.publishAsync('t/1', 'hello', { qos: 1 });
  const text = await got;
  await client.endAsync();
  return text;
}

describe('test brokers', () => {
  it('aedes carries a QoS 1 message', async () => {
    broker = await startAedes();
    expect(await roundTrip(broker.url)).toBe('hello');
  });
  it('mosquitto carries a QoS 1 message and stops by PID', async () => {
    const m = await startMosquitto();
    broker = m;
    expect(m.pid).toBeGreaterThan(0);
    expect(await roundTrip(m.url)).toBe('hello');
  });
});
