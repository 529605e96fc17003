// A simulated DJI dock (and its aircraft) on a real MQTT broker: it announces its topology, reports state and
// osd, answers ota_create like a dock does, downloads the file for real and reports ota_progress. Every later
// test, the e2e suite and the demo mode talk to it exactly as they would to a dock at a site.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { connect, type MqttClient } from 'mqtt';
import { decodeEnvelope, newEnvelope, type Envelope } from '../../wire/dji/envelope';
import { parseTopic, topics } from '../../wire/dji/topics';
import { DOCK_MODE, dockOsdData, newCredentials, stateData, updateTopoData, type Credentials } from './device-payloads';
import { readOtaCreate, type OtaDevice } from './ota-create-request';
import { runOtaJob, type JobOutcome } from './ota-job';
import { defaultVariant, misspellsTimestamp, progressData, type OtaStatus, type ProgressSnapshot, type ProgressVariant, type Step, type SubStatus } from './progress-shapes';
import { DOCK_ERRORS, isScenarioName, SCENARIOS, type ScenarioName } from './scenarios';

export interface DockSimOptions {
  brokerUrl: string;
  /** The broker login a dock is given (the built-in broker's dock login); none for an open broker. */
  username?: string;
  password?: string;
  /** The dock's SN: its gateway SN in every topic. */
  gateway: string;
  /** The aircraft's SN; the 'drone' scenario makes one up when none is given. */
  drone?: string;
  scenario?: ScenarioName;
  firmwareVersion?: string;
  droneFirmwareVersion?: string;
  /** Time between two ota_progress events (default 1000; tests use ~50). */
  progressIntervalMs?: number;
  /** Time between two osd reports (default 2000: the 0.5 Hz docks use). */
  stateIntervalMs?: number;
  /** Which ota_progress shape it sends; by default one per gateway and run, so all variants get exercised. */
  variant?: ProgressVariant;
  /** true: every ota_progress asks for events_reply; false: none; default: status changes and the end do. */
  needReply?: boolean;
  /** Download speed cap; by default a file takes about eight progress ticks. */
  downloadBytesPerSec?: number;
  reconnectPeriodMs?: number;
  /** startDockSim rejects when the broker cannot be reached within this time (default 15000). */
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

export type OtaSimEvent =
  | { kind: 'create'; tid: string; devices: string[] }
  | { kind: 'reply'; tid: string; result: number }
  | { kind: 'progress'; tid: string; status: OtaStatus; subStatus: SubStatus; step: Step; percent: number; needReply: boolean }
  | { kind: 'end'; tid: string; status: 'ok' | 'failed'; result: number; reason?: string; bytes: Record<string, number> };

export type ConnectionState = 'connected' | 'offline';

export interface DockSim {
  gateway: string;
  drone?: string;
  scenario: ScenarioName;
  clientId: string;
  /** Clean disconnect (MQTT DISCONNECT); a running upgrade is abandoned. */
  stop(): Promise<void>;
  /** Drop the TCP connection without DISCONNECT, as if the power was pulled. */
  crash(): void;
  firmwareVersions(): Record<string, string>;
  /** Every well-formed envelope it received, in order. */
  received(): ReceivedMessage[];
  /** ota_progress events that asked for an events_reply, and replies that came back. */
  eventReplies(): { asked: number; answered: number };
  on(event: 'ota', listener: (e: OtaSimEvent) => void): () => void;
  on(event: 'connection', listener: (state: ConnectionState) => void): () => void;
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
  abort: AbortController;
}

class DockSimulator {
  readonly gateway: string;
  readonly drone: string | undefined;
  readonly scenario: ScenarioName;
  readonly clientId: string;
  private readonly client: MqttClient;
  private readonly opts: DockSimOptions;
  private readonly progressIntervalMs: number;
  private readonly versions = new Map<string, string>();
  private readonly credentials = new Map<string, Credentials>();
  private readonly inbox: ReceivedMessage[] = [];
  private readonly emitter = new EventEmitter();
  /** services_reply already sent per ota_create tid: a redelivered request gets the same answer. */
  private readonly replies = new Map<string, number>();
  private job: RunningJob | null = null;
  private runs = 0;
  private topoAcked = false;
  private osdTicks = 0;
  private osdTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private wasConnected = false;
  private lastError = '';
  private asked = 0;
  private answered = 0;

