// THE contract between main and renderer. Types and schemas only: no Node, no DOM, no Electron.
// Both hosts (Electron IPC in main/host/ipc.ts, WebSocket in main/host/ws.ts) are generated from
// `CALLS` and `STREAMS` below, and every message crossing the boundary is validated against them.
import { z } from 'zod';
import { GateCheckSchema } from './upgrade-gates';

export const API_VERSION = 1;

export const SOURCES = ['dji', 'aktualizr', 'carota', 'edgehog', 'oem'] as const;
export const PHASES = ['queued', 'consent', 'download', 'verify', 'install', 'activate', 'reboot', 'done'] as const;
export const STATES = ['pending', 'running', 'succeeded', 'failed', 'canceled', 'paused'] as const;

export const SourceSchema = z.enum(SOURCES);
export const PhaseSchema = z.enum(PHASES);
export const StateSchema = z.enum(STATES);
export type Source = z.infer<typeof SourceSchema>;
export type Phase = z.infer<typeof PhaseSchema>;
export type State = z.infer<typeof StateSchema>;

/** The one normalised event that flows everywhere: decoders, journal, UI, exports. */
export const UpgradeEventSchema = z.object({
  id: z.string().min(1),
  /** ISO 8601, the device's own timestamp where the payload has one. */
  time: z.string(),
  source: SourceSchema,
  device: z.string(),
  /** DJI ota_create tid, aktualizr correlationId, CarOTA correlation_id, Edgehog requestUUID, OEM attemptId. */
  campaign: z.string(),
  phase: PhaseSchema,
  state: StateSchema,
  /** 0–100, or null where the protocol does not say. */
  percent: z.number().min(0).max(100).nullable(),
  /** The protocol's own status text / code, plus a readable explanation. */
  message: z.string(),
  /** The one original message or array element this event came from. */
  raw: z.unknown(),
});
export type UpgradeEvent = z.infer<typeof UpgradeEventSchema>;

export const FIELD_ORDER = ['id', 'time', 'source', 'device', 'campaign', 'phase', 'state', 'percent', 'message', 'raw'] as const;

// ---- Domain views that cross the boundary -------------------------------------------------------

export const ConnectionSettingsSchema = z.object({
  url: z.string().regex(/^(mqtts?|wss?|tcp):\/\/[^\s/]+/, 'must be an mqtt://, mqtts://, ws:// or wss:// URL with a host'),
  clientId: z.string().max(128).optional(),
  username: z.string().max(256).optional(),
  password: z.string().max(256).optional(),
  /** For mqtts:// and wss://: accept a self-signed broker certificate only when the technician says so. */
  rejectUnauthorized: z.boolean().optional(),
  caPem: z.string().max(65536).optional(),
});
export type ConnectionSettings = z.infer<typeof ConnectionSettingsSchema>;

export const ConnectionStatusSchema = z.object({
  state: z.enum(['disconnected', 'connecting', 'connected', 'reconnecting', 'error']),
  url: z.string(),
  clientId: z.string(),
  error: z.string().optional(),
  since: z.string(),
  /** Set when the app runs its own broker (first start, demo mode, `dockside web` without --broker). */
  embeddedBrokerUrl: z.string().optional(),
  /** The embedded broker on each of this laptop's LAN addresses: what a dock at the site is pointed at. */
  dockUrls: z.array(z.string()).optional(),
  /** The address docks download firmware from, when the technician set one; absent: chosen per dock. */
  serveHost: z.string().optional(),
});
export type ConnectionStatus = z.infer<typeof ConnectionStatusSchema>;

