// Runs DJI firmware upgrades. It holds the rows and tasks and routes what happens to the parts that
// decide: the batch queue (what is sent when), the sender (ota_create tries), the task index (which task
// a dock's message belongs to), the state machine (what a row becomes), the silence limits and the row
// figures. Times that decide anything are monotonic: a laptop that sleeps or has its clock set does
// not time an upgrade out.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { BatchSummary, DeviceInfo, DeviceUpgrade, HmsAlert, Phase, PlannedUpgrade, Rollout, State, UpgradeEvent, UpgradeType } from '../../preload/api';
import { packageFit } from '../../preload/firmware-model';
import { checkGates, failedGates, gateInWords, type GateCheck } from '../../preload/upgrade-gates';
import { explainDjiCode } from '../../preload/dji-codes';
import type { Envelope } from '../../wire/dji/envelope';
import { saysUpgrading, type TelemetryRecord } from '../gateway/device-registry';
import type { UplinkMessage } from '../gateway/gateway-client';
import { djiNote, djiPhase, djiProgressEvent } from '../protocols/dji-event';
import { hmsWords, readHms, type HmsEntry } from '../protocols/dji-hms';
import { readDjiProgress, type DjiProgress } from '../protocols/dji-progress';
import { compareVersions } from '../firmware/firmware-name';
import { createLogger, type Logger } from '../log/logger';
import { GuardedEmitter } from '../log/guarded-emitter';
import { BatchQueue } from './batch-queue';
import { rolloutStep, waitingForCanaries, type HoldKind, type RolloutPlan } from './rollout';
import { buildOtaCreate, MAX_DEVICES_PER_CALL, type OtaCreateData } from './ota-create';
import { OtaSender } from './ota-sender';
import { endedFigures, runningFigures, type Served } from './row-figures';
import { pastDownload, silence } from './silence';
import { TaskIndex } from './task-index';
import { initialState, LIVE, step, TERMINAL, type UpgradeInput, type UpgradeState } from './upgrade-machine';
import { rowKey, type UpgradeRow, type UpgradeTask } from './upgrade-task';

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
  /** Publishes a service call at QoS 0; rejects at once when there is no broker connection. */
  publish: (gateway: string, envelope: Envelope) => Promise<void>;
  firmware: (id: string) => UpgradeFirmware | undefined;
  /** The URL `device` downloads its file from; rejects with a one-line reason when the dock could not reach it. */
  fileUrl: (req: { firmwareId: string; device: string; gateway: string; task: string }) => Promise<string>;
  /** The task ended: its download URLs stop working after a grace period. */
  endFiles: (task: string) => void;
  /** The task runs again (it had timed out): its URLs work again. */
  renewFiles: (task: string) => void;
  /** A reader over one snapshot of what the file server sent, per task and device. */
  served: () => (task: string, device: string) => Served;
  device: (sn: string) => DeviceInfo | undefined;
  telemetry: (sn: string) => TelemetryRecord | undefined;
}

export interface UpgradeTimings {
  /** No word from the dock for this long, while waiting for it to start or while it downloads → timed out. */
  watchdogMs: number;
  /** The same once the download is done: installing, and restarting to apply the firmware. */
  rebootMs: number;
  /** How long each ota_create try waits for its services_reply. */
  replyTimeoutMs: number;
  /** ota_create tries (each with a fresh tid) before giving up. */
  sendAttempts: number;
  /** After the dock's ok, how long to wait for the device to report the new firmware_version. */
  verifyTimeoutMs: number;
  /** Gateways upgrading at once; the rest wait queued (and can be canceled). */
  concurrency: number;
  tickMs: number;
}

export const DEFAULT_TIMINGS: UpgradeTimings = {
  watchdogMs: 120_000,
  rebootMs: 900_000,
  replyTimeoutMs: 10_000,
  sendAttempts: 3,
  verifyTimeoutMs: 600_000,
  concurrency: 8,
  tickMs: 500,
};

export interface UpgradeClock {
  /** Monotonic milliseconds: what every timeout is measured on. */
  now: () => number;
  /** Epoch milliseconds: what the rows and the log show. */
  wall: () => number;
}

const SYSTEM_CLOCK: UpgradeClock = { now: () => performance.now(), wall: () => Date.now() };

export interface PlannedDevice {
  sn: string;
  firmwareId: string;
  /** The dock it upgrades through; default: the request's, else the topology's, else itself. */
  gateway?: string;
  /** Overrides the catalogue's version (CLI --firmware-version). */
  targetVersion?: string;
}

export interface PlanRequest {
  devices: PlannedDevice[];
  type: UpgradeType;
  /** The CLI names the gateway; the window finds it from the topology. */
  gateway?: string;
}

export interface StartRequest extends PlanRequest {
  /** Devices the technician confirmed sending despite failed gates. */
  force?: string[];
  /**
   * A device with a failed gate: held in the batch for the technician to release or cancel (the window),
   * or refused outright (the CLI, which has no one to ask later).
   */
  failedGates: 'hold' | 'refuse';
  rollout?: Rollout;
  site?: string;
  technician?: string;
}

export interface StartResult {
  batchId: string;
  accepted: string[];
  refused: { sn: string; reason: string }[];
}

interface UpgradeServiceEvents {
  upgrade: [DeviceUpgrade];
  /** A batch's rollout plan, to keep with the journal so a restarted app goes on with it. */
  plan: [batchId: string, rollout: RolloutPlan];
  event: [UpgradeEvent];
  batch: [BatchSummary];
}

export class UpgradeRefusedError extends Error {
  override name = 'UpgradeRefusedError';
}

