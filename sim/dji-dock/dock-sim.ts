// A simulated DJI Dock 2 (and its aircraft) on a real MQTT broker, written from DJI's Cloud API documents: it
// announces its topology, reports its telemetry on osd (0.5 Hz) and state (on change), answers ota_create from its
// own state as a dock does (ota-gates.ts), downloads each device's file for real and reports ota_progress — each
// event its own transaction (a fresh tid unless told otherwise) within the task's bid — and, when asked to, restarts
// to apply the firmware the way docks do in the field. The tests, the e2e suite and the demo mode talk to it
// exactly as they would to a dock at a site.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { decodeEnvelope, newEnvelope, type Envelope } from '../../wire/dji/envelope';
import { parseTopic, topics } from '../../wire/dji/topics';
import { newCredentials, updateTopoData, type Credentials } from './device-payloads';
import { DOCK_ERRORS } from './dock-errors';
import { DockLink } from './dock-link';
import { upgradeAlerts } from './hms';
import { readOtaCreate, type OtaDevice } from './ota-create-request';
import { refusal, type GateRequest } from './ota-gates';
import { runOtaJob, type JobOutcome } from './ota-job';
import { defaultVariant, misspellsTimestamp, progressData, type OtaStatus, type ProgressSnapshot, type ProgressVariant, type Step, type SubStatus } from './progress-shapes';
import { isScenarioName, SCENARIOS, type RebootPlan, type ScenarioName, type ScenarioSpec } from './scenarios';
import { aircraftOsdData, defaultTelemetry, dockOsdData, patchTelemetry, stateData, whileUpgrading, type DockTelemetry, type SubDeviceModelKey, type TelemetryPatch } from './telemetry';

/**
 * How an ota_progress event's tid relates to the task. The Cloud API's topic definition makes tid one
 * transaction (an event and its events_reply) and bid the long-running business: 'fresh' (a new tid per event,
 * the task's bid kept) is that; 'same' repeats the ota_create's tid, as spec 004's example does.
 */
export type TidMode = 'fresh' | 'same';

export interface DockSimOptions {
  brokerUrl: string;
  /** The broker login a dock is given (the built-in broker's dock login); none for an open broker. */
  username?: string;
  password?: string;
  /** The dock's SN: its gateway SN in every topic. */
  gateway: string;
  /** The aircraft's SN; scenarios about the aircraft make one up when none is given. */
  drone?: string;
  scenario?: ScenarioName;
  firmwareVersion?: string;
  droneFirmwareVersion?: string;
  /** Time between two ota_progress events (default 1000; tests use ~50). */
  progressIntervalMs?: number;
  /** Time between two osd reports (default 2000: the 0.5 Hz of the property documents). */
  stateIntervalMs?: number;
  /** Which ota_progress shape it sends; by default one per gateway and run, so all variants get exercised. */
  variant?: ProgressVariant;
  /** true: every ota_progress (and hms) asks for events_reply; false: none; default: status changes and the end do. */
  needReply?: boolean;
  /** Default 'fresh'. */
  tidMode?: TidMode;
  /** false: ota_progress carries no sub_status key at all, as the Dock 2 firmware document shows it (default true). */
  subStatus?: boolean;
  /** Restart to apply the firmware: off MQTT for offlineMs, back on the new version; `ok` only with reportOk. */
  reboot?: { offlineMs: number; reportOk?: boolean };
  /** Raise hms health alerts while upgrading (the hms scenario does). */
  hms?: boolean;
  /** The dock's state at start, over the scenario's (see telemetry.ts for the fields and their documents). */
  telemetry?: TelemetryPatch;
  /** How sub_device names the aircraft model (default product_type; see telemetry.ts). */
  subDeviceModelKey?: SubDeviceModelKey;
  /** Download speed cap, all files of a task together; by default a file takes about eight progress ticks. */
  downloadBytesPerSec?: number;
  /** Pauses before resuming a broken download, one per resume (default 1 s, 2 s, 4 s). */
  downloadRetryDelaysMs?: readonly number[];
  reconnectPeriodMs?: number;
  /** startDockSim (and online()) reject when the broker cannot be reached within this time (default 15000). */
  connectTimeoutMs?: number;
  log?: (line: string) => void;
  /** Stable across restarts, so the broker keeps the session and QoS 1 survives (default "dock-{gateway}"). */
  clientId?: string;
  /** Aborting it before the first connection makes startDockSim reject and leave nothing running. */
  signal?: AbortSignal;
}

