import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { lanAddresses } from '../firmware/lan-address';
import type { AccessRules } from './broker-access';
import { OpenBrokerRefusedError, startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker';

let broker: EmbeddedBroker | undefined;
const clients: MqttClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await broker?.close();
  broker = undefined;
});

const CLOUD = { username: 'dockside-internal', password: 'cloud-secret-1' };
const DOCK = { username: 'dock', password: 'dock-secret-1' };
const INGEST = { username: 'vehicles', password: 'ingest-secret-1' };

function rules(refused: string[] = []): AccessRules {
  return { logins: () => ({ cloud: CLOUD, dock: DOCK, ingest: INGEST }), ingestFilters: () => ['carota/+/ota'], onRefused: (l) => refused.push(l) };
}

async function client(opts: mqtt.IClientOptions = {}): Promise<MqttClient> {
  const c = await mqtt.connectAsync(broker!.url, { reconnectPeriod: 0, connectTimeout: 3000, ...opts });
  clients.push(c);
  return c;
}

/** Resolves when the broker closes the client's connection (how MQTT 3.1.1 refuses a publish). */
function closed(c: MqttClient): Promise<void> {
  return new Promise((r) => (c.connected ? c.once('close', () => r()) : r()));
}

function collect(c: MqttClient): string[] {
  const got: string[] = [];
  c.on('message', (topic, p) => got.push(`${topic} ${p.toString().slice(0, 40)}`));
  return got;
}

/** mqtt.js rejects a SUBACK that refuses the filter (return code 0x80). */
const SUBSCRIPTION_REFUSED = /Subscribe error/;
const settle = () => new Promise((r) => setTimeout(r, 150));
const otaCreate = JSON.stringify({ tid: 't1', bid: 'b1', timestamp: 1, method: 'ota_create', data: { devices: [{ sn: 'DOCKA', file_url: 'http://attacker/fw.bin' }] } });

