// Dockside as the cloud of a site without one: the built-in broker (closed by its logins and topic
// rules), the Pilot 2 page that hands a dock its connection, and the answers to the dock's join
// requests. Requests are answered only while Dockside's own client is on this broker: on a site broker
// another cloud owns the docks.
import QRCode from 'qrcode';
import type { BrokerAccount, BrokerBind, BrokerLogin, CallRequest, ConnectionSettings, DjiLicence, DockAccessView, UpgradeEvent } from '../../preload/api';
import { brokerCertificate } from '../broker/broker-certificate';
import { startEmbeddedBroker, type BrokerTls, type EmbeddedBroker } from '../broker/embedded-broker';
import { newLogin } from '../dock-access/credentials';
import { DockAccess } from '../dock-access/dock-access';
import { firstLanAddress } from '../firmware/lan-address';
import { serveAddressFor } from '../firmware/serve-address';
import type { GatewayClient } from '../gateway/gateway-client';
import { startPilotPageServer, type PilotPageServer } from '../host/pilot-page-server';
import { djiNote } from '../protocols/dji-event';
import { encodeEnvelope } from '../../wire/dji/envelope';
import { joinTopics } from '../../wire/dji/topics';

export const DEFAULT_BROKER_PORT = 1883;
export const DEFAULT_TLS_PORT = 8883;
export const DEFAULT_PILOT_PAGE_PORT = 8089;
const REQUESTS_FILTER = 'thing/product/+/requests';
const REQUESTS_TOPIC = /^thing\/product\/([^/]+)\/requests$/;

export interface BuiltInCloudOptions {
  dataDir: string;
  gateway: GatewayClient;
  /** Topic filters vehicle clients publish on (the ingest login's rights). */
  ingestFilters: readonly string[];
  /** A licence given by the host (flags, environment): kept like one entered in the window. */
  licence?: DjiLicence;
  record: (event: UpgradeEvent) => void;
  /** Something the Connection view shows changed. */
  changed: () => void;
}

export class BuiltInCloud {
  readonly access: DockAccess;
  private broker: EmbeddedBroker | null = null;
  private page: PilotPageServer | null = null;
  private tlsFingerprint: string | undefined;
  private tlsProblem: string | undefined;
  private readonly qrCodes = new Map<string, string>();
  /** Dockside's own account on its broker: made per start, held in memory only, never shown. */
  private readonly internal: BrokerLogin = newLogin('dockside');

  constructor(private readonly opts: BuiltInCloudOptions) {
    this.access = DockAccess.open(opts.dataDir, opts.licence);
    if (this.access.problem) this.note('', this.access.problem, true);
    this.access.on('changed', () => opts.changed());
    opts.gateway.on('client', (client) => {
      client.on('connect', () => {
        if (this.inUse()) client.subscribe(REQUESTS_FILTER, { qos: 1 });
      });
    });
    opts.gateway.on('foreign', (topic, payload) => void this.onRequest(topic, payload));
    opts.gateway.on('message', (m) => {
      if (this.inUse()) this.access.connected(m.sn);
    });
  }

  get embedded(): EmbeddedBroker | null {
    return this.broker;
  }

  /** Whether Dockside's own client is on the built-in broker (so Dockside is the docks' cloud). */
  inUse(): boolean {
    return this.broker !== null && this.opts.gateway.status.url === this.broker.url;
  }

  /** How Dockside's own client connects to its broker. */
  connection(): ConnectionSettings {
    return { url: this.broker!.url, username: this.internal.username, password: this.internal.password };
  }

  private note(sn: string, message: string, failed: boolean, raw: unknown = null): void {
    this.opts.record(djiNote({ device: sn, campaign: '', phase: 'queued', state: failed ? 'failed' : 'succeeded', percent: null, message, raw }));
  }

  async start(): Promise<EmbeddedBroker> {
    if (this.broker) return this.broker;
    const state = this.access.current;
    const host = state.bind === 'lan' ? '0.0.0.0' : '127.0.0.1';
    const tls = await this.tls();
    this.broker = await startEmbeddedBroker({
      host,
      port: DEFAULT_BROKER_PORT,
      fallbackToFreePort: true,
      ...(tls ? { tls } : {}),
      access: {
        logins: () => ({ cloud: this.internal, dock: this.access.current.dockLogin, ingest: this.access.current.ingestLogin }),
        ingestFilters: () => this.opts.ingestFilters,
        onRefused: (line) => this.note('', line, true),
      },
    });
    if (tls && this.broker.tlsPort !== state.tls.port) this.access.update({ tls: { ...this.access.current.tls, port: this.broker.tlsPort! } });
    this.page = await startPilotPageServer({
      host,
      port: state.pilotPage.port ?? DEFAULT_PILOT_PAGE_PORT,
      source: {
        token: () => this.access.current.pilotPage.token,
        joins: () => this.access.joins(),
        config: (localAddress) => {
          const s = this.access.current;
          return {
            ...(s.licence ? { licence: s.licence } : {}),
            broker: { host: `tcp://${localAddress.includes(':') ? `[${localAddress}]` : localAddress}:${this.broker?.port ?? DEFAULT_BROKER_PORT}`, ...s.dockLogin },
            organisation: s.organisation,
          };
        },
      },
    });
    if (this.page.port !== state.pilotPage.port) this.access.update({ pilotPage: { ...this.access.current.pilotPage, port: this.page.port } });
    this.opts.changed();
    return this.broker;
  }