export interface ReceivedMessage {
  topic: string;
  envelope: Envelope;
}

/** `tid` is always the ota_create's; `eventTid` is the tid an ota_progress event carried. */
export type OtaSimEvent =
  | { kind: 'create'; tid: string; bid: string; devices: string[] }
  | { kind: 'reply'; tid: string; bid: string; result: number }
  | { kind: 'progress'; tid: string; bid: string; eventTid: string; status: OtaStatus; subStatus: SubStatus; step: Step; percent: number; needReply: boolean }
  | { kind: 'reboot'; tid: string; bid: string; offlineMs: number }
  | { kind: 'end'; tid: string; bid: string; status: 'ok' | 'failed'; result: number; reason?: string; bytes: Record<string, number>; reported: boolean };

export interface HmsSimEvent {
  tid: string;
  codes: string[];
  needReply: boolean;
}

export type ConnectionState = 'connected' | 'offline';

export interface DockSim {
  gateway: string;
  drone?: string;
  scenario: ScenarioName;
  clientId: string;
  /** Clean disconnect (MQTT DISCONNECT); a running upgrade is abandoned. */
  stop: () => Promise<void>;
  /** Drop the TCP connection without DISCONNECT, as if the power was pulled; the dock is gone for good. */
  crash: () => void;
  /** Drop the TCP connection without DISCONNECT and stay away; the broker keeps the session. */
  offline: () => Promise<void>;
  /** Come back after offline(): same client id, clean=false; resolves once connected and subscribed. */
  online: () => Promise<void>;
  firmwareVersions: () => Record<string, string>;
  /** The telemetry the next osd/state frames carry (a running upgrade shows in it). */
  telemetry: () => DockTelemetry;
  /** Change the dock's state; state properties and the topology are reported at once, osd on the next frame. */
  setTelemetry: (patch: TelemetryPatch) => void;
  /** Every well-formed envelope it received, in order, across reconnects. */
  received: () => ReceivedMessage[];
  /** Events that asked for an events_reply, and replies that came back with an asked tid. */
  eventReplies: (method?: 'ota_progress' | 'hms') => { asked: number; answered: number };
  on: ((event: 'ota', listener: (e: OtaSimEvent) => void) => () => void) &
    ((event: 'hms', listener: (e: HmsSimEvent) => void) => () => void) &
    ((event: 'connection', listener: (state: ConnectionState) => void) => () => void);
}

const DEFAULTS = { firmwareVersion: '10.01.1612', droneFirmwareVersion: '10.01.1608', progressIntervalMs: 1000, stateIntervalMs: 2000 };
/** Re-announce the topology every this many osd ticks until the cloud answers status_reply. */
const TOPO_RETRY_TICKS = 5;
const REFUSED_STATUS = 'rejected';

interface RunningJob {
  tid: string;
  bid: string;
  variant: ProgressVariant;
  devices: OtaDevice[];
  seq: number;
  lastSubStatus?: SubStatus;
  /** The new firmware is in place: the devices report it and no longer report upgrading. */
  applied: boolean;
  alerts?: 'download' | 'install' | 'end';
  abort: AbortController;
}

/** Events that asked for a reply, by tid (with tidMode 'same' several events share one). */
class ReplyLedger {
  asked = 0;
  answered = 0;
  private readonly waiting = new Map<string, number>();

  ask(tid: string): void {
    this.asked++;
    this.waiting.set(tid, (this.waiting.get(tid) ?? 0) + 1);
  }

  answer(tid: string): void {
    const n = this.waiting.get(tid);
    if (!n) return;
    this.answered++;
    if (n === 1) this.waiting.delete(tid);
    else this.waiting.set(tid, n - 1);
  }
}