/** Alerts kept on a row: the latest few are what a technician acts on. */
const ROW_ALERTS = 5;

export class UpgradeService extends GuardedEmitter<UpgradeServiceEvents> {
  private readonly rows = new Map<string, UpgradeRow>();
  private readonly index: TaskIndex<UpgradeTask>;
  private readonly queue: BatchQueue;
  private readonly sender: OtaSender;
  private readonly dispatching = new Set<UpgradeTask>();
  private timer: NodeJS.Timeout | null = null;
  private readonly timings: UpgradeTimings;

  constructor(
    private readonly deps: UpgradeDeps,
    timings: Partial<UpgradeTimings> = {},
    private readonly clock: UpgradeClock = SYSTEM_CLOCK,
    private readonly log: Logger = createLogger(),
  ) {
    super((event, error) => log.error({ err: error, event }, 'a listener of the upgrade service threw; the upgrade goes on'));
    this.timings = { ...DEFAULT_TIMINGS, ...timings };
    this.index = new TaskIndex((t) => !t.superseded && t.rows.some((r) => !TERMINAL.has(r.state.status) || r.state.status === 'timeout'));
    this.queue = new BatchQueue(this.timings.concurrency);
    this.sender = new OtaSender({ publish: deps.publish, upgradingSince: (gw, since) => (deps.telemetry(gw)?.upgradingAt ?? -Infinity) >= since }, this.timings, {
      tried: (task, envelope, attempt) => {
        task.tids.add(envelope.tid);
        this.index.addTid(task, envelope.tid);
        const files = [...new Set(task.rows.map((r) => `${r.view.fileName} ${r.view.targetVersion}`))].join(', ');
        const tries = attempt > 1 ? ` (try ${attempt} of ${this.timings.sendAttempts}, fresh tid)` : '';
        this.note(task, 'pending', `ota_create sent to ${task.gateway}${tries}: ${task.type}, ${files}`, envelope);
        this.log.info({ gateway: task.gateway, task: task.bid, tid: envelope.tid, attempt }, `ota_create try ${attempt} to ${task.gateway}`);
      },
      notSent: (task, attempt, reason) => this.note(task, 'pending', `ota_create try ${attempt} could not leave: ${reason}`),
      attached: (task) => {
        this.note(task, 'running', `no services_reply, but ${task.gateway} reports it is upgrading: following that upgrade instead of sending again`);
        this.transition(task, { type: 'upgrading' });
      },
      gaveUp: (task, message) => this.transition(task, { type: 'reply-timeout', message }),
    });
  }

  list(): DeviceUpgrade[] {
    return [...this.rows.values()].map((r) => ({ ...r.view }));
  }

