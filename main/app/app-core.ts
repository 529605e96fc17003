// The core both hosts and the CLI run: gateway connection, devices, firmware catalogue and file server,
// upgrades, and the stream of UpgradeEvents. It implements the preload contract (ApiBackend).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type {
  CallName,
  CallRequest,
  CallResponse,
  ConnectionSettings,
  ConnectionStatus,
  StreamName,
  StreamPayload,
  UpgradeEvent,
} from '../../preload/api';
import { API_VERSION } from '../../preload/api';
import { DJI_TERMINAL_STATUSES } from '../../preload/dji-codes';
import { startEmbeddedBroker, type EmbeddedBroker } from '../broker/embedded-broker';
import { DeviceRegistry } from '../gateway/device-registry';
import { GatewayClient } from '../gateway/gateway-client';
import { takeUserinfo } from '../gateway/broker-url';
import { FirmwareCatalogue, isReady, toInfo } from '../firmware/catalogue';
import { startFileServer, type FileServer } from '../firmware/file-server';
import { addressTowards } from '../firmware/lan-address';
import { ApiError, type ApiBackend, type StreamListener } from '../host/backend';
import { UpgradeRefusedError, UpgradeService, type UpgradeTimings } from '../upgrade/upgrade-service';
import { djiNote } from '../protocols/dji-event';
import { hashEventId } from '../protocols/event-id';
import { createHttpIngest } from '../ingest/http-ingest';
import { attachMqttIngest, DEFAULT_CAROTA_TOPIC } from '../ingest/mqtt-ingest';
import type { IngestSink } from '../ingest/ingest-sink';
import { AppJournal, skippedNote, tailNotes } from './app-journal';
import { CampaignIndex } from '../campaigns/campaign-index';
import { importFile } from '../ingest/file-import';
import { ExportRunner } from './export-runner';
import { DemoMode } from './demo-mode';
import { NotedOnce } from './noted-once';
import { capEventSize } from '../journal/event-size-cap';

/** Distinct (gateway, kind, method) triples of ignored DJI methods remembered, each noted once. */
export const MAX_NOTED_METHODS = 1000;

export interface AppCoreOptions {
  dataDir: string;
  /** Absent: run the embedded broker (first start, `dockside web` without --broker). */
  brokerUrl?: string;
  host: 'electron' | 'web';
  /** Address the docks download firmware from; default: this machine's address on the route to the broker. */
  serveHost?: string;
  servePort?: number;
  timings?: Partial<UpgradeTimings>;
  /**
   * Connect at once (default): to brokerUrl, retrying in the background; else the desktop app returns to
   * the broker it last used, and the web host (whose contract is "no --broker: the embedded broker")
   * starts the embedded one.
   */
  connectOnStart?: boolean;
  /** Rebuild devices, firmware and upgrades from the journal (default); the CLI only appends. */
  restore?: boolean;
  /** Vehicle ingest over MQTT: Astarte realm ('+' any) and the CarOTA topic filter. */
  astarteRealm?: string;
  carotaTopic?: string;
  /** HTTP ingest requires `Authorization: Bearer <token>` when set (the host sets it beyond loopback). */
  ingestToken?: string;
}

export interface AppCore extends ApiBackend {
  readonly catalogue: FirmwareCatalogue;
  readonly upgrades: UpgradeService;
  readonly registry: DeviceRegistry;
  readonly gateway: GatewayClient;
  readonly journal: AppJournal;
  /** Where decoded vehicle events and refused payloads go: the journal, then the 'event' stream. */
  readonly ingest: IngestSink;
  /** Connects (or starts the embedded broker); rejects with a one-line reason when the first attempt fails. */
  connect(settings?: ConnectionSettings, failFast?: boolean): Promise<ConnectionStatus>;
  /** Ingest and upload routes of the web host and the desktop app's server; false when not ours. */
  httpHandler(req: IncomingMessage, res: ServerResponse): boolean;
  /** The file server, started on first use so it binds the address the dock can reach. */
  fileServer(): Promise<FileServer>;
  /** The host's own HTTP address, once it listens: demo vehicles post their events there. */
  setHttpUrl(url: string): void;
  close(): Promise<void>;
}

const PACKAGE_VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

/** One MQTT session per laptop and data folder: the broker keeps it, and what we had not acknowledged, across drops. */
function stableClientId(dataDir: string): string {
  const host = hostname().replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24) || 'laptop';
  return `dockside-${host}-${createHash('sha1').update(dataDir).digest('hex').slice(0, 8)}`;
}

function brokerHost(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  } catch {
    return '127.0.0.1';
  }
}

