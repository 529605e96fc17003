// The app's side of a DJI gateway broker: one mqtt.js connection with reconnect and a visible state,
// need_reply events and update_topo answered the way docks expect, service calls sent at QoS 0.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { ConnectionSettings, ConnectionStatus } from '../../preload/api';
import { decodeEnvelope, encodeEnvelope, requireMethod, type Envelope, type EnvelopeError } from '../../wire/dji/envelope';
import { parseTopic, topics, UPLINK_FILTERS, type UplinkKind } from '../../wire/dji/topics';
import { gatePubacks } from './ack-gate';
import { redactBrokerUrl } from '../../wire/broker-url';

export interface UplinkMessage {
  kind: UplinkKind;
  /** The serial number in the topic: the gateway for status/services_reply/events, the device for osd/state. */
  sn: string;
  topic: string;
  envelope: Envelope;
}

export interface MalformedMessage {
  topic: string;
  error: EnvelopeError;
}

interface GatewayEvents {
  status: [ConnectionStatus];
  message: [UplinkMessage];
  malformed: [MalformedMessage];
  /** Raw MQTT messages on topics that are not DJI's and that no other handler took. */
  foreign: [string, Buffer];
  /** A new mqtt.js client was created (each connect): vehicle ingest attaches its topics to it. */
  client: [MqttClient];
}

export class NotConnectedError extends Error {
  override name = 'NotConnectedError';
}

export class GatewayClient extends EventEmitter<GatewayEvents> {
  private client: MqttClient | null = null;
  private current: ConnectionStatus;

  private readonly reconnectPeriodMs: number;
  private readonly beforeAck: () => Promise<void>;
  private readonly defaultClientId: string | undefined;

  /**
   * @param beforeAck resolves once what the last message caused is durable; a QoS 1 message is
   *   acknowledged only then, so a crash before the journal write makes the broker deliver it again.
   * @param clientId a stable id (per data folder) so the broker keeps our session across drops and
   *   redelivers what we had not acknowledged; without one, each connection is a fresh clean session.
   */
  constructor(opts: { reconnectPeriodMs?: number; beforeAck?: () => Promise<void>; clientId?: string } = {}) {
    super();
    this.reconnectPeriodMs = opts.reconnectPeriodMs ?? 1000;
    this.beforeAck = opts.beforeAck ?? (() => Promise.resolve());
    this.defaultClientId = opts.clientId;
    this.current = { state: 'disconnected', url: '', clientId: '', since: new Date().toISOString() };
  }

  get status(): ConnectionStatus {
    return this.current;
  }

  get mqtt(): MqttClient | null {
    return this.client;
  }

  private setStatus(patch: Partial<ConnectionStatus> & Pick<ConnectionStatus, 'state'>): void {
    const next: ConnectionStatus = { ...this.current, ...patch, since: new Date().toISOString() };
    if (patch.error === undefined && patch.state === 'connected') delete next.error;
    this.current = next;
    this.emit('status', next);
  }