describe('embedded broker, open on loopback (tests, `dockside broker` default)', () => {
  it("knows the address each dock publishes from, so the file URL can be on the dock's own subnet", async () => {
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    const dock = await client();
    expect(broker.dockAddress('DOCK-X')).toBeUndefined();
    await dock.publishAsync('thing/product/DOCK-X/osd', JSON.stringify({ data: { mode_code: 0 } }), { qos: 1 });
    await dock.publishAsync('sys/product/DOCK-Y/status', JSON.stringify({ method: 'update_topo', data: {} }), { qos: 1 });
    await dock.publishAsync('vehicles/elsewhere', 'x', { qos: 1 });
    expect(broker.dockAddress('DOCK-X')).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    expect(broker.dockAddress('DOCK-Y')).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  it('refuses to listen beyond loopback without logins, and lists the LAN URLs when it has them', async () => {
    await expect(startEmbeddedBroker({ host: '0.0.0.0', port: 0 })).rejects.toBeInstanceOf(OpenBrokerRefusedError);
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    expect(broker.lanUrls()).toEqual([]);
    await broker.close();
    broker = await startEmbeddedBroker({ host: '0.0.0.0', port: 0, access: rules() });
    expect(broker.lanUrls()).toEqual(lanAddresses().map((a) => `mqtt://${a}:${broker!.port}`));
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
  });
});

describe('embedded broker with logins: the attacks of issue 12', () => {
  it('an anonymous client cannot connect at all, so it never sees an ota_create', async () => {
    const refused: string[] = [];
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, access: rules(refused) });
    await expect(client()).rejects.toThrow(/Not authorized/i);
    await expect(client({ username: DOCK.username, password: 'guess' })).rejects.toThrow(/Bad username or password/i);
    expect(refused.join('\n')).toMatch(/refused a login .*no username and password/);
    expect(refused.join('\n')).not.toContain('guess');
  });

  it('a client with the dock login cannot watch ota_create going to another dock', async () => {
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, access: rules() });
    const cloud = await client({ username: CLOUD.username, password: CLOUD.password });
    const spy = await client({ username: DOCK.username, password: DOCK.password });
    const seen = collect(spy);
    await expect(spy.subscribeAsync('thing/product/+/services', { qos: 1 })).rejects.toThrow(SUBSCRIPTION_REFUSED);
    await expect(spy.subscribeAsync('#', { qos: 1 })).rejects.toThrow(SUBSCRIPTION_REFUSED);
    await cloud.publishAsync('thing/product/DOCKA/services', otaCreate, { qos: 1 });
    await settle();
    expect(seen).toEqual([]);
  });

  it('an anonymous or dock-login publisher cannot send ota_create to a dock', async () => {
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, access: rules() });
    const dockA = await client({ username: DOCK.username, password: DOCK.password, clientId: 'real-dock-a' });
    const got = collect(dockA);
    await dockA.subscribeAsync('thing/product/DOCKA/services', { qos: 1 });
    const forger = await client({ username: DOCK.username, password: DOCK.password });
    const gone = closed(forger);
    forger.publish('thing/product/DOCKA/services', otaCreate, { qos: 0 });
    await gone;
    await settle();
    expect(got).toEqual([]);
  });

  it("a client cannot publish under another dock's SN, nor claim an SN a connected dock holds", async () => {
    const refused: string[] = [];
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, access: rules(refused) });
    const cloud = await client({ username: CLOUD.username, password: CLOUD.password });
    const seen = collect(cloud);
    await cloud.subscribeAsync('thing/product/+/events', { qos: 1 });
    const dockA = await client({ username: DOCK.username, password: DOCK.password, clientId: 'dock-a' });
    await dockA.publishAsync('sys/product/DOCKA/status', JSON.stringify({ method: 'update_topo', data: { sub_devices: [{ sn: 'DRONEA' }] } }), { qos: 1 });
    await dockA.publishAsync('thing/product/DRONEA/events', '{"method":"hms"}', { qos: 1 });
    const evil = await client({ username: DOCK.username, password: DOCK.password, clientId: 'evil' });
    await evil.publishAsync('thing/product/EVIL/osd', '{}', { qos: 1 });
    const evilGone = closed(evil);
    evil.publish('thing/product/DOCKA/events', '{"method":"ota_progress","data":{"output":{"status":"ok"}}}', { qos: 0 });
    await evilGone;
    const squatter = await client({ username: DOCK.username, password: DOCK.password, clientId: 'squatter' });
    await expect(squatter.subscribeAsync('thing/product/DOCKA/services')).rejects.toThrow(SUBSCRIPTION_REFUSED);
    const squatterGone = closed(squatter);
    squatter.publish('thing/product/DRONEA/osd', '{}', { qos: 0 });
    await squatterGone;
    await settle();
    expect(seen).toEqual(['thing/product/DRONEA/events {"method":"hms"}']);
    expect(broker.connectedDocks().sort()).toEqual(['DOCKA']);
    expect(refused.join('\n')).toContain('client "evil"');
    expect(refused.join('\n')).toContain('this connection is dock EVIL, not DOCKA');
    expect(refused.join('\n')).toContain('DOCKA is already connected as another client');
  });

  it('a dock that drops and comes back claims its SN again', async () => {
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, access: rules() });
    const first = await client({ username: DOCK.username, password: DOCK.password, clientId: 'dock-a' });
    await first.publishAsync('thing/product/DOCKA/osd', '{}', { qos: 1 });
    first.stream.destroy();
    await settle();
    const again = await client({ username: DOCK.username, password: DOCK.password, clientId: 'dock-a' });
    await again.publishAsync('thing/product/DOCKA/osd', '{}', { qos: 1 });
    expect(again.connected).toBe(true);
    expect(broker.connectedDocks()).toEqual(['DOCKA']);
  });

  it('a 100 MB publish is cut off at its header, and the broker carries on', async () => {
    const refused: string[] = [];
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, access: rules(refused) });
    const big = await client({ username: CLOUD.username, password: CLOUD.password });
    const gone = closed(big);
    big.publish('thing/product/DOCKA/services', Buffer.alloc(100 * 1024 * 1024), { qos: 0 });
    await gone;
    expect(refused.join('\n')).toMatch(/cut off .*a packet of 1048\d+ bytes \(the limit is 1048576\)/);
    const fine = await client({ username: CLOUD.username, password: CLOUD.password });
    await fine.publishAsync('thing/product/DOCKA/services', Buffer.alloc(512 * 1024), { qos: 1 });
  });

  it('vehicle clients with the ingest login publish only on the ingest topics', async () => {
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, access: rules() });
    const cloud = await client({ username: CLOUD.username, password: CLOUD.password });
    const seen = collect(cloud);
    await cloud.subscribeAsync('#', { qos: 1 });
    const vehicle = await client({ username: INGEST.username, password: INGEST.password });
    await vehicle.publishAsync('carota/VIN1/ota', '{"x":1}', { qos: 1 });
    await expect(vehicle.subscribeAsync('carota/+/ota')).rejects.toThrow(SUBSCRIPTION_REFUSED);
    const gone = closed(vehicle);
    vehicle.publish('thing/product/DOCKA/services', otaCreate, { qos: 0 });
    await gone;
    await settle();
    expect(seen).toEqual(['carota/VIN1/ota {"x":1}']);
  });
});