export async function createAppCore(opts: AppCoreOptions): Promise<AppCore> {
  const listeners = new Set<StreamListener>();
  const push = <S extends StreamName>(stream: S, payload: StreamPayload<S>) => {
    for (const l of listeners) l(stream, payload);
  };

  const journal = await AppJournal.open(opts.dataDir);
  const gateway = new GatewayClient({ beforeAck: () => journal.settled(), clientId: stableClientId(opts.dataDir) });
  const registry = new DeviceRegistry();
  const catalogue = new FirmwareCatalogue();
  let embedded: EmbeddedBroker | null = null;
  let server: FileServer | null = null;
  let serverStarting: Promise<FileServer> | null = null;

  const ensureFileServer = async (): Promise<FileServer> => {
    if (server) return server;
    serverStarting ??= (async () => {
      const host = opts.serveHost ?? (await addressTowards(brokerHost(gateway.status.url || '127.0.0.1')));
      server = await startFileServer({ host, port: opts.servePort ?? 0, catalogue });
      return server;
    })();
    try {
      return await serverStarting;
    } finally {
      serverStarting = null;
    }
  };

  const upgrades = new UpgradeService(
    {
      callService: (gw, method, data, timeoutMs, o) => gateway.callService(gw, method, data, timeoutMs, o),
      firmware: (id) => {
        const e = catalogue.get(id);
        return e && { ...e, ...(isReady(e) ? {} : { hashing: e.hashing ?? true }) };
      },
      urlFor: (firmwareId, device) => {
        if (!server) throw new Error('the firmware file server is not running');
        return server.urlFor(firmwareId, device);
      },
      served: () => {
        const devices = server?.served().devices;
        return (firmwareId, device) => {
          const d = devices?.[device];
          return { bytes: d?.entries[firmwareId] ?? 0, speed: d?.bytesPerSecond ?? 0 };
        };
      },
      device: (sn) => registry.get(sn),
    },
    opts.timings,
  );

  // Journal first, then the renderer: what the technician sees is already on disk or about to be.
  const campaigns = new CampaignIndex();
  let flushScheduled = false;
  const flushCampaigns = () => {
    flushScheduled = false;
    const changed = campaigns.drainChanges();
    for (const v of changed.vehicles) push('vehicle', v);
    for (const c of changed.campaigns) push('campaign', c);
  };
  const index = (e: UpgradeEvent) => {
    if (campaigns.add(e) && !flushScheduled) {
      flushScheduled = true;
      setImmediate(flushCampaigns);
    }
  };
  const recordEvents = (received: UpgradeEvent[]): Promise<void> => {
    const events = received.map(capEventSize);
    const durable = journal.events(events);
    for (const e of events) {
      push('event', e);
      index(e);
    }
    return durable;
  };
  const recordEvent = (e: UpgradeEvent) => {
    recordEvents([e]).catch(() => undefined);
  };

  // A torn tail set aside on open is said where the technician looks: stderr and the Log.
  const { recovery } = journal.journal;
  const notes = tailNotes(recovery);
  recovery.tails.forEach((tail, i) => {
    const note = notes[i]!;
    process.stderr.write(`dockside: ${note}\n`);
    recordEvent(djiNote({ device: '', campaign: '', phase: 'queued', state: 'failed', percent: null, message: note, raw: tail }));
  });
  const skipped = skippedNote(recovery);
  if (skipped) process.stderr.write(`dockside: ${skipped}\n`);

  const ingest: IngestSink = {
    accept: (events) => recordEvents(events),
    reject: (error, origin) => {
      const time = new Date().toISOString();
      return recordEvents([
        {
          id: hashEventId(error.protocol, origin, error.raw, time),
          time,
          source: error.protocol,
          device: '',
          campaign: '',
          phase: 'queued',
          state: 'failed',
          percent: null,
          message: `refused ${error.protocol} payload from ${origin}: ${error.reason}`,
          raw: error.raw,
        },
      ]);
    },
  };
  const httpIngest = createHttpIngest(ingest, opts.ingestToken === undefined ? {} : { bearerToken: opts.ingestToken });
  const exports = new ExportRunner(opts.dataDir, journal.journal, (p) => push('exportProgress', p));
  const demo = new DemoMode(opts.dataDir, opts.ingestToken);
  let httpUrl: string | undefined;
  let detachMqttIngest: (() => void) | null = null;
  gateway.on('client', (client) => {
    detachMqttIngest?.();
    // The gateway client holds every PUBACK until the journal has the message's events (ack-gate.ts).
    detachMqttIngest = attachMqttIngest(client, ingest, { astarteRealm: opts.astarteRealm ?? '+', carotaTopic: opts.carotaTopic ?? DEFAULT_CAROTA_TOPIC, holdPump: false }).detach;
  });

  gateway.on('status', (s) => push('connection', { ...s, ...(embedded ? { embeddedBrokerUrl: embedded.url } : {}) }));
  // Docks send many event methods (hms, flighttask_progress, …) that are not ours: say so once per
  // gateway and method, so an unexpected one is visible without flooding the log; the memory is bounded.
  const ignoredMethods = new NotedOnce(MAX_NOTED_METHODS);
  gateway.on('message', (m) => {
    registry.handle(m);
    upgrades.handle(m);
    if ((m.kind === 'events' && m.envelope.method !== 'ota_progress') || (m.kind === 'status' && m.envelope.method !== 'update_topo')) {
      const decision = ignoredMethods.decide(`${m.sn}|${m.kind}|${m.envelope.method}`);
      if (decision === 'note') {
        recordEvent(djiNote({ device: m.sn, campaign: m.envelope.tid, phase: 'queued', state: 'pending', percent: null, message: `ignored ${m.kind} method "${m.envelope.method}" from ${m.sn} (not part of a firmware upgrade; shown once)`, raw: m.envelope }));
      } else if (decision === 'overflow') {
        recordEvent(djiNote({ device: m.sn, campaign: m.envelope.tid, phase: 'queued', state: 'failed', percent: null, message: `more than ${MAX_NOTED_METHODS} different ignored methods: new ones are no longer noted (the latest from ${m.sn})`, raw: m.envelope }));
      }
    }
  });
  gateway.on('malformed', ({ topic, error }) =>
    recordEvent(djiNote({ device: topic.split('/')[2] ?? '', campaign: '', phase: 'queued', state: 'failed', percent: null, message: `malformed message on ${topic}: ${error.reason}`, raw: error.text })),
  );
  gateway.on('unmatched', ({ topic, envelope }) =>
    recordEvent(djiNote({ device: topic.split('/')[2] ?? '', campaign: envelope.tid, phase: 'queued', state: 'failed', percent: null, message: `services_reply with unknown tid ${envelope.tid} (method ${envelope.method}) ignored`, raw: envelope })),
  );
  const quietly = (p: Promise<void> | undefined) => void p?.catch(() => undefined);
  registry.on('device', (d) => {
    quietly(journal.device(d));
    push('device', d);
  });
  registry.startSweeping();
  catalogue.on('changed', (info, entry) => {
    quietly(journal.firmware(entry));
    push('firmware', info);
  });
  catalogue.on('removed', (id) => {
    quietly(journal.firmwareRemoved(id));
    push('firmwareRemoved', { id });
  });
  upgrades.on('upgrade', (row) => {
    quietly(journal.upgrade(row));
    push('upgrade', row);
  });
  upgrades.on('batch', (b) => push('batch', b));
  upgrades.on('event', recordEvent);

  const status = (): ConnectionStatus => ({ ...gateway.status, ...(embedded ? { embeddedBrokerUrl: embedded.url } : {}) });

  const useEmbedded = async (): Promise<ConnectionStatus> => {
    embedded ??= await startEmbeddedBroker({ host: '0.0.0.0', port: 1883, fallbackToFreePort: true });
    await gateway.connect({ url: embedded.url });
    return status();
  };

  const connect = async (given?: ConnectionSettings, failFast = true): Promise<ConnectionStatus> => {
    if (!given) return useEmbedded();
    // A password in the URL becomes the password field: never shown, returned or remembered.
    const settings = takeUserinfo(given);
    await gateway.connect(settings, { failFast });
    // Remembered for the next start; the password is not written to disk.
    const { password: _password, ...remembered } = settings;
    quietly(journal.settings({ connection: remembered }));
    return status();
  };

  let saved: ConnectionSettings | undefined;
  if (opts.restore !== false) {
    const state = await journal.restore();
    registry.restore(state.devices);
    await catalogue.restore(state.firmware);
    upgrades.restore(state.upgrades);
    saved = state.settings.connection;
    for await (const batch of journal.journal.replayBatches({ kinds: ['event'] })) {
      for (const r of batch) campaigns.add((r as { event: UpgradeEvent }).event);
    }
    campaigns.drainChanges();
  }
  const startWith = opts.brokerUrl ? { url: opts.brokerUrl } : opts.host === 'electron' ? saved : undefined;
  if (opts.connectOnStart !== false) await connect(startWith, false);

  async function handle<N extends CallName>(name: N, req: CallRequest<N>): Promise<CallResponse<N>> {
    const r = req as Record<string, unknown>;
    switch (name) {
      case 'app.info':
        return { name: 'Dockside', version: PACKAGE_VERSION, apiVersion: API_VERSION, host: opts.host, dataDir: opts.dataDir } as CallResponse<N>;
      case 'connection.get':
        return status() as CallResponse<N>;
      case 'connection.connect':
        try {
          return (await connect(req as ConnectionSettings)) as CallResponse<N>;
        } catch (e) {
          throw new ApiError('unavailable', (e as Error).message);
        }
      case 'connection.useEmbedded':
        return (await useEmbedded()) as CallResponse<N>;
      case 'connection.disconnect':
        await gateway.disconnect();
        return status() as CallResponse<N>;
      case 'devices.list':
        return registry.list() as CallResponse<N>;
      case 'firmware.list':
        return catalogue.list().map(toInfo) as CallResponse<N>;
      case 'firmware.addPath':
        try {
          if ((await stat(String(r.path))).size === 0) throw new Error(`${basename(String(r.path))} is empty: nothing to send to a dock`);
          const entry = await catalogue.add(String(r.path), r.version ? { version: String(r.version) } : {});
          return toInfo(entry) as CallResponse<N>;
        } catch (e) {
          throw new ApiError('bad-request', (e as Error).message);
        }
      case 'firmware.setVersion': {
        const entry = catalogue.setVersion(String(r.id), String(r.version));
        if (!entry) throw new ApiError('not-found', `no firmware ${String(r.id)}`);
        return toInfo(entry) as CallResponse<N>;
      }
      case 'firmware.remove':
        if (upgrades.list().some((row) => row.firmwareId === r.id && !DJI_TERMINAL_STATUSES.has(row.status))) {
          throw new ApiError('conflict', 'this firmware is being used by an upgrade in progress');
        }
        if (!catalogue.remove(String(r.id))) throw new ApiError('not-found', `no firmware ${String(r.id)}`);
        return { ok: true } as CallResponse<N>;
      case 'upgrade.start': {
        await ensureFileServer();
        try {
          const start = req as CallRequest<'upgrade.start'>;
          return upgrades.start({ firmwareId: start.firmwareId, devices: start.devices, type: start.type }) as CallResponse<N>;
        } catch (e) {
          if (e instanceof UpgradeRefusedError) throw new ApiError('conflict', e.message);
          throw e;
        }
      }
      case 'upgrade.cancel':
      case 'upgrade.retry':
        try {
          if (name === 'upgrade.retry') await ensureFileServer();
          return (name === 'upgrade.cancel' ? upgrades.cancel(String(r.key)) : upgrades.retry(String(r.key))) as CallResponse<N>;
        } catch (e) {
          if (e instanceof UpgradeRefusedError) throw new ApiError('conflict', e.message);
          throw e;
        }
      case 'upgrade.list':
        return upgrades.list() as CallResponse<N>;
      case 'vehicles.list':
        return { vehicles: campaigns.vehiclesList(), campaigns: campaigns.campaignsList() } as CallResponse<N>;
      case 'log.query': {
        const q = req as CallRequest<'log.query'>;
        return (await journal.journal.query({ ...q, order: q.order ?? 'desc', offset: q.offset ?? 0, limit: q.limit ?? 200 })) as CallResponse<N>;
      }
      case 'export.start':
        return { exportId: exports.start(req as CallRequest<'export.start'>) } as CallResponse<N>;
      case 'ingest.importPath':
        try {
          const imp = req as CallRequest<'ingest.importPath'>;
          return (await importFile(imp.path, ingest, { ...(imp.protocol ? { protocol: imp.protocol } : {}), ...(imp.device ? { device: imp.device } : {}) })) as CallResponse<N>;
        } catch (e) {
          throw new ApiError('bad-request', (e as Error).message);
        }
      case 'demo.start': {
        if (!embedded || gateway.status.url !== embedded.url) await useEmbedded();
        await catalogue.add(demo.firmwareFile());
        return (await demo.start(embedded!.url, httpUrl)) as CallResponse<N>;
      }
      case 'demo.status':
        return demo.status() as CallResponse<N>;
      case 'demo.stop':
        await demo.stop();
        return { ok: true } as CallResponse<N>;
      default:
        throw new ApiError('not-found', `unknown call ${String(name)}`);
    }
  }

  return {
    catalogue,
    upgrades,
    registry,
    gateway,
    journal,
    ingest,
    connect,
    handle,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    httpHandler: (req, res) => httpIngest(req, res) || exports.handle(req, res),
    setHttpUrl(url) {
      httpUrl = url;
    },
    fileServer: ensureFileServer,
    async close() {
      await demo.stop();
      upgrades.close();
      registry.stop();
      detachMqttIngest?.();
      await gateway.disconnect();
      await journal.close();
      await server?.close();
      await embedded?.close();
      listeners.clear();
    },
  };
}
