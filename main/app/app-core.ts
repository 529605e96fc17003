// The core both hosts and the CLI run: gateway connection, devices, firmware catalogue and file server,
// upgrades, and the stream of UpgradeEvents. It implements the preload contract (ApiBackend).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { CallName, CallRequest, CallResponse, ConnectionSettings, ConnectionStatus, DjiLicence, StreamName, StreamPayload, UpgradeEvent } from '../../preload/api';
import { API_VERSION } from '../../preload/api';
import type { ApiErrorCode, CallHandlers } from '../../preload/transport';
import { DJI_TERMINAL_STATUSES } from '../../preload/dji-codes';
import { DeviceRegistry, MAX_UNANNOUNCED_DEVICES } from '../gateway/device-registry';
import { GatewayClient } from '../gateway/gateway-client';
import { takeUserinfo } from '../../wire/broker-url';
import { FirmwareCatalogue, isReady, toInfo } from '../firmware/catalogue';
import { createFileServer, type FileServer } from '../firmware/file-server';
import { FileGrants, GRANT_GRACE_MS } from '../firmware/file-grants';
import { serveAddressFor } from '../firmware/serve-address';
import { ApiError, type ApiBackend, type StreamListener } from '../host/backend';
import { UpgradeRefusedError, UpgradeService, type UpgradeTimings } from '../upgrade/upgrade-service';
import { djiNote } from '../protocols/dji-event';
import { hashEventId } from '../protocols/event-id';
import { createHttpIngest } from '../ingest/http-ingest';
import { attachMqttIngest, edgehogTopicFilter } from '../ingest/mqtt-ingest';
import { DEFAULT_CAROTA_TOPIC } from '../../wire/vehicles';
import type { IngestSink } from '../ingest/ingest-sink';
import { AppJournal, skippedNote, tailNotes, type SavedSettings } from './app-journal';
import { CampaignIndex } from '../campaigns/campaign-index';
import { importFile } from '../ingest/file-import';
import { ExportRunner } from './export-runner';
import { createLogger, type Logger } from '../log/logger';
import { DeviceHistory } from '../journal/device-history';
import { ensureDataDir } from '../journal/data-dir';
import { DemoMode } from './demo-mode';
import { NotedOnce } from './noted-once';
import { capEventSize } from '../journal/event-size-cap';

/** Distinct (gateway, kind, method) triples of ignored DJI methods remembered, each noted once. */
export const MAX_NOTED_METHODS = 1000;
import { BuiltInCloud } from './built-in-cloud';

export interface AppCoreOptions {
  /** Where structured logs go; default: a rotating file in the data folder's logs/. */
  logger?: Logger;
  dataDir: string;
  /** Absent: run the embedded broker (first start, `dockside web` without --broker). */
  brokerUrl?: string;
  host: 'electron' | 'web';
  /**
   * Address the docks download firmware from (--serve-host); default: the technician's setting, else
   * chosen per dock (our address on its subnet with the built-in broker, on the route to a site broker).
   */
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
  /** The DJI Cloud API licence given by the host (flags, environment); kept in the data folder like one entered in the window. */
  djiLicence?: DjiLicence;
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
  connect: (settings?: ConnectionSettings, failFast?: boolean) => Promise<ConnectionStatus>;
  /** Ingest and upload routes of the web host and the desktop app's server; false when not ours. */
  httpHandler: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** The file server; it listens on an address once a dock is sent a URL there. */
  readonly files: FileServer;
  /** The host's own HTTP address, once it listens: demo vehicles post their events there. */
  setHttpUrl: (url: string) => void;
  close: () => Promise<void>;
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
  const host =
    hostname()
      .replace(/[^A-Za-z0-9_-]/g, '')
      .slice(0, 24) || 'laptop';
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