/** What a device last reported about itself (osd, state): what decides whether an upgrade can start. */
export const DeviceTelemetrySchema = z.object({
  /** Dock: 0 idle, 1 on-site debugging, 2 remote debugging, 3 upgrading, 4 working; aircraft: 13 upgrading, 14 not connected. */
  modeCode: z.number().int().optional(),
  /** 0 not upgrading, 1 upgrading. */
  firmwareUpgradeStatus: z.number().int().optional(),
  /** 1: the device asks for a consistency upgrade. */
  compatibleStatus: z.number().int().optional(),
  droneInDock: z.number().int().optional(),
  /** The aircraft's battery, as its dock reports it (drone_charge_state.capacity_percent). */
  batteryPercent: z.number().int().optional(),
  /** 0 released, 1 pressed. */
  emergencyStop: z.number().int().optional(),
  subDevice: z.object({ sn: z.string(), productType: z.string(), online: z.number().int(), paired: z.number().int() }).optional(),
});
export type DeviceTelemetry = z.infer<typeof DeviceTelemetrySchema>;

export const DeviceInfoSchema = z.object({
  sn: z.string(),
  /** The dock this device reports through; a dock is its own gateway. */
  gateway: z.string(),
  kind: z.enum(['dock', 'drone', 'rc', 'payload', 'unknown']),
  /** Readable model from the topology domain/type/sub_type ("Dock 2", "M3D"), or the raw triple. */
  model: z.string(),
  /** The topology product key "domain-type-sub_type" ("3-2-0"), where the topology gave one. */
  product: z.string().optional(),
  firmwareVersion: z.string().optional(),
  online: z.boolean(),
  mode: z.string().optional(),
  lastSeen: z.string(),
  telemetry: DeviceTelemetrySchema.optional(),
});
export type DeviceInfo = z.infer<typeof DeviceInfoSchema>;

export const FirmwareInfoSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  size: z.number().int().nonnegative(),
  md5: z.string().optional(),
  version: z.string().optional(),
  /** Present while the file is being hashed. */
  hashing: z.object({ bytes: z.number(), total: z.number() }).optional(),
  error: z.string().optional(),
  addedAt: z.string(),
});
export type FirmwareInfo = z.infer<typeof FirmwareInfoSchema>;

/** Versions go into ota_create and are compared with what docks report: numbers separated by dots. */
export const FIRMWARE_VERSION_PATTERN = /^v?\d+(\.\d+)*$/i;
export const FIRMWARE_VERSION_MAX_LENGTH = 64;
export const FirmwareVersionSchema = z.string().trim().max(FIRMWARE_VERSION_MAX_LENGTH).regex(FIRMWARE_VERSION_PATTERN, 'a version is numbers separated by dots, e.g. 10.01.0300');

/** An IP address or a host name a dock can resolve; '' means "choose automatically". */
export const ServeHostSchema = z
  .string()
  .trim()
  .max(253)
  .regex(/^$|^[0-9A-Za-z.:-]+$/, 'an IP address or a host name, e.g. 192.168.1.20');

export const UPGRADE_TYPES = { regular: 3, consistency: 2 } as const;
export const UpgradeTypeSchema = z.enum(['regular', 'consistency']);
export type UpgradeType = z.infer<typeof UpgradeTypeSchema>;

/**
 * A device's upgrade status: the DJI task status values of spec 004, plus our own "queued" (waiting in the
 * batch, not yet sent), "held" (held back by a failed pre-flight gate, the rollout or a restart, until the
 * technician releases or cancels it), "verifying" (the dock said ok; waiting for the device to report the new version)
 * and "not_verified" (it never did). "ok" is only ever a device seen on its new version.
 */
export const DJI_STATUSES = ['queued', 'held', 'sent', 'in_progress', 'paused', 'verifying', 'ok', 'not_verified', 'failed', 'rejected', 'canceled', 'timeout'] as const;
export const DjiStatusSchema = z.enum(DJI_STATUSES);
export type DjiStatus = z.infer<typeof DjiStatusSchema>;

/** A DJI health (HMS) alert a gateway raised while its device was upgrading. */
export const HmsAlertSchema = z.object({
  code: z.string().max(64),
  /** 0 notice, 1 caution, 2 warning (the HMS `level`). */
  level: z.number().int(),
  /** "warning 0x16100083 on Matrice 3D (module hms)". */
  words: z.string().max(300),
  time: z.string(),
});
export type HmsAlert = z.infer<typeof HmsAlertSchema>;