  constructor(opts: DockSimOptions, scenario: ScenarioName) {
    this.opts = opts;
    this.scenario = scenario;
    this.gateway = opts.gateway;
    this.drone = opts.drone ?? (SCENARIOS[scenario].needsDrone ? `${opts.gateway}-M3D` : undefined);
    this.clientId = opts.clientId ?? `dock-${opts.gateway}`;
    this.progressIntervalMs = opts.progressIntervalMs ?? DEFAULTS.progressIntervalMs;
    this.versions.set(this.gateway, opts.firmwareVersion ?? DEFAULTS.firmwareVersion);
    this.credentials.set(this.gateway, newCredentials());
    if (this.drone) {
      this.versions.set(this.drone, opts.droneFirmwareVersion ?? DEFAULTS.droneFirmwareVersion);
      this.credentials.set(this.drone, newCredentials());
    }
    this.emitter.setMaxListeners(0);
    this.client = connect(opts.brokerUrl, {
      clientId: this.clientId,
      ...(opts.username !== undefined ? { username: opts.username } : {}),
      ...(opts.password !== undefined ? { password: opts.password } : {}),
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: opts.reconnectPeriodMs ?? 1000,
      connectTimeout: 5000,
      keepalive: 30,
      queueQoSZero: false,
      resubscribe: true,
    });
    this.client.on('message', (topic, payload) => this.onMessage(topic, payload));
    this.client.on('connect', () => this.onConnect());
    this.client.on('offline', () => {
      if (this.closed) return;
      if (this.wasConnected) this.log('broker connection lost; reconnecting');
      this.emitter.emit('connection', 'offline');
    });
    this.client.on('error', (e) => {
      if (e.message !== this.lastError) this.log(`broker: ${e.message}`);
      this.lastError = e.message;
    });
  }

