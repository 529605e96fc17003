import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { startAedes, startMosquitto, type TestBroker } from '../../test-support/brokers';
import { CAROTA_TRIGGER, EDGEHOG_DEVICE, EDGEHOG_REQUEST, VIN, carotaEnvelope, edgehogBson } from '../../test-support/vehicle-payloads';
import type { IngestSink } from './ingest-sink';
import { createMemorySink } from '../../test-support/memory-sink';
import { attachMqttIngest, edgehogTopicFilter } from './mqtt-ingest';

const EDGEHOG_TOPIC = `fleetone/${EDGEHOG_DEVICE}/io.edgehog.devicemanager.OTAEvent/event`;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function broker(kind: 'aedes' | 'mosquitto' = 'aedes'): Promise<TestBroker> {
  const b = kind === 'aedes' ? await startAedes() : await startMosquitto();
  cleanups.push(() => b.stop());
  return b;
}

async function client(url: string, opts: mqtt.IClientOptions = {}): Promise<MqttClient> {
  const c = await mqtt.connectAsync(url, { reconnectPeriod: 100, ...opts });
  cleanups.push(() => c.endAsync(true));
  return c;
}

/** Attaches and resolves once the broker confirmed the subscriptions. */
async function attach(app: MqttClient, sink: IngestSink, opts: Parameters<typeof attachMqttIngest>[2] = {}) {
  const confirmations: (Error | undefined)[] = [];
  let wake = () => {};
  const ingest = attachMqttIngest(app, sink, {
    ...opts,
    onSubscribed: (e) => {
      confirmations.push(e);
      wake();
    },
  });
  const subscribed = (n: number) =>
    new Promise<void>((resolve) => {
      wake = () => confirmations.length >= n && resolve();
      wake();
    });
  await subscribed(1);
  expect(confirmations[0]).toBeUndefined();
  return { ingest, subscribed, confirmations };
}

