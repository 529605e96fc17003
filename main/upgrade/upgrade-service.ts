// Runs DJI firmware upgrades: batches of devices grouped per gateway, one ota_create per gateway,
// progress followed per tid through the state machine, a watchdog, and verification by firmware_version.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { BatchSummary, DeviceInfo, DeviceUpgrade, UpgradeEvent, UpgradeType } from '../../preload/api';
import { explainDjiCode } from '../../preload/dji-codes';
import type { Envelope } from '../../wire/dji/envelope';
import type { UplinkMessage } from '../gateway/gateway-client';
import { djiNote, djiProgressEvent } from '../protocols/dji-event';
import { readDjiProgress, type DjiProgress } from '../protocols/dji-progress';
import { buildOtaCreate, MAX_DEVICES_PER_CALL } from './ota-create';
import { initialState, step, TERMINAL, type UpgradeInput, type UpgradeState } from './upgrade-machine';

export interface UpgradeFirmware {
  id: string;
  fileName: string;
  size: number;
  md5?: string;
  version?: string;
  hashing?: unknown;
}

/** What the service needs from the rest of the core, kept narrow so tests can wire real parts simply. */
export interface UpgradeDeps {
  callService(gateway: string, method: string, data: unknown, timeoutMs: number, opts: { tid: string; onSent: (env: Envelope) => void }): Promise<Envelope>;
  firmware(id: string): UpgradeFirmware | undefined;
  urlFor(firmwareId: string, device: string): string;
  /**
   * A reader over one snapshot of the file server's counts: bytes actually written for a device's
   * download, and its current speed (B/s). Taken once per tick, read for every row.
   */
  served(): ServedReader;
  device(sn: string): DeviceInfo | undefined;
}

export type ServedReader = (firmwareId: string, device: string) => { bytes: number; speed: number };

export interface UpgradeTimings {
  /** No word from the dock for this long → timed out. */
  watchdogMs: number;
  /** No services_reply to ota_create for this long → timed out. */
  replyTimeoutMs: number;
  /** After ok, how long to wait for the new firmware_version before saying "not verified". */
  verifyTimeoutMs: number;
  /** Gateways upgrading at once; the rest wait queued (and can be canceled). */
  concurrency: number;
  tickMs: number;
}

export const DEFAULT_TIMINGS: UpgradeTimings = {
  watchdogMs: 120_000,
  replyTimeoutMs: 30_000,
  verifyTimeoutMs: 180_000,
  concurrency: 8,
  tickMs: 500,
};

interface Task {
  tid: string;
  batchId: string;
  gateway: string;
  firmwareId: string;
  type: UpgradeType;
  targetVersion: string;
  state: UpgradeState;
  rows: DeviceUpgrade[];
  lastActivity: number;
  stepStartedAt: number;
  okAt?: number;
  /** Verification settled: verified, or given up after verifyTimeoutMs. */
  settled: boolean;
}

export interface StartRequest {
  firmwareId: string;
  devices: string[];
  type: UpgradeType;
  /** The CLI names the gateway; the UI finds it from the topology. */
  gateway?: string;
  /** Overrides the catalogue's version (CLI --firmware-version). */
  targetVersion?: string;
}

export interface StartResult {
  batchId: string;
  accepted: string[];
  refused: { sn: string; reason: string }[];
}

interface UpgradeServiceEvents {
  upgrade: [DeviceUpgrade];
  event: [UpgradeEvent];
  batch: [BatchSummary];
}

export class UpgradeRefusedError extends Error {}

export class UpgradeService extends EventEmitter<UpgradeServiceEvents> {
  private tasks = new Map<string, Task>();
  private queue: Task[] = [];
  private batches = new Map<string, { tids: Set<string>; ended: boolean }>();
  private timer: NodeJS.Timeout | null = null;
  private readonly timings: UpgradeTimings;

  constructor(
    private readonly deps: UpgradeDeps,
    timings: Partial<UpgradeTimings> = {},
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.timings = { ...DEFAULT_TIMINGS, ...timings };
  }

  list(): DeviceUpgrade[] {
    return [...this.tasks.values()].flatMap((t) => t.rows);
  }