  /** True while any device is queued, sent, upgrading or waiting for its new version. */
  busy(): boolean {
    return [...this.rows.values()].some((r) => !TERMINAL.has(r.state.status));
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private openTaskFor(sn: string): UpgradeTask | undefined {
    for (const t of this.index.all()) {
      if (t.superseded) continue;
      if ((t.gateway === sn || t.rows.some((r) => r.view.sn === sn)) && t.rows.some((r) => !TERMINAL.has(r.state.status))) return t;
    }
    return undefined;
  }

  /** What starting these devices would do: each one's package, versions, gates, and whether it can go. */
  plan(req: PlanRequest): PlannedUpgrade[] {
    return dedupe(req.devices).map((p) => {
      const fw = this.deps.firmware(p.firmwareId);
      const device = this.deps.device(p.sn);
      const gateway = p.gateway ?? req.gateway ?? device?.gateway ?? p.sn;
      const model = device?.model ?? 'unknown model';
      const toVersion = p.targetVersion ?? fw?.version;
      const entry: PlannedUpgrade = {
        sn: p.sn,
        gateway,
        model,
        fileName: fw?.fileName ?? p.firmwareId,
        gates: checkGates({ type: req.type, aircraft: p.sn !== gateway, dock: this.deps.telemetry(gateway), device: this.deps.telemetry(p.sn) }),
        notes: [],
        ...(device?.firmwareVersion ? { fromVersion: device.firmwareVersion } : {}),
        ...(toVersion ? { toVersion } : {}),
      };
      const problem = firmwareProblem(fw, p);
      const fit = fw ? packageFit(fw.fileName, device?.product, `${model} ${p.sn}`) : undefined;
      const busyWith = this.openTaskFor(p.sn);
      if (problem) entry.refused = problem;
      else if (fit?.fit === 'other-model') entry.refused = fit.reason;
      else if (busyWith) entry.refused = `already upgrading (task ${busyWith.bid}): DJI docks answer 312014 to a second ota_create`;
      if (fit?.fit === 'unknown') entry.notes.push(fit.note);
      if (entry.fromVersion && toVersion) {
        const order = compareVersions(entry.fromVersion, toVersion);
        if (order === 0) entry.notes.push(`${p.sn} already runs ${toVersion}: it would be flashed with the same version again`);
        if (order > 0) entry.notes.push(`${toVersion} is older than the ${entry.fromVersion} ${p.sn} runs: a downgrade`);
      }
      if (!device?.online) entry.notes.push(device ? `${p.sn} is offline` : `${p.sn} has not reported to Dockside`);
      const unknown = entry.gates.filter((g) => g.status === 'unknown');
      if (unknown.length > 0) entry.notes.push(`not reported yet, so not checked: ${unknown.map((g) => g.words).join(', ')}`);
      return entry;
    });
  }

  start(req: StartRequest): StartResult {
    const planned = dedupe(req.devices);
    const entries = this.plan(req);
    // Nothing can go because of the file itself: said once, as an error.
    const fileProblems = planned.map((p) => firmwareProblem(this.deps.firmware(p.firmwareId), p));
    if (fileProblems.every((p) => p !== undefined)) throw new UpgradeRefusedError(fileProblems[0]);
    const forced = new Set(req.force ?? []);
    const refused: StartResult['refused'] = [];
    type Going = { sn: string; firmware: UpgradeFirmware; targetVersion: string; gates: GateCheck[]; hold?: string; overrides?: string[] };
    const groups = new Map<string, Going[]>();
    for (const [i, p] of planned.entries()) {
      const entry = entries[i]!;
      if (entry.refused) {
        refused.push({ sn: p.sn, reason: entry.refused });
        continue;
      }
      const failed = failedGates(entry.gates);
      const going: Going = { sn: p.sn, firmware: this.deps.firmware(p.firmwareId)!, targetVersion: entry.toVersion!, gates: entry.gates };
      if (failed.length > 0 && forced.has(p.sn)) going.overrides = failed.map((g) => g.gate);
      else if (failed.length > 0 && req.failedGates === 'refuse') {
        refused.push({ sn: p.sn, reason: `held back: ${failed.map(gateInWords).join('; ')}` });
        continue;
      } else if (failed.length > 0) going.hold = `held: ${failed.map(gateInWords).join('; ')}`;
      const group = groups.get(entry.gateway) ?? [];
      if (group.length >= MAX_DEVICES_PER_CALL) {
        refused.push({ sn: p.sn, reason: `gateway ${entry.gateway} already has ${MAX_DEVICES_PER_CALL} devices in this upgrade (a dock and its aircraft)` });
        continue;
      }
      group.push(going);
      groups.set(entry.gateway, group);
    }

    const batchId = randomUUID();
    const rollout = {
      canary: req.rollout?.canary ?? 0,
      ...(req.rollout?.maxParallel ? { maxParallel: req.rollout.maxParallel } : {}),
      ...(req.rollout?.stopAfterFailures ? { stopAfterFailures: req.rollout.stopAfterFailures } : {}),
    };
    const tasks: UpgradeTask[] = [];
    const holds: [UpgradeRow, HoldKind, string][] = [];
    for (const [gateway, devices] of groups) {
      if (this.openTaskFor(gateway)) {
        for (const d of devices) refused.push({ sn: d.sn, reason: `its gateway ${gateway} is already upgrading` });
        continue;
      }
      // A device held by a gate waits in a task of its own, so the other device of its dock can go now.
      const parts = [devices.filter((d) => !d.hold), ...devices.filter((d) => d.hold).map((d) => [d])].filter((part) => part.length > 0);
      for (const part of parts) {
        const rows = part.map((d) => {
          const row = this.newRow(batchId, gateway, d.sn, d.firmware, d.targetVersion, req.type, { gates: d.gates, site: req.site, technician: req.technician, overrides: d.overrides });
          if (d.hold) holds.push([row, 'gate', d.hold]);
          return row;
        });
        const canary = !part[0]!.hold && tasks.filter((t) => t.canary).length < rollout.canary;
        const task = this.newTask(batchId, gateway, req.type, rows, 1, canary);
        tasks.push(task);
        if (!part[0]!.hold && rollout.canary > 0 && !canary) for (const row of rows) holds.push([row, 'rollout', waitingForCanaries(rollout.canary)]);
      }
    }
    const accepted = tasks.flatMap((t) => t.rows.map((r) => r.view.sn));
    if (tasks.length > 0) {
      this.queue.openBatch(
        batchId,
        tasks.flatMap((t) => t.rows.map((r) => r.view.key)),
        rollout,
      );
      this.emit('plan', batchId, rollout);
      for (const [row, kind, reason] of holds) this.hold(row, kind, reason);
      for (const t of tasks) {
        for (const row of t.rows) {
          if (row.view.overrides?.length)
            this.rowNote(
              t,
              row,
              'pending',
              `sent despite failed gates, as the technician confirmed: ${failedGates(row.view.gates ?? [])
                .map(gateInWords)
                .join('; ')}`,
            );
        }
        if (t.rows.every((r) => r.state.status === 'queued')) this.queue.enqueue(t);
      }
      this.pump();
      this.ensureTimer();
      this.announce(batchId);
    }
    return { batchId, accepted, refused };
  }

  /** A held device goes back into its batch's queue; its gates are looked at again unless forced. */
  release(key: string, force = false): DeviceUpgrade {
    const row = this.rowByKey(key);
    const task = this.latestTask(row);
    if (!task || row.state.status !== 'held') throw new UpgradeRefusedError(`only a held device can be released (this one is ${row.state.status})`);
    const busy = this.openTaskFor(task.gateway);
    if (busy && busy !== task) throw new UpgradeRefusedError(`its gateway ${task.gateway} is upgrading (task ${busy.bid}); release it once that ends`);
    for (const r of task.rows) {
      const gates = checkGates({ type: task.type, aircraft: r.view.sn !== task.gateway, dock: this.deps.telemetry(task.gateway), device: this.deps.telemetry(r.view.sn) });
      const failed = failedGates(gates);
      if (failed.length > 0 && !force) throw new UpgradeRefusedError(`${r.view.sn} still fails: ${failed.map(gateInWords).join('; ')}`);
      this.patch(r, { gates, ...(failed.length > 0 ? { overrides: failed.map((g) => g.gate) } : {}) });
      if (failed.length > 0) this.rowNote(task, r, 'pending', `released despite failed gates, as the technician confirmed: ${failed.map(gateInWords).join('; ')}`);
      delete r.hold;
    }
    this.transition(task, { type: 'release' });
    this.queue.enqueue(task);
    this.pump();
    this.ensureTimer();
    return { ...row.view };
  }

  private hold(row: UpgradeRow, kind: HoldKind, reason: string): void {
    const task = this.latestTask(row);
    if (!task) return;
    row.hold = kind;
    this.queue.remove(task);
    this.transitionRow(task, row, { type: 'hold', reason });
  }

  /** After a device of a batch ended: let the rest of a canary batch go, or hold it when too many failed. */
  private applyRollout(batchId: string): void {
    const plan = this.queue.rollout(batchId);
    if (!plan || (plan.canary === 0 && plan.stopAfterFailures === undefined)) return;
    const rows = this.queue.rowKeys(batchId).flatMap((key) => {
      const row = this.rows.get(key);
      return row ? [{ key, sn: row.view.sn, canary: this.latestTask(row)?.canary ?? false, status: row.state.status, ...(row.hold ? { hold: row.hold } : {}) }] : [];
    });
    const decision = rolloutStep(plan, rows);
    for (const h of decision.hold) {
      const row = this.rows.get(h.key)!;
      if (row.state.status === 'held' && row.hold === h.kind && row.view.reason === h.reason) continue;
      this.hold(row, h.kind, h.reason);
    }
    const released = new Set<UpgradeTask>();
    for (const key of decision.release) {
      const row = this.rows.get(key)!;
      const task = this.latestTask(row);
      if (!task || released.has(task)) continue;
      released.add(task);
      for (const r of task.rows) delete r.hold;
      this.note(task, 'pending', 'released by the rollout: every canary dock is verified');
      this.transition(task, { type: 'release' });
      this.queue.enqueue(task);
    }
    if (released.size > 0) this.pump();
  }

  private newRow(
    batchId: string,
    gateway: string,
    sn: string,
    fw: UpgradeFirmware,
    targetVersion: string,
    type: UpgradeType,
    extra: { gates: GateCheck[]; site?: string; technician?: string; overrides?: string[] },
  ): UpgradeRow {
    const nowIso = new Date(this.clock.wall()).toISOString();
    const state = initialState();
    const view: DeviceUpgrade = {
      key: rowKey(batchId, sn),
      tid: '',
      batchId,
      attempt: 1,
      gateway,
      sn,
      firmwareId: fw.id,
      fileName: fw.fileName,
      ...(fw.md5 ? { md5: fw.md5 } : {}),
      targetVersion,
      type,
      gates: extra.gates,
      ...(extra.overrides?.length ? { overrides: extra.overrides } : {}),
      ...(extra.site ? { site: extra.site } : {}),
      ...(extra.technician ? { technician: extra.technician } : {}),
      step: state.step,
      percent: 0,
      status: state.status,
      subStatus: '',
      verified: false,
      bytesServed: 0,
      fileSize: fw.size,
      startedAt: nowIso,
      updatedAt: nowIso,
    };
    const device = this.deps.device(sn);
    if (device?.firmwareVersion) view.fromVersion = device.firmwareVersion;
    if (device?.model) view.model = device.model;
    const row: UpgradeRow = { view, state, lastBytes: 0 };
    this.rows.set(view.key, row);
    return row;
  }

  private newTask(batchId: string, gateway: string, type: UpgradeType, rows: UpgradeRow[], attempt: number, canary = false): UpgradeTask {
    const task: UpgradeTask = { bid: randomUUID(), tid: randomUUID(), tids: new Set(), batchId, gateway, type, rows, lastWord: this.clock.now(), superseded: false, canary };
    this.index.add(task);
    for (const row of rows) this.patch(row, { bid: task.bid, tid: task.tid, attempt, ...(canary ? { canary } : {}) });
    return task;
  }

  cancel(key: string): DeviceUpgrade {
    const row = this.rowByKey(key);
    const task = this.latestTask(row);
    const r = step(row.state, { type: 'cancel' });
    if (!r.changed || !task) throw new UpgradeRefusedError(r.changed ? `no upgrade ${key}` : r.ignored);
    this.queue.remove(task);
    this.transition(task, { type: 'cancel' });
    this.note(task, 'canceled', 'canceled by the technician before it was sent');
    return { ...row.view };
  }

  /** Starts the whole ota_create again (both devices of a dock and its aircraft): the rows' next attempt. */
  retry(key: string): DeviceUpgrade {
    const row = this.rowByKey(key);
    const old = this.latestTask(row);
    const r = step(row.state, { type: 'retry' });
    if (!r.changed || !old) throw new UpgradeRefusedError(r.changed ? `no upgrade ${key}` : r.ignored);
    for (const other of old.rows) {
      const fw = this.deps.firmware(other.view.firmwareId);
      const problem = firmwareProblem(fw, { sn: other.view.sn, firmwareId: other.view.firmwareId, targetVersion: other.view.targetVersion });
      if (problem) throw new UpgradeRefusedError(problem);
    }
    const busy = this.openTaskFor(old.gateway);
    if (busy && busy !== old) throw new UpgradeRefusedError(`its gateway ${old.gateway} is already upgrading (task ${busy.bid})`);
    old.superseded = true;
    this.sender.answered(old);
    const attempt = (row.view.attempt ?? 1) + 1;
    const nowIso = new Date(this.clock.wall()).toISOString();
    for (const other of old.rows) {
      other.state = initialState();
      other.lastBytes = 0;
      delete other.verifyingSince;
      const { reason: _r, code: _c, endedAt: _e, speed: _s, etaSeconds: _eta, alerts: _a, lastReportAt: _l, ...kept } = other.view;
      other.view = { ...kept, status: 'queued', subStatus: '', step: null, percent: 0, verified: false, bytesServed: 0, startedAt: nowIso, updatedAt: nowIso };
      const from = this.deps.device(other.view.sn)?.firmwareVersion;
      if (from) other.view.fromVersion = from;
    }
    const task = this.newTask(old.batchId, old.gateway, old.type, old.rows, attempt);
    this.queue.reopen(old.batchId);
    this.queue.enqueue(task);
    this.pump();
    this.ensureTimer();
    this.announce(old.batchId);
    return { ...row.view };
  }

  private rowByKey(key: string): UpgradeRow {
    const row = this.rows.get(key);
    if (!row) throw new UpgradeRefusedError(`no upgrade ${key}`);
    return row;
  }

  private latestTask(row: UpgradeRow): UpgradeTask | undefined {
    return row.view.bid === undefined ? undefined : this.index.get(row.view.bid);
  }

  private inFlight(): number {
    let n = this.dispatching.size;
    for (const t of this.index.all()) if (!t.superseded && t.rows.some((r) => LIVE.has(r.state.status))) n++;
    return n;
  }

  private pump(): void {
    const inBatch = (batchId: string) =>
      [...this.index.all()].filter((t) => t.batchId === batchId && !t.superseded && (this.dispatching.has(t) || t.rows.some((r) => LIVE.has(r.state.status)))).length;
    for (const task of this.queue.next(this.inFlight(), inBatch)) void this.dispatch(task);
  }

  /** Finds each device's download URL (which may mean listening on another address), then sends. */
  private async dispatch(task: UpgradeTask): Promise<void> {
    this.dispatching.add(task);
    let data: OtaCreateData;
    try {
      const devices = await Promise.all(
        task.rows.map(async (row) => {
          const fw = this.deps.firmware(row.view.firmwareId);
          if (!fw?.md5) throw new Error(`${row.view.fileName} left the catalogue before it was sent`);
          const fileUrl = await this.deps.fileUrl({ firmwareId: fw.id, device: row.view.sn, gateway: task.gateway, task: task.bid });
          return { sn: row.view.sn, productVersion: row.view.targetVersion, fileUrl, md5: fw.md5, fileSize: fw.size, fileName: fw.fileName, type: task.type };
        }),
      );
      data = buildOtaCreate(devices);
    } catch (e) {
      this.dispatching.delete(task);
      if (task.superseded || task.rows.some((r) => r.state.status !== 'queued')) return;
      const message = (e as Error).message;
      this.note(task, 'failed', `not sent: ${message}`);
      this.transition(task, { type: 'send-failed', message });
      return;
    }
    this.dispatching.delete(task);
    if (task.superseded || task.rows.some((r) => r.state.status !== 'queued')) return;
    this.transition(task, { type: 'publish' });
    task.lastWord = this.clock.now();
    this.sender.begin(task, data, this.clock.now());
  }

  /** Everything the gateway client hears goes through here. */
  handle(msg: UplinkMessage): void {
    const { envelope, kind, sn } = msg;
    if (kind === 'events' && envelope.method === 'ota_progress') this.onProgress(sn, envelope);
    else if (kind === 'events' && envelope.method === 'hms') this.onHms(sn, envelope);
    else if (kind === 'services_reply' && envelope.method === 'ota_create') this.onReply(sn, envelope);
    else if (kind === 'services_reply')
      this.emitEvent(
        djiNote({
          device: sn,
          campaign: envelope.tid,
          phase: 'queued',
          state: 'failed',
          percent: null,
          message: `services_reply to ${envelope.method} with tid ${envelope.tid} ignored: Dockside sent no such call`,
          raw: envelope,
        }),
      );
    else if (kind === 'state' || kind === 'osd') this.onTelemetry(sn, envelope);
  }

  private onReply(gateway: string, envelope: Envelope): void {
    const match = this.index.match(gateway, { bid: '', tid: envelope.tid });
    if (!match.task) {
      this.emitEvent(
        djiNote({
          device: gateway,
          campaign: envelope.tid,
          phase: 'queued',
          state: 'failed',
          percent: null,
          message: `services_reply to ota_create with unknown tid ${envelope.tid} ignored: ${match.foreign}`,
          raw: envelope,
        }),
      );
      return;
    }
    const task = match.task;
    const read = readDjiProgress(envelope.data);
    if (!read.ok) {
      this.malformed(task, `services_reply to ota_create is malformed: ${read.reason}`, envelope);
      return;
    }
    if (task.superseded) {
      this.note(task, 'pending', `services_reply to an earlier attempt's ota_create (result ${read.progress.result}): not applied`, envelope);
      return;
    }
    const retried = task.send !== undefined && task.send.tries > 1;
    this.sender.answered(task);
    this.heard(task);
    this.emitProgress(task, read.progress, envelope);
    if (retried && read.progress.result === 312014) {
      // The retry found the dock running the task an earlier try started, whose reply was lost.
      this.note(task, 'running', `${gateway} answered the retry with 312014: it is already running the first ota_create; following it`);
      this.transition(task, { type: 'upgrading' });
      return;
    }
    this.transition(task, { type: 'reply', progress: read.progress });
  }

  private onProgress(gateway: string, envelope: Envelope): void {
    const read = readDjiProgress(envelope.data);
    const match = this.index.match(gateway, { bid: envelope.bid, tid: envelope.tid });
    if (!read.ok) {
      if (match.task) this.malformed(match.task, `ota_progress is malformed: ${read.reason}`, envelope);
      else
        this.emitEvent(
          djiNote({ device: gateway, campaign: envelope.bid || envelope.tid, phase: 'queued', state: 'failed', percent: null, message: `ota_progress is malformed: ${read.reason}`, raw: envelope }),
        );
      return;
    }
    if (!match.task || match.task.superseded) {
      // Someone else's upgrade (DJI Pilot, FlightHub), an earlier attempt, or one this app has forgotten: log it, track nothing.
      const why = match.task ? `it belongs to an earlier attempt (task ${match.task.bid})` : match.foreign;
      const e = djiProgressEvent({ device: gateway, tid: envelope.bid || envelope.tid, time: envelope.timestamp, progress: read.progress, raw: envelope });
      this.emitEvent({ ...e, message: `not applied, ${why}: ${e.message}` });
      return;
    }
    const task = match.task;
    this.heard(task);
    this.emitProgress(task, read.progress, envelope);
    this.transition(task, { type: 'report', progress: read.progress });
  }

  private onHms(gateway: string, envelope: Envelope): void {
    const read = readHms(envelope.data);
    const task = this.index.openOn(gateway)[0] ?? this.recentTaskOn(gateway);
    if (!read.ok) {
      this.emitEvent(djiNote({ device: gateway, campaign: task?.tid ?? '', phase: 'queued', state: 'failed', percent: null, message: `hms is malformed: ${read.reason}`, raw: envelope }));
      return;
    }
    const time = new Date(this.clock.wall()).toISOString();
    const list = (envelope.data as { list: unknown[] }).list;
    for (const [i, a] of read.alerts.entries()) {
      const row = task && rowForAlert(task, a);
      // A device whose topology has not come yet is model 'unknown': the alert's own device_type says more.
      const known = row ? this.deps.device(row.view.sn)?.model : undefined;
      const words = hmsWords(a, known === 'unknown' ? undefined : known);
      const at = row?.state;
      this.emitEvent(
        djiNote({
          device: row?.view.sn ?? gateway,
          campaign: task?.tid ?? '',
          phase: at ? phaseOf(at) : 'queued',
          state: at && !TERMINAL.has(at.status) ? 'running' : 'pending',
          percent: null,
          message: `health alert from ${gateway}: ${words}`,
          raw: list[i],
        }),
      );
      if (row) {
        const alert: HmsAlert = { code: a.code, level: a.level, words, time };
        const kept = (row.view.alerts ?? []).filter((x) => x.code !== a.code);
        this.patch(row, { alerts: [...kept, alert].slice(-ROW_ALERTS) });
      }
    }
  }

  /** The latest task sent to a gateway, while it is still of interest (verifying, or timed out). */
  private recentTaskOn(gateway: string): UpgradeTask | undefined {
    let found: UpgradeTask | undefined;
    for (const t of this.index.all()) if (t.gateway === gateway && !t.superseded) found = t;
    return found;
  }

  private onTelemetry(sn: string, envelope: Envelope): void {
    const data = (typeof envelope.data === 'object' && envelope.data !== null ? envelope.data : {}) as Record<string, unknown>;
    const version = typeof data.firmware_version === 'string' && data.firmware_version ? data.firmware_version : undefined;
    const upgrading = saysUpgrading({
      modeCode: typeof data.mode_code === 'number' ? data.mode_code : undefined,
      firmwareUpgradeStatus: typeof data.firmware_upgrade_status === 'number' ? data.firmware_upgrade_status : undefined,
    });
    for (const task of this.index.all()) {
      if (task.superseded) continue;
      const mine = task.rows.find((r) => r.view.sn === sn);
      if (upgrading && (task.gateway === sn || mine) && this.index.openOn(task.gateway).includes(task)) {
        const state = task.rows[0]!.state;
        // Once the file is down, "upgrading" telemetry is the dock's life: it may report nothing else
        // until it has restarted. During the download only progress and served bytes are.
        if (pastDownload(state)) {
          this.heard(task);
          if (state.status === 'timeout') {
            this.note(task, 'running', `${sn} reports it is upgrading: following the upgrade again`, envelope);
            this.transition(task, { type: 'upgrading' });
          }
        }
      }
      if (mine && version !== undefined) this.onVersion(task, mine, version, envelope);
    }
  }

  private onVersion(task: UpgradeTask, row: UpgradeRow, version: string, raw: Envelope): void {
    const status = row.state.status;
    if (status === 'queued' || status === 'ok' || status === 'failed' || status === 'rejected' || status === 'canceled') return;
    const target = row.view.targetVersion;
    // A device already on the target version proves nothing by reporting it, until the dock has said ok.
    const proves = version === target && (row.view.fromVersion !== target || status === 'verifying' || status === 'not_verified');
    if (proves) {
      const before = status;
      this.transitionRow(task, row, { type: 'version-seen', version });
      const how =
        before === 'verifying' ? '' : before === 'timeout' || before === 'not_verified' ? ' (after the time limit: it had only been away)' : ' (no ok event needed: the device itself says so)';
      this.emitEvent(
        djiNote({ device: row.view.sn, campaign: task.tid, phase: 'done', state: 'succeeded', percent: 100, message: `verified: ${row.view.sn} reports firmware_version ${version}${how}`, raw }),
      );
    } else if (version !== target && status === 'verifying') {
      this.transitionRow(task, row, { type: 'version-other', version, target });
    }
  }

  private heard(task: UpgradeTask): void {
    task.lastWord = this.clock.now();
    const iso = new Date(this.clock.wall()).toISOString();
    for (const row of task.rows) if (!TERMINAL.has(row.state.status)) this.patch(row, { lastReportAt: iso });
  }

  private emitProgress(task: UpgradeTask, progress: DjiProgress, raw: Envelope): void {
    for (const row of task.rows) this.emitEvent(djiProgressEvent({ device: row.view.sn, tid: task.tid, time: raw.timestamp, progress, raw }));
    if (progress.rate !== null) for (const row of task.rows) this.patch(row, { speed: progress.rate });
  }

  private malformed(task: UpgradeTask, message: string, raw: unknown): void {
    this.note(task, 'failed', message, raw);
  }

  private note(task: UpgradeTask, state: State, message: string, raw: unknown = null): void {
    for (const row of task.rows) this.emitEvent(djiNote({ device: row.view.sn, campaign: task.tid, phase: phaseOf(row.state), state, percent: null, message, raw }));
  }

  private emitEvent(e: UpgradeEvent): void {
    this.emit('event', e);
  }

  private transition(task: UpgradeTask, input: UpgradeInput): void {
    for (const row of task.rows) this.transitionRow(task, row, input);
  }

  private transitionRow(task: UpgradeTask, row: UpgradeRow, input: UpgradeInput): void {
    const before = row.state;
    const r = step(before, input);
    if (!r.changed) return;
    row.state = r.state;
    const after = r.state.status;
    const now = this.clock.now();
    const nowIso = new Date(this.clock.wall()).toISOString();
    const patch: Partial<DeviceUpgrade> = { status: after, subStatus: r.state.subStatus, step: r.state.step, percent: r.state.percent, verified: after === 'ok', updatedAt: nowIso };
    if (r.state.code !== undefined) patch.code = r.state.code;
    const reason = r.state.code !== undefined && after !== 'ok' ? explainDjiCode(r.state.code) : r.state.reason;
    if (after === 'verifying' && before.status !== 'verifying') row.verifyingSince = now;
    if (TERMINAL.has(after)) {
      if (!TERMINAL.has(before.status)) {
        patch.endedAt = nowIso;
        Object.assign(patch, endedFigures(this.deps.served()(task.bid, row.view.sn)));
      }
    } else if (row.view.endedAt) {
      patch.endedAt = undefined;
    }
    this.patch(row, { ...patch, reason: after === 'ok' ? undefined : reason });
    if (after === before.status) return;
    this.log.info(
      { device: row.view.sn, gateway: task.gateway, task: task.bid, tid: task.tid, attempt: row.view.attempt, from: before.status, to: after, ...(reason ? { reason } : {}) },
      `${row.view.sn} ${before.status} → ${after}`,
    );
    if (after === 'timeout') this.note(task, 'failed', `timed out: ${r.state.reason}`);
    if (after === 'not_verified') this.rowNote(task, row, 'failed', `not verified: ${r.state.reason}`);
    if (before.status === 'timeout' && !TERMINAL.has(after)) this.deps.renewFiles(task.bid);
    if (after === 'verifying') this.checkVersionNow(task, row);
    if (TERMINAL.has(after) && task.rows.every((x) => TERMINAL.has(x.state.status))) {
      this.deps.endFiles(task.bid);
      this.applyRollout(task.batchId);
      this.pump();
    }
    this.announce(task.batchId);
  }

  /** The device may have reported its new version before the dock's ok arrived. */
  private checkVersionNow(task: UpgradeTask, row: UpgradeRow): void {
    const t = this.deps.telemetry(row.view.sn);
    if (t?.firmwareVersion === row.view.targetVersion && (t.versionAt ?? -Infinity) >= (task.send?.firstAt ?? -Infinity) && row.view.fromVersion !== row.view.targetVersion) {
      this.transitionRow(task, row, { type: 'version-seen', version: t.firmwareVersion });
    }
  }

  private rowNote(task: UpgradeTask, row: UpgradeRow, state: State, message: string): void {
    this.emitEvent(djiNote({ device: row.view.sn, campaign: task.tid, phase: phaseOf(row.state), state, percent: null, message, raw: null }));
  }

  private patch(row: UpgradeRow, patch: Partial<DeviceUpgrade>): void {
    const next = { ...row.view, ...patch };
    for (const k of Object.keys(patch) as (keyof DeviceUpgrade)[]) if (patch[k] === undefined) delete next[k];
    row.view = next;
    this.emit('upgrade', { ...next });
  }

  private announce(batchId: string): void {
    const summary = this.queue.summary(batchId, (key) => this.rows.get(key)?.view, new Date(this.clock.wall()).toISOString());
    if (summary) this.emit('batch', summary);
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.timings.tickMs);
    this.timer.unref();
  }

