// The report's rows: one per device and real campaign, folded from the event stream (any protocol) and,
// for DJI upgrades, from the upgrade state the app journaled: one row per device per batch with its latest
// attempt, the earlier attempts kept below it, the file, MD5 and model, overrides. aktualizr's correlation
// id (urn:here-ota:campaign:<id>) is folded into its campaign, as the Vehicles view does. Only small rows
// are kept, whatever the number of events.
import { DeviceUpgradeSchema, type DeviceUpgrade, type UpgradeEvent } from '../../preload/api';
import { DJI_END_NEXT_STEP, DJI_STATUS_WORDS, failureInWords } from '../../preload/dji-codes';
import { GATES, type GateId } from '../../preload/upgrade-gates';
import { campaignGroup } from '../campaigns/campaign-index';
import { eventTimeMs } from './records';

export const OUTCOMES = ['succeeded', 'failed', 'not_verified', 'canceled', 'unfinished'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** "not verified": the dock said it worked, the device never showed its new version. A failure of its own kind. */
export const OUTCOME_WORDS: Readonly<Record<Outcome, string>> = {
  succeeded: 'succeeded',
  failed: 'failed',
  not_verified: 'not verified',
  canceled: 'canceled',
  unfinished: 'unfinished',
};

export interface ReportAttempt {
  attempt: number;
  start?: number;
  end?: number;
  outcome: Outcome;
  reason?: string;
}

export interface ReportRow {
  device: string;
  source: string;
  /** The campaign as the protocol names it, folded; for DJI the batch id. */
  campaign: string;
  /** DJI: when the batch started (its first attempt). */
  batchStart?: number;
  model?: string;
  fileName?: string;
  md5?: string;
  firmwareBefore?: string;
  firmwareAfter?: string;
  /** ms since the epoch */
  start?: number;
  end?: number;
  /** Time of the last event seen, for a row that has not ended. */
  lastSeen?: number;
  outcome: Outcome;
  reason?: string;
  events: number;
  lastPhase?: string;
  /** The latest attempt's number, when there was more than one. */
  attempt?: number;
  /** Earlier attempts, oldest first. */
  attempts?: ReportAttempt[];
  /** Gates that failed and were sent despite, in words. */
  overrides?: string[];
  site?: string;
  technician?: string;
}

/** DJI task status → report outcome; the statuses not listed are still running. */
export const DJI_OUTCOME: Partial<Record<DeviceUpgrade['status'], Outcome>> = {
  ok: 'succeeded',
  not_verified: 'not_verified',
  failed: 'failed',
  rejected: 'failed',
  timeout: 'failed',
  canceled: 'canceled',
};

function eventOutcome(e: UpgradeEvent): Outcome {
  if (e.state === 'failed') return 'failed';
  if (e.state === 'canceled') return 'canceled';
  if (e.state === 'succeeded' && e.phase === 'done') return 'succeeded';
  return 'unfinished';
}

/** How a DJI attempt ended, the code said once with the next step: "rejected by the dock: 312015 — the dock is busy: …". */
export function djiReason(u: Pick<DeviceUpgrade, 'status' | 'code' | 'reason'>): string | undefined {
  const outcome = DJI_OUTCOME[u.status];
  if (outcome === undefined || outcome === 'succeeded') return u.status === 'held' ? u.reason : undefined;
  const status = DJI_STATUS_WORDS[u.status].toLowerCase();
  if (u.code !== undefined && u.code !== 0) return `${status}: ${failureInWords(u.code)}`;
  const next = DJI_END_NEXT_STEP[u.status];
  const said = u.reason ? `${status}: ${u.reason}` : status;
  return next ? `${said} — ${next}` : said;
}

const ms = (iso: string | undefined) => {
  const t = iso === undefined ? NaN : Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
};

export class ReportRows {
  private readonly rows = new Map<string, ReportRow>();
  /** Row key → attempt task (bid) → its latest record. */
  private readonly upgrades = new Map<string, Map<string, DeviceUpgrade>>();
  eventCount = 0;

  private row(device: string, campaign: string, source: string): ReportRow {
    const key = `${source}\u0000${device}\u0000${campaign}`;
    let row = this.rows.get(key);
    if (!row) {
      row = { device, campaign, source, outcome: 'unfinished', events: 0 };
      this.rows.set(key, row);
    }
    return row;
  }

  addEvent(e: UpgradeEvent): void {
    this.eventCount++;
    // Journaled events are stored as the decoders made them; read every field defensively.
    const source = String(e.source ?? '');
    const row = this.row(String(e.device ?? ''), campaignGroup(e.source, String(e.campaign ?? '')), source);
    row.events++;
    const t = eventTimeMs(e);
    if (t !== undefined) {
      if (row.start === undefined || t < row.start) row.start = t;
      if (row.lastSeen === undefined || t > row.lastSeen) row.lastSeen = t;
    }
    row.lastPhase = String(e.phase ?? '');
    row.outcome = eventOutcome(e);
    if (row.outcome === 'unfinished') {
      row.end = undefined;
      row.reason = undefined;
    } else {
      row.end = t;
      row.reason = row.outcome === 'succeeded' ? undefined : String(e.message ?? '');
    }
  }

  /** A journaled state of a DJI upgrade (the last record of each attempt wins). */
  addUpgrade(value: unknown): void {
    const parsed = DeviceUpgradeSchema.safeParse(value);
    if (!parsed.success) return;
    const u = parsed.data;
    const attempts = this.upgrades.get(u.key) ?? new Map<string, DeviceUpgrade>();
    attempts.set(u.bid ?? u.tid, u);
    this.upgrades.set(u.key, attempts);
  }

  /**
   * DJI rows come from the upgrades Dockside ran; a DJI event of no such upgrade (a note, a task started
   * by DJI Pilot) stays in the log and the CSV, not in the customer's table.
   */
  result(): ReportRow[] {
    const upgradeRows = new Set<ReportRow>();
    for (const attempts of this.upgrades.values()) {
      const all = [...attempts.values()].sort((a, b) => (a.attempt ?? 1) - (b.attempt ?? 1) || a.startedAt.localeCompare(b.startedAt));
      const u = all.at(-1)!;
      // The events of every attempt (campaign: its tid) belong to this one row.
      let events = 0;
      for (const a of all) {
        const key = `dji\u0000${u.sn}\u0000${a.tid}`;
        events += this.rows.get(key)?.events ?? 0;
        this.rows.delete(key);
      }
      const row = this.row(u.sn, u.batchId ?? u.tid, 'dji');
      upgradeRows.add(row);
      row.events = events;
      const outcome = DJI_OUTCOME[u.status] ?? 'unfinished';
      const first = all[0]!;
      row.batchStart = ms(first.startedAt);
      row.start = ms(first.startedAt);
      row.end = outcome === 'unfinished' ? undefined : (ms(u.endedAt) ?? ms(u.updatedAt));
      row.lastSeen = ms(u.updatedAt);
      row.outcome = outcome;
      row.reason = djiReason(u);
      row.firmwareBefore = first.fromVersion ?? u.fromVersion;
      row.firmwareAfter = outcome === 'succeeded' ? u.targetVersion : u.fromVersion;
      row.fileName = u.fileName;
      if (u.md5) row.md5 = u.md5;
      if (u.model) row.model = u.model;
      if (u.site) row.site = u.site;
      if (u.technician) row.technician = u.technician;
      const overrides = [...new Set(all.flatMap((a) => a.overrides ?? []))];
      if (overrides.length) row.overrides = overrides.map((g) => (g in GATES ? `${GATES[g as GateId].words} (${GATES[g as GateId].code})` : g));
      if (all.length > 1) {
        row.attempt = u.attempt ?? all.length;
        row.attempts = all.slice(0, -1).map((a, i) => {
          const o = DJI_OUTCOME[a.status] ?? 'unfinished';
          const attempt: ReportAttempt = { attempt: a.attempt ?? i + 1, outcome: o };
          const start = ms(a.startedAt);
          const end = ms(a.endedAt);
          if (start !== undefined) attempt.start = start;
          if (end !== undefined) attempt.end = end;
          const reason = djiReason(a);
          if (reason) attempt.reason = reason;
          return attempt;
        });
      }
    }
    return [...this.rows.values()].filter((r) => r.source !== 'dji' || upgradeRows.has(r)).sort((a, b) => a.device.localeCompare(b.device) || (a.start ?? 0) - (b.start ?? 0));
  }
}

export function outcomeCounts(rows: ReportRow[]): Record<Outcome, number> {
  const counts = { succeeded: 0, failed: 0, not_verified: 0, canceled: 0, unfinished: 0 };
  for (const r of rows) counts[r.outcome]++;
  return counts;
}