  // The log lives inside the data folder: a data folder that cannot be one must be said before the log is made.
  ensureDataDir(opts.dataDir);
  const ownLog = opts.logger ? undefined : createLogger({ dataDir: opts.dataDir });
  const log: Logger = opts.logger ?? ownLog!;
  const journal = await AppJournal.open(opts.dataDir);
  journal.onHealth((h) => {
    if (h.state === 'failing') log.error({ reason: h.reason }, 'journal failing: what happens is not being saved');
    else log.info('journal writing again');
    push('journal', h);
  });
  const gateway = new GatewayClient({ beforeAck: () => journal.settled(), clientId: stableClientId(opts.dataDir) });
  const registry = new DeviceRegistry();
  const catalogue = new FirmwareCatalogue();
  const quietly = (p: Promise<void> | undefined) => void p?.catch(() => undefined);
  const restored = opts.restore !== false ? await journal.restore() : undefined;
  let settings: SavedSettings = restored?.settings ?? {};
  const remember = (patch: SavedSettings) => {
    settings = { ...settings, ...patch };
    quietly(journal.settings(patch));
  };
  const grants = new FileGrants((g) => quietly(journal.grant(g)));
  if (restored) grants.restore(restored.grants, Date.now());
  // URLs sent before a restart keep working: listen again on the addresses they name (port remembered).
  const sentOn = new Set(grants.list().flatMap((g) => (g.host ? [g.host] : [])));
  const files = createFileServer({ catalogue, grants, ...(settings.fileServerPort ? { port: settings.fileServerPort } : {}), ...(opts.servePort ? { port: opts.servePort } : {}) });
  files.on('listening', (_host, port) => {
    if (settings.fileServerPort !== port) remember({ fileServerPort: port });
  });
  for (const host of sentOn) {
    await files.listen(host).catch((e: Error) => log.warn({ host, error: e.message }, `the file server cannot listen on ${host} again: URLs sent there before the restart no longer work`));
  }

  // Assigned below, once the journal's event path exists: refused clients and joins are logged.
  let cloud!: BuiltInCloud;
  const usingEmbedded = () => cloud.inUse();
  const fileUrl = async (req: { firmwareId: string; device: string; gateway: string; task: string }): Promise<string> => {
    const override = opts.serveHost ?? (settings.serveHost || undefined);
    const host = await serveAddressFor({
      gateway: req.gateway,
      ...(override ? { override } : {}),
      embedded: usingEmbedded(),
      ...(usingEmbedded() ? { dockAddress: cloud.embedded!.dockAddress(req.gateway) } : {}),
      brokerHost: brokerHost(gateway.status.url || '127.0.0.1'),
    });
    return files.urlFor(grants.grant(req.firmwareId, req.device, req.task), host);
  };