  /** Send tries, silence limits, verify windows, and the bytes / speed / ETA of each running row. */
  tick(): void {
    const now = this.clock.now();
    let served: ((task: string, device: string) => Served) | undefined;
    for (const task of [...this.index.all()]) {
      if (task.superseded) continue;
      this.sender.tick(task, now);
      for (const row of task.rows) {
        if (row.state.status === 'verifying' && row.verifyingSince !== undefined && now - row.verifyingSince > this.timings.verifyTimeoutMs) {
          this.transitionRow(task, row, { type: 'verify-timeout', seconds: Math.round(this.timings.verifyTimeoutMs / 1000), target: row.view.targetVersion });
        }
      }
      if (!task.rows.some((r) => LIVE.has(r.state.status))) continue;
      served ??= this.deps.served();
      for (const row of task.rows) {
        const s = served(task.bid, row.view.sn);
        // Bytes leaving our file server for this download are the dock's life too.
        if (s.bytes > row.lastBytes) {
          row.lastBytes = s.bytes;
          task.lastWord = now;
        }
        const stepSeconds = (now - task.lastWord) / 1000;
        const patch = runningFigures(row.view, row.state, s, Math.max(stepSeconds, (this.clock.wall() - Date.parse(row.view.startedAt)) / 1000));
        if (Object.keys(patch).length > 0) this.patch(row, patch);
      }
      if (task.send) continue;
      const verdict = silence(task.rows[0]!.state, task.lastWord, now, { watchdogMs: this.timings.watchdogMs, rebootMs: this.timings.rebootMs });
      if (verdict) this.transition(task, { type: 'silence', seconds: verdict.seconds, during: verdict.during });
    }
  }