  /** True while any device is queued, sent or upgrading (the desktop app keeps the laptop awake). */
  busy(): boolean {
    return [...this.tasks.values()].some((t) => !TERMINAL.has(t.state.status));
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private activeTaskFor(sn: string): Task | undefined {
    for (const t of this.tasks.values()) {
      if (!TERMINAL.has(t.state.status) && (t.gateway === sn || t.rows.some((r) => r.sn === sn))) return t;
    }
    return undefined;
  }

  start(req: StartRequest): StartResult {
    const fw = this.deps.firmware(req.firmwareId);
    if (!fw) throw new UpgradeRefusedError(`unknown firmware ${req.firmwareId}`);
    if (fw.hashing || !fw.md5) throw new UpgradeRefusedError(`${fw.fileName} is still being hashed`);
    const targetVersion = req.targetVersion ?? fw.version;
    if (!targetVersion) throw new UpgradeRefusedError(`the firmware version of ${fw.fileName} is unknown: enter it first`);

    const batchId = randomUUID();
    const refused: StartResult['refused'] = [];
    const groups = new Map<string, string[]>();
    for (const sn of new Set(req.devices)) {
      const busyWith = this.activeTaskFor(sn);
      if (busyWith) {
        refused.push({ sn, reason: `already upgrading (task ${busyWith.tid.slice(0, 8)}): DJI docks answer 312014 to a second ota_create` });
        continue;
      }
      const gateway = req.gateway ?? this.deps.device(sn)?.gateway ?? sn;
      const group = groups.get(gateway) ?? [];
      if (group.length >= MAX_DEVICES_PER_CALL) {
        refused.push({ sn, reason: `gateway ${gateway} already has ${MAX_DEVICES_PER_CALL} devices in this upgrade (a dock and its aircraft)` });
        continue;
      }
      group.push(sn);
      groups.set(gateway, group);
    }
    const tids = new Set<string>();
    for (const [gateway, sns] of groups) {
      const gatewayBusy = this.activeTaskFor(gateway);
      if (gatewayBusy) {
        for (const sn of sns) refused.push({ sn, reason: `its gateway ${gateway} is already upgrading` });
        continue;
      }
      const task = this.newTask(batchId, gateway, sns, req.firmwareId, req.type, targetVersion, fw);
      tids.add(task.tid);
    }
    const accepted = [...tids].flatMap((tid) => this.tasks.get(tid)!.rows.map((r) => r.sn));
    if (tids.size > 0) {
      this.batches.set(batchId, { tids, ended: false });
      this.pump();
      this.ensureTimer();
    }
    return { batchId, accepted, refused };
  }

  private newTask(batchId: string, gateway: string, sns: string[], firmwareId: string, type: UpgradeType, targetVersion: string, fw: UpgradeFirmware): Task {
    const tid = randomUUID();
    const nowIso = new Date(this.now()).toISOString();
    const state = initialState();
    const rows = sns.map((sn): DeviceUpgrade => {
      const row: DeviceUpgrade = {
        key: `${tid}:${sn}`,
        tid,
        gateway,
        sn,
        firmwareId,
        fileName: fw.fileName,
        targetVersion,
        type,
        step: null,
        percent: 0,
        status: state.status,
        subStatus: '',
        verified: false,
        bytesServed: 0,
        fileSize: fw.size,
        startedAt: nowIso,
        updatedAt: nowIso,
      };
      const from = this.deps.device(sn)?.firmwareVersion;
      if (from) row.fromVersion = from;
      return row;
    });
    const task: Task = { tid, batchId, gateway, firmwareId, type, targetVersion, state, rows, lastActivity: this.now(), stepStartedAt: this.now(), settled: false };
    this.tasks.set(tid, task);
    this.queue.push(task);
    for (const r of rows) this.emit('upgrade', r);
    return task;
  }

  cancel(key: string): DeviceUpgrade {
    const task = this.taskByKey(key);
    const r = step(task.state, { type: 'cancel' });
    if (!r.changed) throw new UpgradeRefusedError(r.ignored);
    this.queue = this.queue.filter((t) => t !== task);
    this.apply(task, r.state);
    this.note(task, 'canceled', 'canceled by the technician before it was sent');
    this.checkBatch(task.batchId);
    return task.rows.find((row) => row.key === key)!;
  }

  /** Starts the whole ota_create again (both devices of a dock+drone task) under a fresh tid. */
  retry(key: string): DeviceUpgrade {
    const task = this.taskByKey(key);
    if (!['failed', 'rejected', 'timeout', 'canceled'].includes(task.state.status)) {
      throw new UpgradeRefusedError(`only a failed, rejected, timed-out or canceled upgrade can be retried (this one is ${task.state.status})`);
    }
    const fw = this.deps.firmware(task.firmwareId);
    if (!fw) throw new UpgradeRefusedError('its firmware file is no longer in the catalogue');
    const sn = key.slice(task.tid.length + 1);
    const result = this.start({ firmwareId: task.firmwareId, devices: task.rows.map((r) => r.sn), type: task.type, gateway: task.gateway, targetVersion: task.targetVersion });
    const fresh = [...this.tasks.values()].find((t) => t.batchId === result.batchId);
    const row = fresh?.rows.find((r) => r.sn === sn);
    if (!row) throw new UpgradeRefusedError(result.refused[0]?.reason ?? 'refused');
    return { ...row };
  }

  private taskByKey(key: string): Task {
    const tid = key.slice(0, 36);
    const task = this.tasks.get(tid);
    if (!task || !task.rows.some((r) => r.key === key)) throw new UpgradeRefusedError(`no upgrade ${key}`);
    return task;
  }

  private running(): number {
    let n = 0;
    for (const t of this.tasks.values()) if (!TERMINAL.has(t.state.status) && t.state.status !== 'queued') n++;
    return n;
  }

  private pump(): void {
    while (this.queue.length > 0 && this.running() < this.timings.concurrency) {
      this.send(this.queue.shift()!);
    }
  }

  private send(task: Task): void {
    const fw = this.deps.firmware(task.firmwareId);
    if (!fw?.md5) {
      this.transition(task, { type: 'send-failed', message: 'the firmware file left the catalogue before it was sent' });
      return;
    }
    let data;
    try {
      data = buildOtaCreate(
        task.rows.map((r) => ({
          sn: r.sn,
          productVersion: task.targetVersion,
          fileUrl: this.deps.urlFor(task.firmwareId, r.sn),
          md5: fw.md5!,
          fileSize: fw.size,
          fileName: fw.fileName,
          type: task.type,
        })),
      );
    } catch (e) {
      this.transition(task, { type: 'send-failed', message: (e as Error).message });
      return;
    }
    this.transition(task, { type: 'publish' });
    this.deps
      .callService(task.gateway, 'ota_create', data, this.timings.replyTimeoutMs, {
        tid: task.tid,
        onSent: (env) => this.note(task, 'pending', `ota_create sent to ${task.gateway} (${task.type}, ${task.targetVersion}, ${fw.fileName})`, env, 'queued'),
      })
      .then((reply) => this.onReply(task, reply))
      .catch((e: Error) => {
        this.transition(task, e.name === 'ServiceTimeoutError' || /no services_reply/.test(e.message) ? { type: 'reply-timeout', message: e.message } : { type: 'send-failed', message: e.message });
      });
  }

  private onReply(task: Task, reply: Envelope): void {
    const read = readDjiProgress(reply.data);
    if (!read.ok) {
      this.malformed(task.gateway, task.tid, `services_reply to ota_create is malformed: ${read.reason}`, reply);
      return;
    }
    task.lastActivity = this.now();
    this.emitProgressEvents(task, read.progress, reply);
    this.transition(task, { type: 'reply', progress: read.progress });
  }

  /** Everything the gateway client hears goes through here. */
  handle(msg: UplinkMessage): void {
    const { envelope } = msg;
    if (msg.kind === 'events' && envelope.method === 'ota_progress') {
      const task = this.tasks.get(envelope.tid);
      const read = readDjiProgress(envelope.data);
      if (!read.ok) {
        this.malformed(msg.sn, envelope.tid, `ota_progress is malformed: ${read.reason}`, envelope);
        return;
      }
      if (!task) {
        // Someone else's upgrade (DJI Pilot, FlightHub) or one this app has forgotten: log it, track nothing.
        this.emit('event', djiProgressEvent({ device: msg.sn, tid: envelope.tid, time: envelope.timestamp, progress: read.progress, raw: envelope }));
        return;
      }
      task.lastActivity = this.now();
      this.emitProgressEvents(task, read.progress, envelope);
      this.transition(task, { type: 'report', progress: read.progress });
    } else if (msg.kind === 'state') {
      const data = envelope.data as Record<string, unknown> | null;
      const version = data && typeof data.firmware_version === 'string' ? data.firmware_version : undefined;
      if (version) this.onFirmwareVersion(msg.sn, version, envelope);
    }
  }

  private onFirmwareVersion(sn: string, version: string, raw: Envelope): void {
    for (const task of this.tasks.values()) {
      if (task.state.status !== 'ok' || task.settled) continue;
      const row = task.rows.find((r) => r.sn === sn);
      if (!row || row.verified) continue;
      if (version === task.targetVersion) {
        this.patchRow(row, { verified: true });
        this.emit('event', djiNote({ device: sn, campaign: task.tid, phase: 'done', state: 'succeeded', percent: 100, message: `verified: ${sn} reports firmware_version ${version}`, raw }));
      } else {
        this.patchRow(row, { reason: `reports firmware_version ${version}, expected ${task.targetVersion}` });
      }
      if (task.rows.every((r) => r.verified)) this.settle(task);
    }
  }

  private settle(task: Task): void {
    task.settled = true;
    this.checkBatch(task.batchId);
  }

  private emitProgressEvents(task: Task, progress: DjiProgress, raw: Envelope): void {
    for (const row of task.rows) this.emit('event', djiProgressEvent({ device: row.sn, tid: task.tid, time: raw.timestamp, progress, raw }));
    if (progress.rate !== null) for (const row of task.rows) row.speed = progress.rate;
  }

  private malformed(device: string, tid: string, message: string, raw: unknown): void {
    this.emit('event', djiNote({ device, campaign: tid, phase: 'queued', state: 'failed', percent: null, message, raw }));
  }

  private note(task: Task, state: UpgradeEvent['state'], message: string, raw: unknown = null, phase: UpgradeEvent['phase'] = 'queued'): void {
    for (const row of task.rows) this.emit('event', djiNote({ device: row.sn, campaign: task.tid, phase, state, percent: null, message, raw }));
  }

  private transition(task: Task, input: UpgradeInput): void {
    const before = task.state;
    const r = step(before, input);
    if (!r.changed) return;
    this.apply(task, r.state);
    const after = r.state.status;
    if (after === before.status) return;
    if (after === 'timeout') this.note(task, 'failed', `timed out: ${r.state.reason}`, null, before.step === 'upgrade' ? 'install' : before.step === 'download' ? 'download' : 'queued');
    if (after === 'failed' && input.type === 'send-failed') this.note(task, 'failed', `not sent: ${input.message}`);
    if (after === 'ok') {
      task.okAt = this.now();
      for (const row of task.rows) {
        if (this.deps.device(row.sn)?.firmwareVersion === task.targetVersion && row.fromVersion !== task.targetVersion) this.patchRow(row, { verified: true });
      }
      if (task.rows.every((row) => row.verified)) task.settled = true;
    }
    if (TERMINAL.has(after)) {
      this.pump();
      this.checkBatch(task.batchId);
    }
  }

  private apply(task: Task, state: UpgradeState): void {
    if (state.step !== task.state.step) task.stepStartedAt = this.now();
    task.state = state;
    // Only "ok" waits for the new firmware_version; every other end is final at once.
    if (TERMINAL.has(state.status) && state.status !== 'ok') task.settled = true;
    const nowIso = new Date(this.now()).toISOString();
    for (const row of task.rows) {
      const patch: Partial<DeviceUpgrade> = { status: state.status, subStatus: state.subStatus, step: state.step, percent: state.percent, updatedAt: nowIso };
      if (state.code !== undefined) {
        patch.code = state.code;
        patch.reason = explainDjiCode(state.code);
      } else if (state.reason !== undefined) patch.reason = state.reason;
      if (TERMINAL.has(state.status)) {
        patch.endedAt = nowIso;
        patch.etaSeconds = 0;
      } else if (row.endedAt) {
        delete row.endedAt;
        delete row.reason;
      }
      this.patchRow(row, patch);
    }
  }

  private patchRow(row: DeviceUpgrade, patch: Partial<DeviceUpgrade>): void {
    Object.assign(row, patch);
    this.emit('upgrade', { ...row });
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.timings.tickMs);
    this.timer.unref();
  }