  const upgrades = new UpgradeService(
    {
      publish: (gw, envelope) => gateway.sendService(gw, envelope),
      firmware: (id) => {
        const e = catalogue.get(id);
        return e && { ...e, ...(isReady(e) ? {} : { hashing: e.hashing ?? true }) };
      },
      fileUrl,
      endFiles: (task) => grants.expireTask(task, Date.now() + GRANT_GRACE_MS),
      renewFiles: (task) => grants.renewTask(task),
      served: () => {
        const stats = files.served().grants;
        const byTaskDevice = new Map(grants.list().map((g) => [`${g.task}\n${g.device}`, stats[g.token]]));
        return (task, device) => {
          const g = byTaskDevice.get(`${task}\n${device}`);
          return { bytes: g?.bytes ?? 0, speed: g?.bytesPerSecond ?? 0, seconds: g?.activeSeconds ?? 0 };
        };
      },
      device: (sn) => registry.get(sn),
      telemetry: (sn) => registry.telemetry(sn),
    },
    opts.timings,
    undefined,
    log,
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
  const astarteRealm = opts.astarteRealm ?? '+';
  const carotaTopic = opts.carotaTopic ?? DEFAULT_CAROTA_TOPIC;
  cloud = new BuiltInCloud({
    dataDir: opts.dataDir,
    gateway,
    ingestFilters: [edgehogTopicFilter(astarteRealm), carotaTopic],
    ...(opts.djiLicence ? { licence: opts.djiLicence } : {}),
    record: recordEvent,
    changed: () =>
      void cloud.view().then(
        (v) => push('dockAccess', v),
        () => undefined,
      ),
  });
  const exports = new ExportRunner(opts.dataDir, journal.journal, (p) => push('exportProgress', p));
  const demo = new DemoMode(opts.dataDir, opts.ingestToken);
  let httpUrl: string | undefined;
  let detachMqttIngest: (() => void) | null = null;
  gateway.on('client', (client) => {
    detachMqttIngest?.();
    // The gateway client holds every PUBACK until the journal has the message's events (ack-gate.ts).
    detachMqttIngest = attachMqttIngest(client, ingest, { astarteRealm, carotaTopic, holdPump: false }).detach;
  });

  gateway.on('status', () => {
    push('connection', status());
    void cloud.view().then(
      (v) => push('dockAccess', v),
      () => undefined,
    );
  });
  // Docks send many event methods (flighttask_progress, …) that are not ours: say so once per
  // gateway and method, so an unexpected one is visible without flooding the log; the memory is bounded.
  const ignoredMethods = new NotedOnce(MAX_NOTED_METHODS);
  const OURS: Record<string, readonly string[]> = { events: ['ota_progress', 'hms'], status: ['update_topo'] };
  gateway.on('message', (m) => {
    registry.handle(m);
    upgrades.handle(m);
    if (OURS[m.kind] && !OURS[m.kind]!.includes(m.envelope.method)) {
      const decision = ignoredMethods.decide(`${m.sn}|${m.kind}|${m.envelope.method}`);
      if (decision === 'note') {
        recordEvent(
          djiNote({
            device: m.sn,
            campaign: m.envelope.tid,
            phase: 'queued',
            state: 'pending',
            percent: null,
            message: `ignored ${m.kind} method "${m.envelope.method}" from ${m.sn} (not part of a firmware upgrade; shown once)`,
            raw: m.envelope,
          }),
        );
      } else if (decision === 'overflow') {
        recordEvent(
          djiNote({
            device: m.sn,
            campaign: m.envelope.tid,
            phase: 'queued',
            state: 'failed',
            percent: null,
            message: `more than ${MAX_NOTED_METHODS} different ignored methods: new ones are no longer noted (the latest from ${m.sn})`,
            raw: m.envelope,
          }),
        );
      }
    }
  });
  gateway.on('status', (st) => log.info({ state: st.state, url: st.url, ...(st.error ? { error: st.error } : {}) }, `broker ${st.state}`));
  files.on('error', (e) => log.warn({ device: e.device, firmware: e.entryId }, e.message));
  gateway.on('malformed', ({ topic, error }) =>
    recordEvent(
      djiNote({ device: topic.split('/')[2] ?? '', campaign: '', phase: 'queued', state: 'failed', percent: null, message: `malformed message on ${topic}: ${error.reason}`, raw: error.text }),
    ),
  );
  registry.on('device', (d) => {
    quietly(journal.device(d));
    push('device', d);
  });
  registry.on('overflow', (sn) =>
    recordEvent(
      djiNote({
        device: sn,
        campaign: '',
        phase: 'queued',
        state: 'failed',
        percent: null,
        message: `more than ${MAX_UNANNOUNCED_DEVICES} devices reported without any dock's topology naming them: ${sn} and later ones are not tracked`,
        raw: null,
      }),
    ),
  );
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
  upgrades.on('plan', (batchId, rollout) => quietly(journal.batchPlan(batchId, rollout)));
  upgrades.on('event', recordEvent);

  const status = (): ConnectionStatus => ({
    ...gateway.status,
    ...(cloud.embedded ? { embeddedBrokerUrl: cloud.embedded.url, dockUrls: cloud.embedded.lanUrls() } : {}),
    ...((opts.serveHost ?? settings.serveHost) ? { serveHost: opts.serveHost ?? settings.serveHost } : {}),
  });

  const useEmbedded = async (): Promise<ConnectionStatus> => {
    await cloud.start();
    await gateway.connect(cloud.connection());
    return status();
  };

  const connect = async (given?: ConnectionSettings, failFast = true): Promise<ConnectionStatus> => {
    if (!given) return useEmbedded();
    // A password in the URL becomes the password field: never shown, returned or remembered.
    const cleaned = takeUserinfo(given);
    await gateway.connect(cleaned, { failFast });
    // Remembered for the next start; the password is not written to disk.
    const { password: _password, ...connection } = cleaned;
    remember({ connection });
    return status();
  };

  if (restored) {
    registry.restore(restored.devices);
    await catalogue.restore(restored.firmware);
    upgrades.restore(restored.upgrades, restored.plans);
    for await (const batch of journal.journal.replayBatches({ kinds: ['event'] })) {
      for (const r of batch) campaigns.add((r as { event: UpgradeEvent }).event);
    }
    campaigns.drainChanges();
  }
  const startWith = opts.brokerUrl ? { url: opts.brokerUrl } : opts.host === 'electron' ? settings.connection : undefined;
  if (opts.connectOnStart !== false) await connect(startWith, false);

  /** The window names one file and, optionally, a file per device. */
  const planOf = (req: CallRequest<'upgrade.plan'>) => {
    const byDevice = new Map((req.packages ?? []).map((p) => [p.sn, p.firmwareId]));
    return { devices: req.devices.map((sn) => ({ sn, firmwareId: byDevice.get(sn) ?? req.firmwareId })), type: req.type };
  };
  /** A failure of `act` reaches the window as `code`, with its own words; an ApiError keeps its own code. */
  const failingAs = async <T>(code: ApiErrorCode, act: () => T | Promise<T>): Promise<T> => {
    try {
      return await act();
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw new ApiError(code, (e as Error).message);
    }
  };
  /** The upgrade service refuses in its own words (a row not retryable, say): a conflict for the window. */
  const refusedAsConflict = <T>(act: () => T): T => {
    try {
      return act();
    } catch (e) {
      if (e instanceof UpgradeRefusedError) throw new ApiError('conflict', e.message);
      throw e;
    }
  };
  const dockAccess = async (change: () => unknown) => {
    await failingAs('bad-request', change);
    return cloud.view();
  };
  const noFirmware = (id: string): never => {
    throw new ApiError('not-found', `no firmware ${id}`);
  };

  // One handler per call of the contract: a call added to CALLS and not answered here does not compile.
  const handlers = {
    'app.info': () => ({ name: 'Dockside', version: PACKAGE_VERSION, apiVersion: API_VERSION, host: opts.host, dataDir: opts.dataDir }),
    'journal.health': () => journal.health,
    'connection.get': () => status(),
    'connection.connect': (req) => failingAs('unavailable', () => connect(req)),
    'connection.useEmbedded': () => useEmbedded(),
    'connection.disconnect': async () => {
      await gateway.disconnect();
      return status();
    },
    'connection.setServeHost': (req) => {
      remember({ serveHost: req.host.trim() });
      push('connection', status());
      return status();
    },
    'devices.list': () => registry.list(),
    'devices.history': async (req) => {
      const history = new DeviceHistory(req.sn);
      for await (const batch of journal.journal.replayBatches({ kinds: ['upgrade'] })) for (const rec of batch) history.add((rec as Record<string, unknown>).upgrade);
      return history.entries();
    },
    'firmware.list': () => catalogue.list().map(toInfo),
    'firmware.addPath': (req) =>
      failingAs('bad-request', async () => {
        if ((await stat(req.path)).size === 0) throw new Error(`${basename(req.path)} is empty: nothing to send to a dock`);
        return toInfo(await catalogue.add(req.path, req.version ? { version: req.version } : {}));
      }),
    'firmware.setVersion': (req) => toInfo(catalogue.setVersion(req.id, req.version) ?? noFirmware(req.id)),
    'firmware.remove': (req) => {
      if (upgrades.list().some((row) => row.firmwareId === req.id && !DJI_TERMINAL_STATUSES.has(row.status))) {
        throw new ApiError('conflict', 'this firmware is being used by an upgrade in progress');
      }
      if (!catalogue.remove(req.id)) noFirmware(req.id);
      return { ok: true as const };
    },
    'upgrade.plan': (req) => ({ devices: upgrades.plan(planOf(req)) }),
    'upgrade.start': (req) =>
      refusedAsConflict(() =>
        upgrades.start({
          ...planOf(req),
          failedGates: 'hold',
          ...(req.force ? { force: req.force } : {}),
          ...(req.rollout ? { rollout: req.rollout } : {}),
          ...(req.site ? { site: req.site } : {}),
          ...(req.technician ? { technician: req.technician } : {}),
        }),
      ),
    'upgrade.cancel': (req) => refusedAsConflict(() => upgrades.cancel(req.key)),
    'upgrade.retry': (req) => refusedAsConflict(() => upgrades.retry(req.key)),
    'upgrade.release': (req) => refusedAsConflict(() => upgrades.release(req.key, req.force === true)),
    'upgrade.list': () => upgrades.list(),
    'vehicles.list': () => ({ vehicles: campaigns.vehiclesList(), campaigns: campaigns.campaignsList() }),
    'log.query': (req) => journal.journal.query({ ...req, order: req.order ?? 'desc', offset: req.offset ?? 0, limit: req.limit ?? 200 }),
    'export.start': (req) => ({ exportId: exports.start(req) }),
    'ingest.importPath': (req) => failingAs('bad-request', () => importFile(req.path, ingest, { ...(req.protocol ? { protocol: req.protocol } : {}), ...(req.device ? { device: req.device } : {}) })),
    'demo.start': async () => {
      if (!usingEmbedded()) await useEmbedded();
      for (const file of demo.firmwareFiles()) await catalogue.add(file);
      const { dockLogin, ingestLogin } = cloud.access.current;
      return demo.start({ url: cloud.embedded!.url, dock: dockLogin, ingest: ingestLogin }, httpUrl);
    },
    'demo.status': () => demo.status(),
    'demo.stop': async () => {
      await demo.stop();
      return { ok: true as const };
    },
    'dockAccess.get': () => cloud.view(),
    'dockAccess.regenerateLogin': (req) => dockAccess(() => cloud.regenerateLogin(req.account)),
    'dockAccess.setLogin': (req) => dockAccess(() => cloud.setLogin(req)),
    'dockAccess.setLicence': (req) => dockAccess(() => cloud.setLicence(req)),
    'dockAccess.setOrganisation': (req) => dockAccess(() => cloud.setOrganisation(req.name)),
    'dockAccess.setNtpHost': (req) => dockAccess(() => cloud.setNtpHost(req.host)),
    'dockAccess.setBind': (req) => dockAccess(() => cloud.setBind(req.bind)),
    'dockAccess.setTls': (req) => dockAccess(() => cloud.setTls(req)),
  } satisfies CallHandlers;

  async function handle<N extends CallName>(name: N, req: CallRequest<N>): Promise<CallResponse<N>> {
    if (!Object.hasOwn(handlers, name)) throw new ApiError('not-found', `unknown call ${String(name)}`);
    const table: CallHandlers = handlers;
    const answer: CallHandlers[N] = table[name];
    return answer(req);
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
    files,
    async close() {
      await demo.stop();
      upgrades.close();
      registry.stop();
      detachMqttIngest?.();
      await gateway.disconnect();
      await journal.close();
      await files.close();
      await cloud.stop();
      listeners.clear();
      await ownLog?.flushAndClose();
    },
  };
}