  /**
   * Re-attaches upgrade rows saved in the journal: running ones resume on their task's next message,
   * one waiting for its new version goes on waiting, and a row never sent says the app restarted.
   */
  restore(saved: DeviceUpgrade[], plans: ReadonlyMap<string, RolloutPlan> = new Map()): void {
    const byTask = new Map<string, DeviceUpgrade[]>();
    for (const row of saved) {
      if (this.rows.has(row.key)) continue;
      const bid = row.bid ?? row.tid;
      byTask.set(bid, [...(byTask.get(bid) ?? []), row]);
    }
    const batches = new Map<string, string[]>();
    const now = this.clock.now();
    for (const [bid, views] of byTask) {
      const first = views[0]!;
      const rows: UpgradeRow[] = views.map((v) => {
        // Not sent before the restart: it waits for the technician to resume it, never goes on its own.
        const unsent = v.status === 'queued' || v.status === 'held';
        const view = unsent ? { ...v, status: 'held' as const, reason: 'held: the app restarted before it was sent; release to send it, or cancel' } : { ...v };
        const state: UpgradeState = { status: view.status, subStatus: view.subStatus, step: view.step, percent: view.percent };
        if (view.code !== undefined) state.code = view.code;
        if (view.reason !== undefined) state.reason = view.reason;
        const row: UpgradeRow = { view, state, lastBytes: view.bytesServed, ...(unsent ? { hold: 'restart' as const } : {}) };
        if (view.status === 'verifying') row.verifyingSince = now;
        this.rows.set(view.key, row);
        return row;
      });
      const task: UpgradeTask = {
        bid,
        tid: first.tid,
        tids: new Set([first.tid]),
        batchId: first.batchId ?? `restored-${bid}`,
        gateway: first.gateway,
        type: first.type,
        rows,
        lastWord: now,
        superseded: false,
        canary: first.canary === true,
      };
      this.index.add(task);
      batches.set(task.batchId, [...(batches.get(task.batchId) ?? []), ...rows.map((r) => r.view.key)]);
      if (rows.some((r) => !TERMINAL.has(r.state.status) || r.state.status === 'timeout')) this.ensureTimer();
    }
    for (const [batchId, keys] of batches) {
      this.queue.openBatch(batchId, keys, plans.get(batchId));
      // An ended batch is not announced again; a live one is, once its rows end.
      this.queue.summary(batchId, (key) => this.rows.get(key)?.view, new Date(this.clock.wall()).toISOString());
    }
  }
}