  /** Watchdog, verification window, and the served-bytes / speed / ETA figures of each row. */
  tick(): void {
    const now = this.now();
    let served: ServedReader | undefined;
    for (const task of this.tasks.values()) {
      const status = task.state.status;
      if (status === 'sent' || status === 'in_progress' || status === 'paused') {
        if (now - task.lastActivity > this.timings.watchdogMs) {
          this.transition(task, { type: 'watchdog', silentSeconds: Math.round(this.timings.watchdogMs / 1000) });
          continue;
        }
        served ??= this.deps.served();
        for (const row of task.rows) this.refreshFigures(task, row, now, served);
      }
      if (status === 'ok' && !task.settled && task.okAt !== undefined && now - task.okAt > this.timings.verifyTimeoutMs) {
        for (const row of task.rows) {
          if (!row.verified) {
            this.patchRow(row, { reason: row.reason ?? `not verified: no firmware_version ${task.targetVersion} reported within ${Math.round(this.timings.verifyTimeoutMs / 1000)} s` });
            this.emit('event', djiNote({ device: row.sn, campaign: task.tid, phase: 'done', state: 'succeeded', percent: 100, message: `ok but not verified: ${row.reason}`, raw: null }));
          }
        }
        this.settle(task);
      }
    }
  }

  private refreshFigures(task: Task, row: DeviceUpgrade, now: number, servedBy: ServedReader): void {
    const served = servedBy(task.firmwareId, row.sn);
    const patch: Partial<DeviceUpgrade> = {};
    if (served.bytes !== row.bytesServed) patch.bytesServed = served.bytes;
    const speed = served.speed > 0 ? served.speed : row.speed;
    if (speed !== undefined && speed !== row.speed) patch.speed = speed;
    let eta: number | undefined;
    if (task.state.step !== 'upgrade' && speed && speed > 0 && row.fileSize > 0) {
      eta = Math.max(0, (row.fileSize - served.bytes) / speed);
    } else if (task.state.percent > 0 && task.state.percent < 100) {
      const elapsed = (now - task.stepStartedAt) / 1000;
      eta = (elapsed * (100 - task.state.percent)) / task.state.percent;
    }
    if (eta !== undefined) {
      const rounded = Math.round(eta);
      if (rounded !== row.etaSeconds) patch.etaSeconds = rounded;
    }
    if (Object.keys(patch).length > 0) this.patchRow(row, patch);
  }