  /** Resolves after the first connection is up and subscribed. */
  waitConnected(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        this.emitter.off('connection', onState);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (reason: string) => {
        cleanup();
        this.shutDown();
        this.client.end(true);
        reject(new Error(reason));
      };
      const onState = (s: ConnectionState) => {
        if (s !== 'connected') return;
        cleanup();
        resolve();
      };
      const onAbort = () => fail('stopped before the broker was reached');
      const timer = setTimeout(() => fail(`could not reach the broker at ${this.opts.brokerUrl} within ${timeoutMs} ms${this.lastError ? ` (${this.lastError})` : ''}`), timeoutMs);
      this.emitter.on('connection', onState);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async stop(): Promise<void> {
    if (this.closed) return;
    this.shutDown();
    await this.client.endAsync(!this.client.connected);
    this.log('stopped');
  }

  crash(): void {
    if (this.closed) return;
    this.shutDown();
    this.client.end(true);
    this.log('power lost (connection dropped without DISCONNECT)');
  }

  firmwareVersions(): Record<string, string> {
    return Object.fromEntries(this.versions);
  }

  received(): ReceivedMessage[] {
    return [...this.inbox];
  }

  eventReplies() {
    return { asked: this.asked, answered: this.answered };
  }

  on(event: 'ota', listener: (e: OtaSimEvent) => void): () => void;
  on(event: 'connection', listener: (state: ConnectionState) => void): () => void;
  on(event: 'ota' | 'connection', listener: ((e: OtaSimEvent) => void) | ((state: ConnectionState) => void)): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
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

  private async onConnect(): Promise<void> {
    if (this.closed) return;
    this.log(`${this.wasConnected ? 'reconnected' : 'connected'} to ${this.opts.brokerUrl} as ${this.clientId}`);
    this.lastError = '';
    try {
      await this.client.subscribeAsync(
        [topics.services(this.gateway), topics.eventsReply(this.gateway), topics.statusReply(this.gateway)],
        { qos: 1 },
      );
    } catch (e) {
      if (!this.closed) this.log(`subscribe failed: ${(e as Error).message}`);
      return;
    }
    this.wasConnected = true;
    this.topoAcked = false;
    this.announce();
    if (!this.osdTimer) this.osdTimer = setInterval(() => this.onOsdTick(), this.opts.stateIntervalMs ?? DEFAULTS.stateIntervalMs);
    this.emitter.emit('connection', 'connected');
  }

  /** What a dock sends when it comes online: topology, then the state of each device, then an osd frame. */
  private announce(): void {
    this.sendTopology();
    for (const sn of this.versions.keys()) this.publishState(sn);
    this.publishOsd();
  }

  private sendTopology(): void {
    const drone = this.drone ? { sn: this.drone, credentials: this.credentials.get(this.drone)! } : undefined;
    this.send(topics.status(this.gateway), newEnvelope('update_topo', updateTopoData(this.credentials.get(this.gateway)!, drone)), 1);
  }

  private onOsdTick(): void {
    if (!this.client.connected) return;
    this.publishOsd();
    this.osdTicks++;
    if (!this.topoAcked && this.osdTicks % TOPO_RETRY_TICKS === 0) this.sendTopology();
  }

  private publishOsd(): void {
    if (!this.client.connected) return;
    const mode = this.job ? DOCK_MODE.upgrading : DOCK_MODE.idle;
    this.sendProperties(topics.osd(this.gateway), dockOsdData(mode, this.drone), 0);
  }

  private publishState(sn: string): void {
    const upgrading = this.job?.devices.some((d) => d.sn === sn) ?? false;
    this.sendProperties(topics.state(sn), stateData(this.versions.get(sn)!, upgrading), 1);
  }

  /** osd and state messages carry no method: {tid, bid, timestamp, gateway, data}. */
  private sendProperties(topic: string, data: object, qos: 0 | 1): void {
    this.publish(topic, JSON.stringify({ tid: randomUUID(), bid: randomUUID(), timestamp: Date.now(), gateway: this.gateway, data }), qos);
  }

  private send(topic: string, envelope: Envelope, qos: 0 | 1): void {
    this.publish(topic, JSON.stringify({ ...envelope, gateway: this.gateway }), qos);
  }

  private publish(topic: string, payload: string, qos: 0 | 1): void {
    if (this.closed) return;
    this.client.publish(topic, payload, { qos }, (err) => {
      if (err && !this.closed) this.log(`publish on ${topic} failed: ${err.message}`);
    });
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
    else if (kind === 'events_reply') this.onEventsReply(envelope);
    else if (kind === 'status_reply' && envelope.method === 'update_topo') {
      if (!this.topoAcked) this.log('topology acknowledged (status_reply)');
      this.topoAcked = true;
    }
  }

  private onEventsReply(envelope: Envelope): void {
    if (envelope.method !== 'ota_progress') return;
    this.answered++;
  }

  private onService(request: Envelope): void {
    if (request.method !== 'ota_create') {
      const result = this.job ? DOCK_ERRORS.busyUpgrading : DOCK_ERRORS.notSupported;
      this.log(`${request.method}: not simulated, answered ${result}`);
      this.reply(request, result);
      return;
    }
    const earlier = this.replies.get(request.tid);
    if (earlier !== undefined) {
      this.log(`ota_create ${request.tid} delivered again: repeating result ${earlier}`);
      this.reply(request, earlier);
      return;
    }
    const parsed = readOtaCreate(request.data, this.gateway, this.drone);
    const devices = parsed.ok ? parsed.devices.map((d) => d.sn) : [];
    this.log(`ota_create ${request.tid} received${devices.length ? ` for ${devices.join(', ')}` : ''}`);
    this.emitter.emit('ota', { kind: 'create', tid: request.tid, devices } satisfies OtaSimEvent);
    const refuseWith = SCENARIOS[this.scenario].refuseWith;
    if (this.job) return this.refuse(request, DOCK_ERRORS.upgradeAlreadyRunning, `an upgrade (${this.job.tid}) is already running`);
    if (refuseWith !== undefined) return this.refuse(request, refuseWith, `scenario ${this.scenario}`);
    if (!parsed.ok) return this.refuse(request, parsed.result, parsed.reason);
    this.replies.set(request.tid, 0);
    this.reply(request, 0);
    this.startJob(request, parsed.devices);
  }

  private refuse(request: Envelope, result: number, reason: string): void {
    this.log(`ota_create ${request.tid} refused with ${result}: ${reason}`);
    this.replies.set(request.tid, result);
    this.reply(request, result);
  }

  private reply(request: Envelope, result: number): void {
    const data =
      result === 0
        ? { result, output: { status: 'sent', sub_status: '', progress: { percent: 0, step: 1, step_key: '' } } }
        : { result, output: { status: REFUSED_STATUS } };
    this.send(topics.servicesReply(this.gateway), newEnvelope(request.method, data, { tid: request.tid, bid: request.bid }), 1);
    if (request.method === 'ota_create') this.emitter.emit('ota', { kind: 'reply', tid: request.tid, result } satisfies OtaSimEvent);
  }

  private startJob(request: Envelope, devices: OtaDevice[]): void {
    const job: RunningJob = {
      tid: request.tid,
      bid: request.bid,
      variant: this.opts.variant ?? defaultVariant(this.gateway, this.runs),
      devices,
      seq: 0,
      abort: new AbortController(),
    };
    this.runs++;
    this.job = job;
    this.log(`upgrade ${job.tid} started (${job.variant} progress shape)`);
    for (const d of devices) this.publishState(d.sn);
    this.publishOsd();
    runOtaJob(devices, {
      scenario: SCENARIOS[this.scenario],
      intervalMs: this.progressIntervalMs,
      ...(this.opts.downloadBytesPerSec ? { downloadBytesPerSec: this.opts.downloadBytesPerSec } : {}),
      ...(this.drone ? { drone: this.drone } : {}),
      report: (s) => this.reportProgress(job, s),
      log: (line) => this.log(line),
      signal: job.abort.signal,
    }).then(
      (outcome) => this.finishJob(job, outcome),
      (e: Error) => {
        if (!job.abort.signal.aborted) this.log(`upgrade ${job.tid} crashed: ${e.message}`);
      },
    );
  }

  private reportProgress(job: RunningJob, s: ProgressSnapshot): void {
    if (this.job !== job) return;
    const changed = s.subStatus !== job.lastSubStatus || s.status !== 'in_progress';
    job.lastSubStatus = s.subStatus;
    const needReply = this.opts.needReply ?? changed;
    const seq = job.seq++;
    const envelope: Record<string, unknown> = {
      ...newEnvelope('ota_progress', progressData(job.variant, s, seq), { tid: job.tid, bid: job.bid }),
      gateway: this.gateway,
    };
    if (needReply) envelope.need_reply = 1;
    else if (job.variant !== 'step_key') envelope.need_reply = 0;
    if (misspellsTimestamp(job.variant, seq)) {
      envelope['timestamp:'] = envelope.timestamp;
      delete envelope.timestamp;
    }
    if (needReply) this.asked++;
    this.publish(topics.events(this.gateway), JSON.stringify(envelope), 1);
    const rate = s.rate !== undefined && s.step === 1 && s.subStatus === 'DOWNLOADING' ? ` ${Math.round(s.rate / 1024)} KiB/s` : '';
    this.log(`ota_progress ${s.status} ${s.subStatus} step ${s.step} ${s.percent}%${rate}${s.result ? ` result ${s.result}` : ''}`);
    this.emitter.emit('ota', { kind: 'progress', tid: job.tid, status: s.status, subStatus: s.subStatus, step: s.step, percent: s.percent, needReply } satisfies OtaSimEvent);
  }

  private finishJob(job: RunningJob, outcome: JobOutcome): void {
    if (this.job !== job) return;
    this.job = null;
    if (outcome.status === 'ok') {
      for (const d of job.devices) this.versions.set(d.sn, d.productVersion);
      this.log(`upgrade ${job.tid} done: ${job.devices.map((d) => `${d.sn} now ${d.productVersion}`).join(', ')}`);
    } else {
      this.log(`upgrade ${job.tid} failed (${outcome.subStatus}, ${outcome.result}): ${outcome.reason}`);
    }
    for (const d of job.devices) this.publishState(d.sn);
    this.publishOsd();
    this.emitter.emit('ota', {
      kind: 'end',
      tid: job.tid,
      status: outcome.status,
      result: outcome.status === 'ok' ? 0 : outcome.result,
      ...(outcome.status === 'failed' ? { reason: outcome.reason } : {}),
      bytes: outcome.bytes,
    } satisfies OtaSimEvent);
  }
}

export async function startDockSim(opts: DockSimOptions): Promise<DockSim> {
  const scenario = opts.scenario ?? 'ok';
  if (!isScenarioName(scenario)) throw new Error(`unknown scenario "${String(scenario)}"`);
  for (const [name, sn] of [['gateway', opts.gateway], ['drone', opts.drone]] as const) {
    if (sn !== undefined && !/^[^/+#\s]+$/.test(sn)) throw new Error(`${name} SN "${sn}" cannot be part of an MQTT topic`);
  }
  const sim = new DockSimulator(opts, scenario);
  await sim.waitConnected(opts.connectTimeoutMs ?? 15_000, opts.signal);
  return sim;
}
