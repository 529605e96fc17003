// The dock's MQTT connection, as a dock keeps it: one client id, a persistent session (clean=false) so the broker
// holds QoS 1 messages while the dock is away, automatic reconnects after a broker drop, and two ways to leave —
// `close` (MQTT DISCONNECT) and `drop` (the TCP connection goes, no DISCONNECT: power loss, a reboot, a cable).
// After a drop the dock stays away until `connect` is called again, with a fresh client and the same id.
import { connect, type MqttClient } from 'mqtt';

export interface DockLinkOptions {
  brokerUrl: string;
  clientId: string;
  /** The dock login a closed broker asks for. */
  username?: string;
  password?: string;
  reconnectPeriodMs: number;
  /** Subscribed (QoS 1) on every connection. */
  subscriptions: string[];
  onMessage: (topic: string, payload: Buffer) => void;
  /** Connected and subscribed. */
  onUp: () => void;
  /** The connection went away (not after `close` or `drop`, which the caller chose). */
  onDown: () => void;
  log: (line: string) => void;
}

export class DockLink {
  private client: MqttClient | null = null;
  private subscribed = false;
  private lastError = '';

  constructor(private readonly opts: DockLinkOptions) {}

  get up(): boolean {
    return this.client !== null && this.client.connected && this.subscribed;
  }

  /** The last connection error, for a clear reason when the broker cannot be reached. */
  get error(): string {
    return this.lastError;
  }

  connect(): void {
    if (this.client) return;
    const client = connect(this.opts.brokerUrl, {
      clientId: this.opts.clientId,
      ...(this.opts.username !== undefined ? { username: this.opts.username } : {}),
      ...(this.opts.password !== undefined ? { password: this.opts.password } : {}),
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: this.opts.reconnectPeriodMs,
      connectTimeout: 5000,
      keepalive: 30,
      queueQoSZero: false,
      resubscribe: true,
    });
    this.client = client;
    const current = () => this.client === client;
    client.on('message', (topic, payload) => {
      if (current()) this.opts.onMessage(topic, payload);
    });
    client.on('connect', () => {
      if (!current()) return;
      this.lastError = '';
      this.subscribed = false;
      client.subscribeAsync(this.opts.subscriptions, { qos: 1 }).then(
        () => {
          if (!current()) return;
          this.subscribed = true;
          this.opts.onUp();
        },
        (e: Error) => {
          if (current()) this.opts.log(`subscribe failed: ${e.message}`);
        },
      );
    });
    client.on('offline', () => {
      if (!current()) return;
      this.subscribed = false;
      this.opts.onDown();
    });
    client.on('error', (e) => {
      if (!current()) return;
      if (e.message !== this.lastError) this.opts.log(`broker: ${e.message}`);
      this.lastError = e.message;
    });
  }

  /** QoS 1 messages wait in the client while it reconnects; nothing is sent while the dock is away. */
  publish(topic: string, payload: string, qos: 0 | 1): void {
    const client = this.client;
    if (!client) return;
    client.publish(topic, payload, { qos }, (err) => {
      if (err && this.client === client) this.opts.log(`publish on ${topic} failed: ${err.message}`);
    });
  }

  /** Drop the TCP connection without DISCONNECT; the broker keeps the session. Resolves once the socket is closed. */
  drop(): Promise<void> {
    const client = this.take();
    return client ? new Promise((resolve) => client.end(true, () => resolve())) : Promise.resolve();
  }

  /** Leave with MQTT DISCONNECT (when connected). */
  async close(): Promise<void> {
    const client = this.take();
    if (client) await client.endAsync(!client.connected);
  }

  private take(): MqttClient | null {
    const client = this.client;
    this.client = null;
    this.subscribed = false;
    return client;
  }
}