  private checkBatch(batchId: string): void {
    const batch = this.batches.get(batchId);
    if (!batch || batch.ended) return;
    const tasks = [...batch.tids].map((tid) => this.tasks.get(tid)!);
    const done = tasks.every((t) => TERMINAL.has(t.state.status) && t.settled);
    const summary = this.summary(batchId, tasks);
    if (done) {
      batch.ended = true;
      summary.endedAt = new Date(this.now()).toISOString();
    }
    this.emit('batch', summary);
  }

  private summary(batchId: string, tasks: Task[]): BatchSummary {
    const counts: Record<string, number> = {};
    let total = 0;
    for (const t of tasks) {
      for (const row of t.rows) {
        const label = row.status === 'ok' && row.verified ? 'verified' : row.status;
        counts[label] = (counts[label] ?? 0) + 1;
        total++;
      }
    }
    return { batchId, total, counts };
  }

  /** Re-attaches upgrade rows saved in the journal: in-flight ones resume on their tid's next progress. */
  restore(rows: DeviceUpgrade[]): void {
    const byTid = new Map<string, DeviceUpgrade[]>();
    for (const row of rows) byTid.set(row.tid, [...(byTid.get(row.tid) ?? []), row]);
    for (const [tid, taskRows] of byTid) {
      if (this.tasks.has(tid)) continue;
      const first = taskRows[0]!;
      const inFlight = !TERMINAL.has(first.status) && first.status !== 'queued';
      const state: UpgradeState = { status: first.status === 'queued' ? 'canceled' : first.status, subStatus: first.subStatus, step: first.step, percent: first.percent };
      if (first.code !== undefined) state.code = first.code;
      const restoredRows = taskRows.map((r) => (r.status === 'queued' ? { ...r, status: 'canceled' as const, reason: 'the app restarted before it was sent' } : { ...r }));
      const ok = state.status === 'ok';
      this.tasks.set(tid, {
        tid,
        batchId: `restored-${tid}`,
        gateway: first.gateway,
        firmwareId: first.firmwareId,
        type: first.type,
        targetVersion: first.targetVersion,
        state,
        rows: restoredRows,
        lastActivity: this.now(),
        stepStartedAt: this.now(),
        ...(ok ? { okAt: this.now() } : {}),
        settled: ok ? restoredRows.every((r) => r.verified) : TERMINAL.has(state.status),
      });
      if (inFlight || ok) this.ensureTimer();
    }
  }
}

/** One line for people: "DOCK1 in_progress download 42% (DOWNLOADING)". */
export function describeRow(row: DeviceUpgrade): string {
  const parts = [row.sn, row.status];
  if (row.step && !TERMINAL.has(row.status)) parts.push(row.step, `${row.percent}%`);
  if (row.subStatus) parts.push(`(${row.subStatus})`);
  if (row.status === 'ok') parts.push(row.verified ? `verified ${row.targetVersion}` : 'not verified yet');
  if (row.reason && row.status !== 'ok') parts.push(`— ${row.reason}`);
  return parts.join(' ');
}