export const DeviceUpgradeSchema = z.object({
  /** One row per device per batch: `${batchId}:${sn}`; a retry is the next attempt of the same row. */
  key: z.string(),
  /** The tid of the attempt's first ota_create (its campaign id in the log and exports). */
  tid: z.string(),
  /** The attempt's task id: the ota_create's bid, which the dock keeps on every ota_progress of the task. */
  bid: z.string().optional(),
  batchId: z.string().optional(),
  /** 1 for the first ota_create of this device in its batch, then 2, 3… for each retry. */
  attempt: z.number().int().min(1).optional(),
  /** One of its batch's canary devices: the rest of the batch waits until these are verified. */
  canary: z.boolean().optional(),
  gateway: z.string(),
  sn: z.string(),
  firmwareId: z.string(),
  fileName: z.string(),
  md5: z.string().optional(),
  /** The device's model when the upgrade started. */
  model: z.string().optional(),
  targetVersion: z.string(),
  fromVersion: z.string().optional(),
  type: UpgradeTypeSchema,
  /** The pre-flight gates as they stood when the device was sent (or held). */
  gates: z.array(GateCheckSchema).optional(),
  /** Gates that failed and that the technician chose to send despite: in the journal and the report. */
  overrides: z.array(z.string()).optional(),
  site: z.string().optional(),
  technician: z.string().optional(),
  step: z.enum(['download', 'upgrade']).nullable(),
  percent: z.number().min(0).max(100),
  status: DjiStatusSchema,
  subStatus: z.string(),
  /** True once the device reported the target firmware_version: the status is then "ok". */
  verified: z.boolean(),
  reason: z.string().optional(),
  code: z.number().int().optional(),
  bytesServed: z.number().nonnegative(),
  fileSize: z.number().nonnegative(),
  /** Bytes per second over the last few seconds of serving, or the dock's own reported rate. */
  speed: z.number().nonnegative().optional(),
  etaSeconds: z.number().nonnegative().optional(),
  /** The last word heard from the device about this upgrade (progress, or telemetry saying it upgrades). */
  lastReportAt: z.string().optional(),
  /** The latest health alerts its gateway raised during this attempt, newest last. */
  alerts: z.array(HmsAlertSchema).max(10).optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
  endedAt: z.string().optional(),
});
export type DeviceUpgrade = z.infer<typeof DeviceUpgradeSchema>;

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

export const RolloutSchema = z.object({
  /** Devices (docks) that go first; the rest wait until every one of them is verified. 0: no canary. */
  canary: z.number().int().min(0).max(1000).default(0),
  /** Docks upgrading at once in this batch. */
  maxParallel: z.number().int().min(1).max(1000).optional(),
  /** Once this many devices of the batch ended without success, the ones not yet sent are held. */
  stopAfterFailures: z.number().int().min(1).max(1000).optional(),
});
export type Rollout = z.input<typeof RolloutSchema>;

export const BatchSummarySchema = z.object({
  batchId: z.string(),
  total: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
  endedAt: z.string().optional(),
});
export type BatchSummary = z.infer<typeof BatchSummarySchema>;

// ---- Vehicle campaigns, the log, exports (appended: the contract only grows) ----------------------

export const PhaseStepSchema = z.object({ state: StateSchema, time: z.string(), message: z.string() });

export const VehicleSummarySchema = z.object({
  /** `${source}|${device}` */
  key: z.string(),
  source: SourceSchema,
  device: z.string(),
  /** The campaign of its latest event, '' when the protocol named none. */
  campaign: z.string(),
  phase: PhaseSchema,
  state: StateSchema,
  percent: z.number().nullable(),
  lastTime: z.string(),
  lastMessage: z.string(),
  events: z.number().int(),
  campaigns: z.number().int(),
  /** The latest campaign's timeline: per phase, its latest state and the original status text. */
  phases: z.partialRecord(PhaseSchema, PhaseStepSchema),
});
export type VehicleSummary = z.infer<typeof VehicleSummarySchema>;