describe('MQTT ingest', () => {
  it('records Edgehog BSON with the device from the topic, and CarOTA envelopes', async () => {
    const b = await broker();
    const sink = createMemorySink();
    const app = await client(b.url);
    await attach(app, sink, { carotaTopic: 'vehicles/+/carota' });
    const device = await client(b.url);
    await device.publishAsync(EDGEHOG_TOPIC, Buffer.from(edgehogBson('Downloading', 75)), { qos: 1 });
    await device.publishAsync(`vehicles/${VIN}/carota`, JSON.stringify(carotaEnvelope(4, [])), { qos: 1 });
    await sink.waitFor(2);
    const [edgehog, carota] = sink.events();
    expect(edgehog).toMatchObject({ source: 'edgehog', device: EDGEHOG_DEVICE, campaign: EDGEHOG_REQUEST, phase: 'download', percent: 75 });
    expect(carota).toMatchObject({ source: 'carota', device: VIN, campaign: CAROTA_TRIGGER, phase: 'download', state: 'succeeded' });
    expect(sink.accepted.map((a) => a.origin)).toEqual([`mqtt ${EDGEHOG_TOPIC}`, `mqtt vehicles/${VIN}/carota`]);
  });

  it('listens on one realm when told, on every realm by default', async () => {
    expect(edgehogTopicFilter()).toBe('+/+/io.edgehog.devicemanager.OTAEvent/event');
    const b = await broker();
    const sink = createMemorySink();
    const app = await client(b.url);
    await attach(app, sink, { astarteRealm: 'fleettwo' });
    const device = await client(b.url);
    await device.publishAsync(EDGEHOG_TOPIC, Buffer.from(edgehogBson('Acknowledged', 0)), { qos: 1 });
    await device.publishAsync(`fleettwo/${EDGEHOG_DEVICE}/io.edgehog.devicemanager.OTAEvent/event`, Buffer.from(edgehogBson('Deploying', 0)), { qos: 1 });
    await sink.waitFor(1);
    expect(sink.events().map((e) => e.message)).toEqual([expect.stringMatching(/^Deploying/)]);
  });

  it('refuses malformed messages once each and keeps going', async () => {
    const b = await broker();
    const sink = createMemorySink();
    const app = await client(b.url);
    await attach(app, sink);
    const device = await client(b.url);
    await device.publishAsync(EDGEHOG_TOPIC, Buffer.from(edgehogBson()).subarray(0, 25), { qos: 1 });
    await device.publishAsync(`carota/${VIN}/ota`, '{"message_type": "OTA_EVENT", "body": "%%%"}', { qos: 1 });
    await device.publishAsync(`carota/${VIN}/ota`, '', { qos: 1 });
    await device.publishAsync(`carota/${VIN}/ota`, JSON.stringify(carotaEnvelope()), { qos: 1 });
    await sink.waitFor(1);
    expect(sink.rejected.map((r) => [r.error.protocol, r.origin])).toEqual([
      ['edgehog', `mqtt ${EDGEHOG_TOPIC}`],
      ['carota', `mqtt carota/${VIN}/ota`],
      ['carota', `mqtt carota/${VIN}/ota`],
    ]);
    expect(sink.rejected[0]!.error.raw).toMatch(/^base64:/);
    expect(sink.rejected[2]!.error.reason).toMatch(/empty/);
    expect(sink.events()).toHaveLength(1);
  });

  it('acknowledges a QoS 1 message only after the sink made it durable, and not at all when it failed', async () => {
    const b = await broker();
    const order: string[] = [];
    const sink = createMemorySink();
    let failNext = false;
    const slowSink: IngestSink = {
      async accept(events, origin) {
        order.push('accept called');
        // Let the event loop turn, as a real fsync would, before the events become durable.
        await new Promise((r) => setImmediate(r));
        if (failNext) {
          failNext = false;
          order.push('accept failed');
          throw new Error('disk full');
        }
        await sink.accept(events, origin);
        order.push('durable');
      },
      reject: (e, o) => sink.reject(e, o),
    };
    const app = await client(b.url);
    let pubacks = 0;
    let onPuback = () => {};
    app.on('packetsend', (p) => {
      if (p.cmd !== 'puback') return;
      order.push('puback');
      pubacks += 1;
      onPuback();
    });
    const pubacksSent = (n: number) =>
      new Promise<void>((resolve) => {
        onPuback = () => pubacks >= n && resolve();
        onPuback();
      });
    await attach(app, slowSink);
    const device = await client(b.url);
    await device.publishAsync(`carota/${VIN}/ota`, JSON.stringify(carotaEnvelope(3)), { qos: 1 });
    await pubacksSent(1);
    failNext = true;
    await device.publishAsync(`carota/${VIN}/ota`, JSON.stringify(carotaEnvelope(4, [])), { qos: 1 });
    await device.publishAsync(`carota/${VIN}/ota`, JSON.stringify(carotaEnvelope(9, [])), { qos: 1 });
    await pubacksSent(2);
    expect(order).toEqual(['accept called', 'durable', 'puback', 'accept called', 'accept failed', 'accept called', 'durable', 'puback']);
  });

  it('passes messages on other topics to the handler that was there before, and restores it on detach', async () => {
    const b = await broker();
    const sink = createMemorySink();
    const app = await client(b.url);
    const seen: string[] = [];
    const original = app.handleMessage;
    app.handleMessage = (packet, callback) => {
      seen.push(packet.topic);
      callback();
    };
    const before = app.handleMessage;
    const { ingest } = await attach(app, sink);
    await app.subscribeAsync('thing/product/+/events', { qos: 1 });
    const device = await client(b.url);
    await device.publishAsync('thing/product/DOCK01/events', '{}', { qos: 1 });
    await device.publishAsync(`carota/${VIN}/ota`, JSON.stringify(carotaEnvelope()), { qos: 1 });
    await sink.waitFor(1);
    expect(seen).toEqual(['thing/product/DOCK01/events']);
    ingest.detach();
    expect(app.handleMessage).toBe(before);
    app.handleMessage = original;
  });

  it('subscribes again after the broker restarted and lost its sessions', async () => {
    const first = await startMosquitto();
    let current: TestBroker = first;
    cleanups.push(() => current.stop());
    const sink = createMemorySink();
    const app = await client(first.url);
    const { subscribed } = await attach(app, sink);
    const device = await client(first.url);
    await device.publishAsync(EDGEHOG_TOPIC, Buffer.from(edgehogBson('Downloading', 10)), { qos: 1 });
    await sink.waitFor(1);

    await first.stop();
    current = await startMosquitto(first.port);
    await subscribed(2);
    await new Promise<void>((r) => (device.connected ? r() : device.once('connect', () => r())));
    await device.publishAsync(EDGEHOG_TOPIC, Buffer.from(edgehogBson('Downloading', 90)), { qos: 1 });
    await device.publishAsync(`carota/${VIN}/ota`, JSON.stringify(carotaEnvelope(6, [])), { qos: 1 });
    await sink.waitFor(3);
    expect(sink.events().map((e) => [e.source, e.percent])).toEqual([
      ['edgehog', 10],
      ['edgehog', 90],
      ['carota', null],
    ]);
    expect(sink.rejected).toEqual([]);
  });
});
