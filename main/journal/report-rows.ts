// The report's rows: one per device and campaign, folded from the event stream (any protocol) and,
// for DJI upgrades, from the upgrade state the app journaled (firmware before/after, timeouts).
// Only one small row per device is kept, whatever the number of events.
import { DeviceUpgradeSchema, type DeviceUpgrade, type UpgradeEvent } from '../../preload/api';
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

export interface ReportRow {
  device: string;
  source: string;
  campaign: string;
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
}

/** DJI task status → report outcome; the statuses not listed are still running. */
const DJI_OUTCOME: Partial<Record<DeviceUpgrade['status'], Outcome>> = {
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

export class ReportRows {
  private readonly rows = new Map<string, ReportRow>();
  private readonly upgrades = new Map<string, DeviceUpgrade>();
  eventCount = 0;

  private row(device: string, campaign: string, source: string): ReportRow {
    const key = `${device}\u0000${campaign}`;
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
    const row = this.row(String(e.device ?? ''), String(e.campaign ?? ''), String(e.source ?? ''));
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

  /** The latest journaled state of a DJI upgrade (the last record for a key wins). */
  addUpgrade(value: unknown): void {
    const parsed = DeviceUpgradeSchema.safeParse(value);
    if (parsed.success) this.upgrades.set(parsed.data.key, parsed.data);
  }

  result(): ReportRow[] {
    for (const u of this.upgrades.values()) {
      const row = this.row(u.sn, u.tid, 'dji');
      row.firmwareBefore = u.fromVersion;
      const outcome = DJI_OUTCOME[u.status] ?? 'unfinished';
      row.firmwareAfter = outcome === 'succeeded' ? u.targetVersion : u.fromVersion;
      row.outcome = outcome;
      const started = Date.parse(u.startedAt);
      if (Number.isFinite(started) && (row.start === undefined || started < row.start)) row.start = started;
      const ended = u.endedAt === undefined ? NaN : Date.parse(u.endedAt);
      row.end = Number.isFinite(ended) ? ended : outcome === 'unfinished' ? undefined : row.end;
      if (outcome === 'failed' || outcome === 'canceled' || outcome === 'not_verified') {
        const code = u.code === undefined ? '' : ` (${u.code})`;
        row.reason = u.reason ? `${u.status}: ${u.reason}${code}` : `${u.status}${code}`;
      } else {
        row.reason = undefined;
      }
    }
    return [...this.rows.values()].sort((a, b) => a.device.localeCompare(b.device) || (a.start ?? 0) - (b.start ?? 0));
  }
}

export function outcomeCounts(rows: ReportRow[]): Record<Outcome, number> {
  const counts = { succeeded: 0, failed: 0, not_verified: 0, canceled: 0, unfinished: 0 };
  for (const r of rows) counts[r.outcome]++;
  return counts;
}