export const CampaignSummarySchema = z.object({
  /** `${source}|${campaign}` */
  key: z.string(),
  source: SourceSchema,
  campaign: z.string(),
  vehicles: z.number().int(),
  /** Vehicles by their state in this campaign. */
  counts: z.partialRecord(StateSchema, z.number().int()),
  lastTime: z.string(),
});
export type CampaignSummary = z.infer<typeof CampaignSummarySchema>;

export const LogQuerySchema = z.object({
  source: z.array(SourceSchema).optional(),
  device: z.string().max(256).optional(),
  campaign: z.string().max(512).optional(),
  state: z.array(StateSchema).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  text: z.string().max(256).optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().min(1).max(1000).default(200),
});
export type LogQuery = z.input<typeof LogQuerySchema>;

export const LoggedEventSchema = UpgradeEventSchema.extend({ seq: z.number().int() });
export type LoggedEvent = z.infer<typeof LoggedEventSchema>;

export const EXPORT_FORMATS = ['csv', 'jsonl', 'html'] as const;
export const ExportRequestSchema = z.object({
  format: z.enum(EXPORT_FORMATS),
  since: z.iso.datetime({ offset: true }).optional(),
  device: z.string().max(256).optional(),
  site: z.string().max(200).optional(),
  technician: z.string().max(200).optional(),
  customer: z.string().max(200).optional(),
  notes: z.string().max(4000).optional(),
  /** The IANA time zone the report's times are written in (the window's own); the host's when absent. */
  timeZone: z.string().max(64).optional(),
});
export type ExportRequest = z.infer<typeof ExportRequestSchema>;

export const ExportProgressSchema = z.object({
  exportId: z.string(),
  format: z.enum(EXPORT_FORMATS),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Set once the file is complete: its name, where it is on disk, and (web host) where to download it. */
  fileName: z.string().optional(),
  path: z.string().optional(),
  url: z.string().optional(),
  error: z.string().optional(),
});
export type ExportProgress = z.infer<typeof ExportProgressSchema>;

// ---- Planning an upgrade (appended) ---------------------------------------------------------------

export const UpgradePlanRequestSchema = z.object({
  /** The file for every device not given one in `packages`. */
  firmwareId: z.string(),
  devices: z.array(z.string().min(1)).min(1).max(1000),
  type: UpgradeTypeSchema,
  /** A file per device: a dock and its aircraft each get their own package. */
  packages: z
    .array(z.object({ sn: z.string().min(1), firmwareId: z.string() }))
    .max(1000)
    .optional(),
});

export const PlannedUpgradeSchema = z.object({
  sn: z.string(),
  gateway: z.string(),
  model: z.string(),
  fileName: z.string(),
  fromVersion: z.string().optional(),
  toVersion: z.string().optional(),
  gates: z.array(GateCheckSchema),
  /** Why it cannot be sent at all (a package for another model, no version); absent when it can. */
  refused: z.string().optional(),
  /** Worth a look before confirming (a file name that names no model, an unknown gate). */
  notes: z.array(z.string()),
});
export type PlannedUpgrade = z.infer<typeof PlannedUpgradeSchema>;