class DockSimulator implements DockSim {
  readonly gateway: string;
  readonly drone: string | undefined;
  readonly scenario: ScenarioName;
  readonly clientId: string;
  private readonly spec: ScenarioSpec;
  private readonly opts: DockSimOptions;
  private readonly link: DockLink;
  private readonly progressIntervalMs: number;
  private readonly rebootPlan: RebootPlan | undefined;
  private readonly versions = new Map<string, string>();
  private readonly credentials = new Map<string, Credentials>();
  private readonly inbox: ReceivedMessage[] = [];
  private readonly emitter = new EventEmitter();
  private readonly ledgers = { ota_progress: new ReplyLedger(), hms: new ReplyLedger() };
  private base: DockTelemetry;
  private job: RunningJob | null = null;
  private runs = 0;
  private topoAcked = false;
  private osdTicks = 0;
  private osdTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Off MQTT on purpose (offline(), a reboot): a drop that is not a failure. */
  private away = false;
  private wasConnected = false;

  constructor(opts: DockSimOptions, scenario: ScenarioName) {
    this.opts = opts;
    this.scenario = scenario;
    this.spec = SCENARIOS[scenario];
    this.gateway = opts.gateway;
    this.drone = opts.drone ?? (this.spec.needsDrone ? `${opts.gateway}-M3D` : undefined);
    this.clientId = opts.clientId ?? `dock-${opts.gateway}`;
    this.progressIntervalMs = opts.progressIntervalMs ?? DEFAULTS.progressIntervalMs;
    this.rebootPlan = opts.reboot ? { offlineMs: opts.reboot.offlineMs, reportOk: opts.reboot.reportOk ?? false } : this.spec.reboot;
    this.base = patchTelemetry(patchTelemetry(defaultTelemetry(this.drone !== undefined), this.spec.telemetry ?? {}), opts.telemetry ?? {});
    this.versions.set(this.gateway, opts.firmwareVersion ?? DEFAULTS.firmwareVersion);
    this.credentials.set(this.gateway, newCredentials());
    if (this.drone) {
      this.versions.set(this.drone, opts.droneFirmwareVersion ?? DEFAULTS.droneFirmwareVersion);
      this.credentials.set(this.drone, newCredentials());
    }
    this.emitter.setMaxListeners(0);
    this.link = new DockLink({
      brokerUrl: opts.brokerUrl,
      clientId: this.clientId,
      ...(opts.username !== undefined ? { username: opts.username } : {}),
      ...(opts.password !== undefined ? { password: opts.password } : {}),
      reconnectPeriodMs: opts.reconnectPeriodMs ?? 1000,
      subscriptions: [topics.services(this.gateway), topics.eventsReply(this.gateway), topics.statusReply(this.gateway)],
      onMessage: (topic, payload) => this.onMessage(topic, payload),
      onUp: () => this.onUp(),
      onDown: () => this.onDown(),
      log: (line) => this.log(line),
    });
    this.link.connect();
  }