  private async tls(): Promise<BrokerTls | undefined> {
    const { tls } = this.access.current;
    this.tlsFingerprint = undefined;
    this.tlsProblem = undefined;
    if (!tls.enabled) return undefined;
    try {
      const cert = await brokerCertificate(this.opts.dataDir, tls);
      this.tlsFingerprint = cert.fingerprint;
      return { port: tls.port ?? DEFAULT_TLS_PORT, certPem: cert.certPem, keyPem: cert.keyPem };
    } catch (e) {
      this.tlsProblem = `the TLS listener is off: ${(e as Error).message}`;
      this.note('', this.tlsProblem, true);
      return undefined;
    }
  }

  /** Restarts on the same port after a change of where it listens; Dockside's client follows. */
  private async restart(): Promise<void> {
    if (!this.broker) return this.opts.changed();
    const wasInUse = this.inUse();
    await this.stop();
    await this.start();
    if (wasInUse) await this.opts.gateway.connect(this.connection(), { failFast: false });
  }

  async stop(): Promise<void> {
    const [page, broker] = [this.page, this.broker];
    this.page = null;
    this.broker = null;
    await page?.close();
    await broker?.close();
  }

  private async onRequest(topic: string, payload: Buffer): Promise<void> {
    const sn = REQUESTS_TOPIC.exec(topic)?.[1];
    if (sn === undefined || !this.inUse()) return;
    const ntpHost = await serveAddressFor({ gateway: sn, embedded: true, dockAddress: this.broker!.dockAddress(sn), brokerHost: '127.0.0.1' }).catch(() => firstLanAddress());
    const outcome = this.access.handleRequest(sn, payload, ntpHost);
    if (outcome.reply) this.opts.gateway.mqtt?.publish(joinTopics.requestsReply(sn), encodeEnvelope(outcome.reply), { qos: 1 });
    if (outcome.note) this.note(sn, outcome.note.words, outcome.note.failed, outcome.note.raw);
  }

  private async qr(url: string): Promise<string> {
    let svg = this.qrCodes.get(url);
    if (svg === undefined) {
      svg = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      this.qrCodes.set(url, svg);
    }
    return svg;
  }

  async view(): Promise<DockAccessView> {
    const s = this.access.current;
    const pageUrls = this.page?.urls() ?? [];
    return {
      broker: this.inUse() ? 'built-in' : this.opts.gateway.status.url ? 'site' : 'none',
      bind: s.bind,
      dockLogin: s.dockLogin,
      ingestLogin: s.ingestLogin,
      ingestTopics: [...this.opts.ingestFilters],
      dockUrls: this.broker?.lanUrls() ?? [],
      tlsUrls: this.broker?.lanTlsUrls() ?? [],
      tls: {
        enabled: s.tls.enabled,
        ...(s.tls.certPath ? { certPath: s.tls.certPath } : {}),
        ...(s.tls.keyPath ? { keyPath: s.tls.keyPath } : {}),
        ...(this.tlsFingerprint ? { fingerprint: this.tlsFingerprint } : {}),
        ...(this.tlsProblem ? { error: this.tlsProblem } : {}),
      },
      ...(s.licence ? { licence: { appId: s.licence.appId, keySet: s.licence.appKey !== '', licenseSet: s.licence.appLicense !== '' } } : {}),
      organisation: s.organisation,
      ntpHost: s.ntpHost,
      bound: Object.entries(s.bound).map(([sn, b]) => ({ sn, callsign: b.callsign, boundAt: b.boundAt })),
      joins: this.access.joins(),
      pilotPage: await Promise.all(pageUrls.map(async (url) => ({ url, qrSvg: await this.qr(url) }))),
    };
  }

  regenerateLogin(account: BrokerAccount): void {
    this.access.regenerateLogin(account);
  }

  setLogin(req: CallRequest<'dockAccess.setLogin'>): void {
    this.access.setLogin(req.account, req.login);
  }

  setLicence(licence: DjiLicence): void {
    this.access.update({ licence });
  }

  setOrganisation(name: string): void {
    this.access.update({ organisation: { ...this.access.current.organisation, name: name.trim() } });
  }

  setNtpHost(host: string): void {
    this.access.update({ ntpHost: host.trim() });
  }

  async setBind(bind: BrokerBind): Promise<void> {
    if (bind === this.access.current.bind) return;
    this.access.update({ bind });
    await this.restart();
  }

  async setTls(req: CallRequest<'dockAccess.setTls'>): Promise<void> {
    const certPath = req.certPath?.trim();
    const keyPath = req.keyPath?.trim();
    if (Boolean(certPath) !== Boolean(keyPath)) throw new Error('give both the certificate and the key file, or neither (Dockside then makes its own)');
    this.access.update({
      tls: { enabled: req.enabled, ...(certPath ? { certPath } : {}), ...(keyPath ? { keyPath } : {}), ...(this.access.current.tls.port ? { port: this.access.current.tls.port } : {}) },
    });
    await this.restart();
  }
}