export const DeviceHistoryEntrySchema = z.object({
  batchId: z.string().optional(),
  attempt: z.number().int().optional(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  durationSeconds: z.number().optional(),
  fromVersion: z.string().optional(),
  toVersion: z.string(),
  fileName: z.string(),
  status: DjiStatusSchema,
  /** The result in words: "upgraded and verified", "rejected by the dock: 312015: dock busy — retry when idle". */
  result: z.string(),
  bytesServed: z.number(),
  site: z.string().optional(),
  technician: z.string().optional(),
  overrides: z.array(z.string()).optional(),
});
export type DeviceHistoryEntry = z.infer<typeof DeviceHistoryEntrySchema>;

// ---- Dock access: the built-in broker's logins, the DJI licence, the site's organisation -----------

/** A broker login a person types into a dock or a vehicle client: no spaces, nothing a form mangles. */
export const BrokerLoginSchema = z.object({
  username: z
    .string()
    .trim()
    .min(3)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only'),
  password: z.string().min(12, 'at least 12 characters').max(128).regex(/^\S+$/, 'no spaces'),
});
export type BrokerLogin = z.infer<typeof BrokerLoginSchema>;
export const BROKER_ACCOUNTS = ['dock', 'ingest'] as const;
export const BrokerAccountSchema = z.enum(BROKER_ACCOUNTS);
export type BrokerAccount = z.infer<typeof BrokerAccountSchema>;

/** The DJI Cloud API app a dock checks its cloud against (from DJI's developer site). */
export const DjiLicenceSchema = z.object({
  appId: z
    .string()
    .trim()
    .regex(/^\d{1,20}$/, 'the app id is a number'),
  appKey: z.string().trim().min(1, 'the app key is required').max(128).regex(/^\S+$/, 'no spaces'),
  appLicense: z.string().trim().min(1, 'the licence is required').max(8192),
});
export type DjiLicence = z.infer<typeof DjiLicenceSchema>;

export const BROKER_BINDS = ['lan', 'loopback'] as const;
export const BrokerBindSchema = z.enum(BROKER_BINDS);
export type BrokerBind = z.infer<typeof BrokerBindSchema>;

/** How far a dock got in joining Dockside, the latest word per gateway SN. */
export const DockJoinSchema = z.object({
  sn: z.string(),
  step: z.enum(['connected', 'licence-sent', 'no-licence', 'bind-checked', 'bound', 'bind-refused']),
  words: z.string(),
  at: z.string(),
});
export type DockJoin = z.infer<typeof DockJoinSchema>;

export const DockAccessViewSchema = z.object({
  /** built-in: Dockside is the dock's cloud and answers its requests; site: another cloud owns the docks. */
  broker: z.enum(['built-in', 'site', 'none']),
  bind: BrokerBindSchema,
  dockLogin: BrokerLoginSchema,
  ingestLogin: BrokerLoginSchema,
  /** The topic filters vehicle clients publish on with the ingest login. */
  ingestTopics: z.array(z.string()),
  /** What a dock is pointed at: one per LAN address (mqtt://, and mqtts:// when TLS is on). */
  dockUrls: z.array(z.string()),
  tlsUrls: z.array(z.string()),
  tls: z.object({ enabled: z.boolean(), certPath: z.string().optional(), keyPath: z.string().optional(), fingerprint: z.string().optional(), error: z.string().optional() }),
  /** The key and the licence themselves never cross back: only whether they are set. */
  licence: z.object({ appId: z.string(), keySet: z.boolean(), licenseSet: z.boolean() }).optional(),
  organisation: z.object({ id: z.string(), name: z.string(), bindingCode: z.string() }),
  /** The NTP host docks are told; '' means this laptop's address on the dock's network. */
  ntpHost: z.string(),
  bound: z.array(z.object({ sn: z.string(), callsign: z.string(), boundAt: z.string() })),
  joins: z.array(DockJoinSchema),
  /** The Pilot 2 login page, one per LAN address, with its QR code (SVG text). */
  pilotPage: z.array(z.object({ url: z.string(), qrSvg: z.string() })),
});
export type DockAccessView = z.infer<typeof DockAccessViewSchema>;

/** Whether what the app records reaches the disk. */
export const JournalHealthSchema = z.union([z.object({ state: z.literal('ok') }), z.object({ state: z.literal('failing'), reason: z.string(), since: z.string() })]);
export type JournalHealth = z.infer<typeof JournalHealthSchema>;

// ---- The contract: calls (request → response) and event streams (main → renderer) ---------------

export const CALLS = {
  'app.info': {
    req: Empty,
    res: z.object({ name: z.string(), version: z.string(), apiVersion: z.number(), host: z.enum(['electron', 'web']), dataDir: z.string() }),
  },
  'connection.get': { req: Empty, res: ConnectionStatusSchema },
  /** Whether the journal is writing: "failing", with the reason, when it is not. */
  'journal.health': { req: Empty, res: JournalHealthSchema },
  'connection.connect': { req: ConnectionSettingsSchema, res: ConnectionStatusSchema },
  'connection.useEmbedded': { req: Empty, res: ConnectionStatusSchema },
  'connection.disconnect': { req: Empty, res: ConnectionStatusSchema },
  /** The address docks download firmware from; '' goes back to choosing it per dock. Remembered. */
  'connection.setServeHost': { req: z.object({ host: ServeHostSchema }), res: ConnectionStatusSchema },
  'devices.list': { req: Empty, res: z.array(DeviceInfoSchema) },
  'firmware.list': { req: Empty, res: z.array(FirmwareInfoSchema) },
  /** Desktop host: a file the technician dropped or picked. The web host uploads over HTTP instead. */
  'firmware.addPath': { req: z.object({ path: z.string().min(1), version: FirmwareVersionSchema.optional() }), res: FirmwareInfoSchema },
  'firmware.setVersion': { req: z.object({ id: z.string(), version: FirmwareVersionSchema }), res: FirmwareInfoSchema },
  'firmware.remove': { req: z.object({ id: z.string() }), res: Ok },
  /** What pressing Upgrade would do, per device: its package, versions, gates, and whether it can go. */
  'upgrade.plan': { req: UpgradePlanRequestSchema, res: z.object({ devices: z.array(PlannedUpgradeSchema) }) },
  'upgrade.start': {
    req: UpgradePlanRequestSchema.extend({
      /** Devices whose failed gates the technician confirmed sending despite. */
      force: z.array(z.string()).max(1000).optional(),
      rollout: RolloutSchema.optional(),
      site: z.string().max(200).optional(),
      technician: z.string().max(200).optional(),
    }),
    res: z.object({ batchId: z.string(), accepted: z.array(z.string()), refused: z.array(z.object({ sn: z.string(), reason: z.string() })) }),
  },
  /** A held device goes back to its batch's queue; its gates are checked again unless forced. */
  'upgrade.release': { req: z.object({ key: z.string(), force: z.boolean().optional() }), res: DeviceUpgradeSchema },
  /** Every past upgrade of a device, from the journal. */
  'devices.history': { req: z.object({ sn: z.string().min(1).max(256) }), res: z.array(DeviceHistoryEntrySchema) },
  /** Only a device still queued in its batch can be canceled: DJI has no cancel for a sent ota_create. */
  'upgrade.cancel': { req: z.object({ key: z.string() }), res: DeviceUpgradeSchema },
  'upgrade.retry': { req: z.object({ key: z.string() }), res: DeviceUpgradeSchema },
  'upgrade.list': { req: Empty, res: z.array(DeviceUpgradeSchema) },
  'vehicles.list': { req: Empty, res: z.object({ vehicles: z.array(VehicleSummarySchema), campaigns: z.array(CampaignSummarySchema) }) },
  'log.query': { req: LogQuerySchema, res: z.object({ events: z.array(LoggedEventSchema), total: z.number().int() }) },
  'export.start': { req: ExportRequestSchema, res: z.object({ exportId: z.string() }) },
  /** Desktop host: a capture file (.json, .jsonl, .bson) to feed through the decoders. The web host uploads it. */
  'ingest.importPath': {
    req: z.object({
      path: z.string().min(1),
      protocol: z.enum(['aktualizr', 'carota', 'edgehog', 'oem']).optional(),
      /** aktualizr and Edgehog payloads do not name their device: the capture's device. */
      device: z.string().max(256).optional(),
    }),
    res: z.object({ accepted: z.number().int(), rejected: z.number().int() }),
  },
  /** Simulated docks and vehicles over the real protocols, on the embedded broker: a new user sees the whole job. */
  'demo.start': { req: Empty, res: z.object({ docks: z.array(z.string()), vehicles: z.number().int() }) },
  /** Whether the demo runs (a reloaded window asks). */
  'demo.status': { req: Empty, res: z.object({ running: z.boolean(), docks: z.array(z.string()), vehicles: z.number().int() }) },
  'demo.stop': { req: Empty, res: Ok },
  /** The built-in broker's logins, the DJI licence (set or not), the organisation, the Pilot 2 page. */
  'dockAccess.get': { req: Empty, res: DockAccessViewSchema },
  /** A fresh random login for docks or vehicle clients; connected clients keep their session. */
  'dockAccess.regenerateLogin': { req: z.object({ account: BrokerAccountSchema }), res: DockAccessViewSchema },
  'dockAccess.setLogin': { req: z.object({ account: BrokerAccountSchema, login: BrokerLoginSchema }), res: DockAccessViewSchema },
  'dockAccess.setLicence': { req: DjiLicenceSchema, res: DockAccessViewSchema },
  'dockAccess.setOrganisation': { req: z.object({ name: z.string().trim().min(1).max(64) }), res: DockAccessViewSchema },
  'dockAccess.setNtpHost': { req: z.object({ host: ServeHostSchema }), res: DockAccessViewSchema },
  /** Where the built-in broker listens: the LAN (docks, logins required) or this machine only. Restarts it. */
  'dockAccess.setBind': { req: z.object({ bind: BrokerBindSchema }), res: DockAccessViewSchema },
  /** The mqtts:// listener: off, on with Dockside's own certificate, or on with the technician's PEM files. */
  'dockAccess.setTls': { req: z.object({ enabled: z.boolean(), certPath: z.string().max(4096).optional(), keyPath: z.string().max(4096).optional() }), res: DockAccessViewSchema },
} as const;

export const STREAMS = {
  journal: JournalHealthSchema,
  connection: ConnectionStatusSchema,
  device: DeviceInfoSchema,
  firmware: FirmwareInfoSchema,
  firmwareRemoved: z.object({ id: z.string() }),
  upgrade: DeviceUpgradeSchema,
  batch: BatchSummarySchema,
  event: UpgradeEventSchema,
  vehicle: VehicleSummarySchema,
  campaign: CampaignSummarySchema,
  exportProgress: ExportProgressSchema,
  dockAccess: DockAccessViewSchema,
} as const;

export type CallName = keyof typeof CALLS;
export type StreamName = keyof typeof STREAMS;
export type CallRequest<N extends CallName> = z.input<(typeof CALLS)[N]['req']>;
export type CallResponse<N extends CallName> = z.infer<(typeof CALLS)[N]['res']>;
export type StreamPayload<S extends StreamName> = z.infer<(typeof STREAMS)[S]>;

/** What the renderer sees, whichever host it runs in. */
export interface DocksideApi {
  call: <N extends CallName>(name: N, req: CallRequest<N>) => Promise<CallResponse<N>>;
  on: <S extends StreamName>(stream: S, listener: (payload: StreamPayload<S>) => void) => () => void;
}

// ---- The web host's session: only its own window drives it (appended) ----------------------------

/** The web host hands its window a per-start token in `<meta name="dockside-session" content="…">` of index.html. */
export const SESSION_META_NAME = 'dockside-session';
/** The token on uploads: a custom header, which a page of another origin cannot send without a preflight the host never grants. */
export const SESSION_HEADER = 'x-dockside-session';
/** WebSocket subprotocols the window offers: the API's own, which the host picks, and one carrying the token, never echoed. */
export const API_SUBPROTOCOL = 'dockside.v1';
export const SESSION_SUBPROTOCOL_PREFIX = 'dockside-session.';