  /** Resolves once connected and subscribed; rejects after timeoutMs (when given) or when signal aborts. */
  untilConnected(timeoutMs?: number, signal?: AbortSignal): Promise<void> {
    if (this.link.up) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        this.emitter.off('connection', onState);
        signal?.removeEventListener('abort', onAbort);
      };
      const onState = (s: ConnectionState) => {
        if (s !== 'connected') return;
        cleanup();
        resolve();
      };
      const onAbort = () => {
        cleanup();
        reject(new Error('stopped before the broker was reached'));
      };
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              cleanup();
              reject(new Error(`could not reach the broker at ${this.opts.brokerUrl} within ${timeoutMs} ms${this.link.error ? ` (${this.link.error})` : ''}`));
            }, timeoutMs);
      this.emitter.on('connection', onState);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async stop(): Promise<void> {
    if (this.closed) return;
    this.shutDown();
    await this.link.close();
    this.log('stopped');
  }

  crash(): void {
    if (this.closed) return;
    this.halt();
    this.log('power lost (connection dropped without DISCONNECT)');
  }

  /** Gone without a word: no DISCONNECT, nothing running. */
  halt(): void {
    this.shutDown();
    void this.link.drop();
  }

  async offline(): Promise<void> {
    if (this.closed || this.away) return;
    await this.leave('went offline (connection dropped without DISCONNECT; the broker keeps the session)');
  }

  async online(): Promise<void> {
    if (this.closed || !this.away) return;
    await this.comeBack(this.opts.connectTimeoutMs ?? 15_000);
  }

  firmwareVersions(): Record<string, string> {
    return Object.fromEntries(this.versions);
  }

  telemetry(): DockTelemetry {
    const job = this.job;
    if (!job || job.applied) return this.base;
    return whileUpgrading(this.base, { dock: job.devices.some((d) => d.sn === this.gateway), aircraft: job.devices.some((d) => d.sn === this.drone) });
  }

  setTelemetry(patch: TelemetryPatch): void {
    const before = this.telemetry();
    const aircraftWasOnline = this.aircraftOnline();
    this.base = patchTelemetry(this.base, patch);
    const after = this.telemetry();
    if (!this.link.up) return;
    if (this.aircraftOnline() !== aircraftWasOnline) {
      this.topoAcked = false;
      this.sendTopology();
    }
    const changed = (a: { firmware_upgrade_status: number; compatible_status: number }, b: typeof a) =>
      a.firmware_upgrade_status !== b.firmware_upgrade_status || a.compatible_status !== b.compatible_status;
    if (changed(before, after)) this.publishState(this.gateway);
    if (this.drone && this.aircraftOnline() && (changed(before.aircraft, after.aircraft) || !aircraftWasOnline)) this.publishState(this.drone);
  }

  received(): ReceivedMessage[] {
    return [...this.inbox];
  }

  eventReplies(method: 'ota_progress' | 'hms' = 'ota_progress') {
    const { asked, answered } = this.ledgers[method];
    return { asked, answered };
  }

  on(event: 'ota', listener: (e: OtaSimEvent) => void): () => void;
  on(event: 'hms', listener: (e: HmsSimEvent) => void): () => void;
  on(event: 'connection', listener: (state: ConnectionState) => void): () => void;
  on(event: 'ota' | 'hms' | 'connection', listener: (e: never) => void): () => void {
    const handler = listener as (e: unknown) => void;
    this.emitter.on(event, handler);
    return () => this.emitter.off(event, handler);
  }

  private emitOta(e: OtaSimEvent): void {
    this.emitter.emit('ota', e);
  }

  private shutDown(): void {
    this.closed = true;
    if (this.osdTimer) clearInterval(this.osdTimer);
    this.job?.abort.abort(new Error('the dock stopped'));
    this.job = null;
  }

  private log(line: string): void {
    this.opts.log?.(`dock ${this.gateway}: ${line}`);
  }

  private aircraftOnline(): boolean {
    return this.drone !== undefined && this.base.sub_device.device_online_status === 1;
  }

  private async leave(why: string): Promise<void> {
    this.away = true;
    await this.link.drop();
    this.log(why);
    this.emitter.emit('connection', 'offline');
  }

  private async comeBack(timeoutMs?: number, signal?: AbortSignal): Promise<void> {
    this.away = false;
    this.link.connect();
    await this.untilConnected(timeoutMs, signal);
  }

  private onUp(): void {
    if (this.closed) return;
    this.log(`${this.wasConnected ? 'reconnected' : 'connected'} to ${this.opts.brokerUrl} as ${this.clientId}`);
    this.wasConnected = true;
    this.topoAcked = false;
    this.announce();
    if (!this.osdTimer) this.osdTimer = setInterval(() => this.onOsdTick(), this.opts.stateIntervalMs ?? DEFAULTS.stateIntervalMs);
    this.emitter.emit('connection', 'connected');
  }

  private onDown(): void {
    if (this.closed || this.away) return;
    if (this.wasConnected) this.log('broker connection lost; reconnecting');
    this.emitter.emit('connection', 'offline');
  }

  /** What a dock sends when it comes online: topology, then the state of each device, then osd. */
  private announce(): void {
    this.sendTopology();
    this.publishState(this.gateway);
    if (this.drone && this.aircraftOnline()) this.publishState(this.drone);
    this.publishOsd();
  }

  /** An aircraft that is powered off is not in the topology (the device document's "sub_devices offline"). */
  private sendTopology(): void {
    const drone = this.drone && this.aircraftOnline() ? { sn: this.drone, credentials: this.credentials.get(this.drone)! } : undefined;
    this.send(topics.status(this.gateway), newEnvelope('update_topo', updateTopoData(this.credentials.get(this.gateway)!, drone)), 1);
  }

  private onOsdTick(): void {
    if (!this.link.up) return;
    this.publishOsd();
    this.osdTicks++;
    if (!this.topoAcked && this.osdTicks % TOPO_RETRY_TICKS === 0) this.sendTopology();
  }

  private publishOsd(): void {
    if (!this.link.up) return;
    const t = this.telemetry();
    this.sendProperties(topics.osd(this.gateway), dockOsdData(t, this.drone, this.opts.subDeviceModelKey ?? 'product_type'), 0);
    if (this.drone && this.aircraftOnline()) this.sendProperties(topics.osd(this.drone), aircraftOsdData(t), 0);
  }

  private publishState(sn: string): void {
    const t = this.telemetry();
    this.sendProperties(topics.state(sn), stateData(this.versions.get(sn)!, sn === this.gateway ? t : t.aircraft), 1);
  }

  /** osd and state messages carry no method: {tid, bid, timestamp, gateway, data}. */
  private sendProperties(topic: string, data: object, qos: 0 | 1): void {
    this.publish(topic, JSON.stringify({ tid: randomUUID(), bid: randomUUID(), timestamp: Date.now(), gateway: this.gateway, data }), qos);
  }

  private send(topic: string, envelope: Envelope | Record<string, unknown>, qos: 0 | 1): void {
    this.publish(topic, JSON.stringify({ ...envelope, gateway: this.gateway }), qos);
  }

  private publish(topic: string, payload: string, qos: 0 | 1): void {
    if (this.closed || this.away) return;
    this.link.publish(topic, payload, qos);
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (this.closed) return;
    const decoded = decodeEnvelope(payload);
    if (!decoded.ok) {
      this.log(`ignored a malformed message on ${topic}: ${decoded.error.reason}`);
      return;
    }
    const envelope = decoded.envelope;
    this.inbox.push({ topic, envelope });
    const kind = parseTopic(topic)?.kind;
    if (kind === 'services') this.onService(envelope);
    else if (kind === 'events_reply' && (envelope.method === 'ota_progress' || envelope.method === 'hms')) this.ledgers[envelope.method].answer(envelope.tid);
    else if (kind === 'status_reply' && envelope.method === 'update_topo') {
      if (!this.topoAcked) this.log('topology acknowledged (status_reply)');
      this.topoAcked = true;
    }
  }

  private onService(request: Envelope): void {
    if (request.method !== 'ota_create') {
      const result = this.job && !this.job.applied ? DOCK_ERRORS.busyUpgrading : DOCK_ERRORS.notSupported;
      this.log(`${request.method}: not simulated, answered ${result}`);
      this.reply(request, result);
      return;
    }
    const parsed = readOtaCreate(request.data, this.gateway, this.drone);
    const devices = parsed.ok ? parsed.devices.map((d) => d.sn) : [];
    this.log(`ota_create ${request.tid} received${devices.length ? ` for ${devices.join(', ')}` : ''}`);
    this.emitOta({ kind: 'create', tid: request.tid, bid: request.bid, devices });
    if (!parsed.ok) return this.refuse(request, parsed.result, parsed.reason);
    const refused = refusal(this.telemetry(), this.gateRequest(parsed.devices));
    if (refused) return this.refuse(request, refused.code, `${refused.gate}: ${refused.reason}`);
    this.reply(request, 0);
    this.startJob(request, parsed.devices);
  }

  private gateRequest(devices: OtaDevice[]): GateRequest {
    const consistency = (sn: string | undefined) => devices.some((d) => d.sn === sn && d.upgradeType === 2);
    return { aircraft: devices.some((d) => d.sn === this.drone), consistency: { dock: consistency(this.gateway), aircraft: consistency(this.drone) } };
  }

  private refuse(request: Envelope, result: number, reason: string): void {
    this.log(`ota_create ${request.tid} refused with ${result}: ${reason}`);
    this.reply(request, result);
  }

  private reply(request: Envelope, result: number): void {
    const data = result === 0 ? { result, output: { status: 'sent', sub_status: '', progress: { percent: 0, step: 1, step_key: '' } } } : { result, output: { status: REFUSED_STATUS } };
    this.send(topics.servicesReply(this.gateway), newEnvelope(request.method, data, { tid: request.tid, bid: request.bid }), 1);
    if (request.method === 'ota_create') this.emitOta({ kind: 'reply', tid: request.tid, bid: request.bid, result });
  }

  private startJob(request: Envelope, devices: OtaDevice[]): void {
    const job: RunningJob = {
      tid: request.tid,
      bid: request.bid,
      variant: this.opts.variant ?? defaultVariant(this.gateway, this.runs),
      devices,
      seq: 0,
      applied: false,
      abort: new AbortController(),
    };
    this.runs++;
    this.job = job;
    this.log(`upgrade ${job.tid} started (${job.variant} progress shape, ${this.opts.tidMode ?? 'fresh'} tid per event)`);
    for (const d of devices) this.publishState(d.sn);
    this.publishOsd();
    runOtaJob(devices, {
      scenario: this.spec,
      intervalMs: this.progressIntervalMs,
      reportOk: this.rebootPlan === undefined,
      ...(this.opts.downloadBytesPerSec && { downloadBytesPerSec: this.opts.downloadBytesPerSec }),
      ...(this.opts.downloadRetryDelaysMs && { retryDelaysMs: this.opts.downloadRetryDelaysMs }),
      ...(this.drone && { drone: this.drone }),
      report: (s) => this.onSnapshot(job, s),
      log: (line) => this.log(line),
      signal: job.abort.signal,
    })
      .then((outcome) => this.finishJob(job, outcome))
      .catch((e: Error) => {
        if (!job.abort.signal.aborted) this.log(`upgrade ${job.tid} crashed: ${e.message}`);
      });
  }

  private onSnapshot(job: RunningJob, s: ProgressSnapshot): void {
    if (this.job !== job) return;
    this.reportProgress(job, s);
    if (!(this.opts.hms ?? this.spec.hms)) return;
    if (s.status !== 'in_progress') this.raiseAlerts(job, 'end');
    else if (s.step === 2 && job.alerts === 'download') this.raiseAlerts(job, 'install');
    else if (job.alerts === undefined) this.raiseAlerts(job, 'download');
  }

  private reportProgress(job: RunningJob, s: ProgressSnapshot): void {
    const changed = s.subStatus !== job.lastSubStatus || s.status !== 'in_progress';
    job.lastSubStatus = s.subStatus;
    const needReply = this.opts.needReply ?? changed;
    const seq = job.seq++;
    const eventTid = this.opts.tidMode === 'same' ? job.tid : randomUUID();
    const envelope: Record<string, unknown> = { ...newEnvelope('ota_progress', progressData(job.variant, s, seq, this.opts.subStatus ?? true), { tid: eventTid, bid: job.bid }) };
    if (needReply) envelope.need_reply = 1;
    else if (job.variant !== 'step_key') envelope.need_reply = 0;
    if (misspellsTimestamp(job.variant, seq)) {
      envelope['timestamp:'] = envelope.timestamp;
      delete envelope.timestamp;
    }
    if (needReply) this.ledgers.ota_progress.ask(eventTid);
    this.send(topics.events(this.gateway), envelope, 1);
    const rate = s.rate !== undefined && s.step === 1 && s.subStatus === 'DOWNLOADING' ? ` ${Math.round(s.rate / 1024)} KiB/s` : '';
    this.log(`ota_progress ${s.status} ${s.subStatus} step ${s.step} ${s.percent}%${rate}${s.result ? ` result ${s.result}` : ''}`);
    this.emitOta({ kind: 'progress', tid: job.tid, bid: job.bid, eventTid, status: s.status, subStatus: s.subStatus, step: s.step, percent: s.percent, needReply });
  }

  /** One complete hms report: its own transaction, outside the upgrade's bid. */
  private raiseAlerts(job: RunningJob, point: 'download' | 'install' | 'end'): void {
    job.alerts = point;
    const list = upgradeAlerts(
      point,
      job.devices.some((d) => d.sn === this.drone),
    );
    const needReply = this.opts.needReply === true;
    const envelope = newEnvelope('hms', { list });
    if (needReply) this.ledgers.hms.ask(envelope.tid);
    this.send(topics.events(this.gateway), { ...envelope, need_reply: needReply ? 1 : 0 }, 1);
    this.log(`hms ${list.length ? list.map((a) => `${a.code} (level ${a.level})`).join(', ') : 'clear'}`);
    this.emitter.emit('hms', { tid: envelope.tid, codes: list.map((a) => a.code), needReply } satisfies HmsSimEvent);
  }

  private async finishJob(job: RunningJob, outcome: JobOutcome): Promise<void> {
    if (this.job !== job) return;
    if (outcome.status === 'failed') {
      this.log(`upgrade ${job.tid} failed (${outcome.subStatus}, ${outcome.result}): ${outcome.reason}`);
      this.endJob(job, { status: 'failed', result: outcome.result, reason: outcome.reason, bytes: outcome.bytes, reported: true });
      return;
    }
    if (this.rebootPlan) return this.rebootToApply(job, outcome, this.rebootPlan);
    this.apply(job);
    this.endJob(job, { status: 'ok', result: 0, bytes: outcome.bytes, reported: true });
  }

  /** The new firmware takes over: each device's version (unless the scenario keeps the old one), consistency restored. */
  private apply(job: RunningJob): void {
    job.applied = true;
    for (const d of job.devices) {
      if (!this.spec.keepsOldVersion) this.versions.set(d.sn, d.productVersion);
      if (d.upgradeType !== 2) continue;
      this.base = patchTelemetry(this.base, d.sn === this.gateway ? { compatible_status: 0 } : { aircraft: { compatible_status: 0 } });
    }
    this.log(`upgrade ${job.tid} applied: ${job.devices.map((d) => `${d.sn} now ${this.versions.get(d.sn)}`).join(', ')}`);
  }

  private endJob(job: RunningJob, end: Omit<Extract<OtaSimEvent, { kind: 'end' }>, 'kind' | 'tid' | 'bid'>): void {
    this.job = null;
    for (const d of job.devices) this.publishState(d.sn);
    this.publishOsd();
    this.emitOta({ kind: 'end', tid: job.tid, bid: job.bid, ...end });
  }

  /**
   * What a dock does after installing: it says once more that it is upgrading (mode_code 3, firmware_upgrade_status
   * 1), drops off MQTT without DISCONNECT, restarts, and comes back on the same client id to announce its topology
   * and the new firmware_version — with an `ok` only when the plan says so.
   */
  private async rebootToApply(job: RunningJob, outcome: Extract<JobOutcome, { status: 'ok' }>, plan: RebootPlan): Promise<void> {
    for (const d of job.devices) this.publishState(d.sn);
    this.publishOsd();
    this.emitOta({ kind: 'reboot', tid: job.tid, bid: job.bid, offlineMs: plan.offlineMs });
    await this.leave(`restarting to apply the firmware: off MQTT for ${plan.offlineMs / 1000} s`);
    await delay(plan.offlineMs, undefined, { signal: job.abort.signal });
    this.apply(job);
    await this.comeBack(undefined, job.abort.signal);
    if (this.job !== job) return;
    if (plan.reportOk) this.reportProgress(job, { status: 'ok', subStatus: 'UPGRADE_SUCCESS', step: 2, percent: 100, result: 0 });
    if (job.alerts !== undefined && job.alerts !== 'end') this.raiseAlerts(job, 'end');
    this.endJob(job, { status: 'ok', result: 0, bytes: outcome.bytes, reported: plan.reportOk });
  }
}

export async function startDockSim(opts: DockSimOptions): Promise<DockSim> {
  const scenario = opts.scenario ?? 'ok';
  if (!isScenarioName(scenario)) throw new Error(`unknown scenario "${String(scenario)}"`);
  for (const [name, sn] of [
    ['gateway', opts.gateway],
    ['drone', opts.drone],
  ] as const) {
    if (sn !== undefined && !/^[^/+#\s]+$/.test(sn)) throw new Error(`${name} SN "${sn}" cannot be part of an MQTT topic`);
  }
  if (opts.tidMode !== undefined && opts.tidMode !== 'fresh' && opts.tidMode !== 'same') throw new Error(`tidMode must be 'fresh' or 'same', got "${String(opts.tidMode)}"`);
  if (opts.reboot && !(Number.isFinite(opts.reboot.offlineMs) && opts.reboot.offlineMs >= 0)) throw new Error(`reboot.offlineMs must be a duration in ms, got ${opts.reboot.offlineMs}`);
  const sim = new DockSimulator(opts, scenario);
  try {
    await sim.untilConnected(opts.connectTimeoutMs ?? 15_000, opts.signal);
  } catch (e) {
    sim.halt();
    throw e;
  }
  return sim;
}
