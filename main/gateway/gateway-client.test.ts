import { afterEach, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import type { ConnectionStatus } from '../../preload/api';
import { freePort, startAedes, startMosquitto, type TestBroker } from '../../test-support/brokers';
import { DeviceRegistry } from './device-registry';
import { encodeEnvelope, newEnvelope, type Envelope } from '../../wire/dji/envelope';
import { GatewayClient, NotConnectedError, type MalformedMessage, type UplinkMessage } from './gateway-client';
import { topics } from '../../wire/dji/topics';

let broker: TestBroker | undefined;
let app: GatewayClient | undefined;
let dock: MqttClient | undefined;

afterEach(async () => {
  await app?.disconnect();
  await dock?.endAsync(true);
  await broker?.stop();
  app = dock = broker = undefined;
});

function nextMessage(app: GatewayClient): Promise<UplinkMessage> {
  return new Promise((resolve) => app.once('message', resolve));
}

async function dockClient(url: string, filters: string[]): Promise<{ client: MqttClient; inbox: { topic: string; env: Envelope }[] }> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 200 });
  const inbox: { topic: string; env: Envelope }[] = [];
  client.on('message', (topic, payload) => inbox.push({ topic, env: JSON.parse(payload.toString()) as Envelope }));
  if (filters.length) await client.subscribeAsync(filters, { qos: 1 });
  return { client, inbox };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('GatewayClient', () => {
  it('says clearly when the broker refuses the connection', async () => {
    const port = await freePort();
    app = new GatewayClient();
    await expect(app.connect({ url: `mqtt://127.0.0.1:${port}` }, { firstAttemptTimeoutMs: 3000 })).rejects.toThrow(/cannot connect to mqtt:\/\/127\.0\.0\.1:\d+: connection refused/);
    expect(app.status.state).toBe('error');
  });

  it('sends a service call at QoS 0, passes replies on, answers need_reply events and update_topo', async () => {
    broker = await startAedes();
    app = new GatewayClient();
    await app.connect({ url: broker.url });
    const d = await dockClient(broker.url, [topics.services('GW1'), topics.eventsReply('GW1'), topics.statusReply('GW1')]);
    dock = d.client;

    await app.sendService('GW1', { ...newEnvelope('ota_create', { devices: [] }), tid: 'fixed-tid-1' });
    await until(() => d.inbox.some((m) => m.topic === topics.services('GW1')));
    expect(d.inbox.find((m) => m.topic === topics.services('GW1'))!.env).toMatchObject({ tid: 'fixed-tid-1', method: 'ota_create', data: { devices: [] } });
    const reply = nextMessage(app);
    await dock.publishAsync(
      topics.servicesReply('GW1'),
      encodeEnvelope({ tid: 'fixed-tid-1', bid: 'b', timestamp: Date.now(), method: 'ota_create', data: { result: 0, output: { status: 'sent' } } }),
      { qos: 1 },
    );
    expect(await reply).toMatchObject({ kind: 'services_reply', sn: 'GW1', envelope: { tid: 'fixed-tid-1', data: { result: 0, output: { status: 'sent' } } } });

    const ev = { ...newEnvelope('ota_progress', { result: 0, output: { status: 'in_progress' } }), need_reply: 1 };
    await dock.publishAsync(topics.events('GW1'), encodeEnvelope(ev), { qos: 1 });
    await until(() => d.inbox.some((m) => m.topic === topics.eventsReply('GW1')));
    expect(d.inbox.find((m) => m.topic === topics.eventsReply('GW1'))!.env).toMatchObject({ tid: ev.tid, bid: ev.bid, method: 'ota_progress', data: { result: 0 } });

    const topo = newEnvelope('update_topo', { domain: '3', type: 2, sub_type: 0, sub_devices: [] });
    await dock.publishAsync(topics.status('GW1'), encodeEnvelope(topo), { qos: 1 });
    await until(() => d.inbox.some((m) => m.topic === topics.statusReply('GW1')));
    expect(d.inbox.find((m) => m.topic === topics.statusReply('GW1'))!.env).toMatchObject({ tid: topo.tid, bid: topo.bid, method: 'update_topo', data: { result: 0 } });
  });

  it('never queues a service call for later: without a connection it fails at once, and nothing leaves when the broker is back', async () => {
    const m = await startMosquitto();
    broker = m;
    app = new GatewayClient({ reconnectPeriodMs: 100 });
    await app.connect({ url: m.url });
    await m.stop();
    await until(() => app!.status.state !== 'connected');
    await expect(app.sendService('GW1', newEnvelope('ota_create', { devices: [] }))).rejects.toBeInstanceOf(NotConnectedError);
    broker = await startMosquitto(m.port);
    const d = await dockClient(broker.url, [topics.services('GW1')]);
    dock = d.client;
    await until(() => app!.status.state === 'connected', 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(d.inbox).toEqual([]);
  });

  it('does not answer events that do not ask for a reply', async () => {
    broker = await startAedes();
    app = new GatewayClient();
    await app.connect({ url: broker.url });
    const d = await dockClient(broker.url, [topics.eventsReply('GW1')]);
    dock = d.client;
    const seen = nextMessage(app);
    await dock.publishAsync(topics.events('GW1'), encodeEnvelope({ ...newEnvelope('ota_progress', {}), need_reply: 0 }), { qos: 1 });
    await seen;
    await new Promise((r) => setTimeout(r, 200));
    expect(d.inbox).toEqual([]);
  });

  it('turns malformed payloads into malformed events and keeps going', async () => {
    broker = await startAedes();
    app = new GatewayClient();
    await app.connect({ url: broker.url });
    dock = await mqtt.connectAsync(broker.url);
    const bad: MalformedMessage[] = [];
    app.on('malformed', (m) => bad.push(m));
    const good = nextMessage(app);
    for (const payload of ['{nope', '[]', '{"tid":"t"}', '']) await dock.publishAsync(topics.events('GW1'), payload, { qos: 1 });
    await dock.publishAsync(topics.state('GW1'), encodeEnvelope(newEnvelope('state', { firmware_version: '1.0' })), { qos: 1 });
    expect((await good).kind).toBe('state');
    expect(bad.map((b) => b.error.reason)).toEqual([expect.stringContaining('not JSON'), 'not a JSON object', 'missing "method"', expect.stringContaining('not JSON')]);
  });

  it('survives a broker restart: shows reconnecting, comes back, and hears the dock again', async () => {
    const m = await startMosquitto();
    broker = m;
    app = new GatewayClient({ reconnectPeriodMs: 200 });
    const states: ConnectionStatus['state'][] = [];
    app.on('status', (s) => states.push(s.state));
    await app.connect({ url: m.url });
    await m.stop();
    await until(() => states.includes('reconnecting'));
    broker = await startMosquitto(m.port);
    await until(() => app!.status.state === 'connected', 10_000);
    dock = await mqtt.connectAsync(broker.url);
    const heard = nextMessage(app);
    await dock.publishAsync(topics.state('GW1'), encodeEnvelope(newEnvelope('state', { firmware_version: '2.0' })), { qos: 1 });
    expect((await heard).envelope.data).toEqual({ firmware_version: '2.0' });
  });
});

describe('DeviceRegistry', () => {
  const msg = (kind: UplinkMessage['kind'], sn: string, data: unknown, gateway?: string): UplinkMessage => ({
    kind,
    sn,
    topic: '',
    envelope: { ...newEnvelope(kind === 'status' ? 'update_topo' : kind, data), ...(gateway ? { gateway } : {}) },
  });

  it('tracks a dock and its drone from topology, state and osd, and the drone leaving', () => {
    const reg = new DeviceRegistry();
    reg.handle(msg('status', 'DOCK1', { domain: '3', type: 2, sub_type: 0, sub_devices: [{ sn: 'DRONE1', domain: '0', type: 91, sub_type: 0 }] }));
    reg.handle(msg('state', 'DOCK1', { firmware_version: '10.01.1612' }));
    reg.handle(msg('state', 'DRONE1', { firmware_version: '09.01.0001' }, 'DOCK1'));
    reg.handle(msg('osd', 'DOCK1', { mode_code: 3 }));
    expect(reg.list()).toMatchObject([
      { sn: 'DOCK1', gateway: 'DOCK1', kind: 'dock', model: 'DJI Dock 2', firmwareVersion: '10.01.1612', online: true, mode: 'upgrading firmware' },
      { sn: 'DRONE1', gateway: 'DOCK1', kind: 'drone', model: 'Matrice 3D', firmwareVersion: '09.01.0001', online: true },
    ]);
    reg.handle(msg('status', 'DOCK1', { domain: '3', type: 2, sub_type: 0, sub_devices: [] }));
    expect(reg.get('DRONE1')?.online).toBe(false);
    expect(reg.get('DOCK1')?.online).toBe(true);
  });

  it('shows an unknown product triple raw and marks silent devices offline', () => {
    let now = 0;
    const reg = new DeviceRegistry(1000, () => now);
    reg.handle(msg('status', 'DOCKX', { domain: '3', type: 99, sub_type: 1, sub_devices: [] }));
    expect(reg.get('DOCKX')?.model).toBe('3-99-1');
    now = 900;
    reg.markSilentOffline(now);
    expect(reg.get('DOCKX')?.online).toBe(true);
    now = 1001;
    reg.markSilentOffline(now);
    expect(reg.get('DOCKX')?.online).toBe(false);
  });
});