  /**
   * Connects and resolves once the first CONNACK arrives; with `failFast` it rejects with the broker's
   * reason when the first attempt fails (refused, unreachable), so a command can say so in one line.
   * Without it, the first failure is only shown in the state and retried like any later drop.
   */
  async connect(settings: ConnectionSettings, { failFast = true, firstAttemptTimeoutMs = 10_000 } = {}): Promise<void> {
    await this.disconnect();
    const stableId = settings.clientId || this.defaultClientId;
    const clientId = stableId ?? `dockside-${randomUUID().slice(0, 8)}`;
    const options: IClientOptions = {
      clientId,
      reconnectPeriod: this.reconnectPeriodMs,
      connectTimeout: firstAttemptTimeoutMs,
      // A kept session (stable client id, clean false) lets the broker redeliver what we had not acknowledged.
      clean: stableId === undefined,
      resubscribe: false,
      protocolVersion: 4,
      // A service call must never leave late: one sent while the broker is away fails at once instead.
      queueQoSZero: false,
    };
    if (settings.username) options.username = settings.username;
    if (settings.password) options.password = settings.password;
    if (settings.caPem) options.ca = settings.caPem;
    if (settings.rejectUnauthorized !== undefined) options.rejectUnauthorized = settings.rejectUnauthorized;

    const shownUrl = redactBrokerUrl(settings.url);
    this.setStatus({ state: 'connecting', url: shownUrl, clientId, error: undefined });
    const client = mqtt.connect(settings.url, options);
    this.client = client;

    client.on('connect', () => {
      client.subscribe([...UPLINK_FILTERS], { qos: 1 }, (err) => {
        if (err && this.client === client) this.setStatus({ state: 'error', error: `subscribe failed: ${err.message}` });
      });
      this.setStatus({ state: 'connected' });
    });
    client.on('reconnect', () => this.setStatus({ state: 'reconnecting' }));
    client.on('close', () => {
      if (this.client === client && this.current.state === 'connected') this.setStatus({ state: 'reconnecting' });
    });
    client.on('error', (err) => this.setStatus({ state: this.current.state === 'connected' ? 'reconnecting' : 'error', error: err.message }));
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    gatePubacks(client, this.beforeAck);
    this.emit('client', client);
    if (!failFast) return;

    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`no answer from ${shownUrl} within ${firstAttemptTimeoutMs / 1000} s`)), firstAttemptTimeoutMs);
      const ok = () => {
        cleanup();
        resolve();
      };
      const fail = (err: Error) => {
        cleanup();
        void this.disconnect(err.message);
        reject(new Error(`cannot connect to ${shownUrl}: ${describeConnectError(err)}`));
      };
      const onClose = () => fail(new Error(this.current.error ?? 'connection closed'));
      const cleanup = () => {
        clearTimeout(timer);
        client.off('connect', ok);
        client.off('error', fail);
        client.off('close', onClose);
      };
      client.once('connect', ok);
      client.once('error', fail);
      client.once('close', onClose);
    });
  }

  async disconnect(error?: string): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('message');
      await client.endAsync(true).catch(() => undefined);
      this.setStatus({ state: error ? 'error' : 'disconnected', error });
    }
  }

  /** Subscribes a non-DJI filter (vehicle ingest); messages on it arrive as 'foreign'. */
  async subscribeForeign(filter: string): Promise<void> {
    if (!this.client) throw new NotConnectedError('not connected to a broker');
    await this.client.subscribeAsync(filter, { qos: 1 });
  }

  private publish(topic: string, envelope: Envelope, qos: 0 | 1): Promise<void> {
    const client = this.client;
    if (!client || (qos === 0 && !client.connected)) return Promise.reject(new NotConnectedError('not connected to a broker'));
    return client.publishAsync(topic, encodeEnvelope(envelope), { qos }).then(() => undefined);
  }

  /**
   * Publishes a service call on thing/product/{gateway}/services at QoS 0, as DJI's own server does: it
   * reaches a dock now or never, and rejects at once without a connection. The caller matches replies.
   */
  sendService(gateway: string, envelope: Envelope): Promise<void> {
    return this.publish(topics.services(gateway), envelope, 0);
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic);
    if (!parsed) {
      this.emit('foreign', topic, payload);
      return;
    }
    if (parsed.kind === 'services' || parsed.kind === 'events_reply' || parsed.kind === 'status_reply') return;
    const decoded = parsed.kind === 'osd' || parsed.kind === 'state' ? decodeEnvelope(payload) : requireMethod(decodeEnvelope(payload));
    if (!decoded.ok) {
      this.emit('malformed', { topic, error: decoded.error });
      return;
    }
    const { envelope } = decoded;
    const kind = parsed.kind;
    if (kind === 'events' && envelope.need_reply === 1) this.reply(topics.eventsReply(parsed.sn), envelope);
    if (kind === 'status' && envelope.method === 'update_topo') this.reply(topics.statusReply(parsed.sn), envelope);
    this.emit('message', { kind, sn: parsed.sn, topic, envelope });
  }

  private reply(topic: string, to: Envelope): void {
    const answer: Envelope = { tid: to.tid, bid: to.bid, timestamp: Date.now(), method: to.method, data: { result: 0 } };
    this.publish(topic, answer, 1).catch(() => undefined);
  }
}

function describeConnectError(err: Error & { code?: string | number }): string {
  const code = err.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the broker running, and is the port right?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 5 || /Not authorized/i.test(err.message)) return 'not authorised (check username and password)';
  if (code === 4 || /Bad username or password/i.test(err.message)) return 'bad username or password';
  return err.message;
}