function dedupe(devices: PlannedDevice[]): PlannedDevice[] {
  const seen = new Map<string, PlannedDevice>();
  for (const d of devices) if (!seen.has(d.sn)) seen.set(d.sn, d);
  return [...seen.values()];
}

/** Why a device cannot be sent its firmware yet, or undefined. */
function firmwareProblem(fw: UpgradeFirmware | undefined, planned: PlannedDevice): string | undefined {
  if (!fw) return `unknown firmware ${planned.firmwareId}`;
  if (fw.hashing || !fw.md5) return `${fw.fileName} is still being hashed`;
  if (!(planned.targetVersion ?? fw.version)) return `the firmware version of ${fw.fileName} is unknown: enter it first`;
  return undefined;
}

/** The row an alert is about: an aircraft alert (device type domain 0) to the aircraft's row, others to the dock's. */
function rowForAlert(task: UpgradeTask, alert: HmsEntry): UpgradeRow | undefined {
  const aboutAircraft = alert.deviceType.split('-')[0] === '0';
  return task.rows.find((r) => (r.view.sn !== task.gateway) === aboutAircraft) ?? task.rows[0];
}

function phaseOf(state: UpgradeState): Phase {
  if (state.status === 'ok' || state.status === 'verifying' || state.status === 'not_verified') return 'done';
  return djiPhase({ status: null, subStatus: null, step: state.step });
}

/** One line for people: "DOCK1 in_progress download 42% (DOWNLOADING)". */
export function describeRow(row: DeviceUpgrade): string {
  const parts = [row.sn, row.status];
  if (row.attempt !== undefined && row.attempt > 1) parts.push(`(attempt ${row.attempt})`);
  if (row.step && !TERMINAL.has(row.status) && row.status !== 'verifying') parts.push(row.step, `${row.percent}%`);
  if (row.subStatus) parts.push(`(${row.subStatus})`);
  if (row.status === 'verifying') parts.push(`waiting for ${row.targetVersion}`);
  if (row.status === 'ok') parts.push(`verified ${row.targetVersion}`);
  if (row.reason && row.status !== 'ok') parts.push(`— ${row.reason}`);
  return parts.join(' ');
}
