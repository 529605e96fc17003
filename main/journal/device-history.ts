// A device's upgrade history, folded from the upgrade records the app journals: one entry per attempt
// (the latest record of each task wins), oldest first. Pure, so the window, the CLI and exports agree.
import { DeviceUpgradeSchema, type DeviceHistoryEntry, type DeviceUpgrade } from '../../preload/api';
import { DJI_STATUS_WORDS, explainDjiCode } from '../../preload/dji-codes';

/** "upgraded and verified", or the end with its reason: "rejected by the dock: 312015: dock busy — retry when idle". */
export function resultInWords(u: DeviceUpgrade): string {
  const status = DJI_STATUS_WORDS[u.status].toLowerCase();
  if (u.status === 'ok') return status;
  const reason = u.reason ?? (u.code !== undefined ? explainDjiCode(u.code) : undefined);
  return reason ? `${status}: ${reason}` : status;
}

export class DeviceHistory {
  private readonly attempts = new Map<string, DeviceUpgrade>();

  constructor(private readonly sn: string) {}

  /** One journaled upgrade record (any device); damaged records are skipped. */
  add(value: unknown): void {
    const parsed = DeviceUpgradeSchema.safeParse(value);
    if (!parsed.success || parsed.data.sn !== this.sn) return;
    this.attempts.set(parsed.data.bid ?? parsed.data.tid, parsed.data);
  }

  entries(): DeviceHistoryEntry[] {
    return [...this.attempts.values()]
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
      .map((u) => {
        const ended = u.endedAt ? Date.parse(u.endedAt) : NaN;
        const entry: DeviceHistoryEntry = { startedAt: u.startedAt, toVersion: u.targetVersion, fileName: u.fileName, status: u.status, result: resultInWords(u), bytesServed: u.bytesServed };
        if (u.batchId) entry.batchId = u.batchId;
        if (u.attempt) entry.attempt = u.attempt;
        if (u.endedAt) entry.endedAt = u.endedAt;
        if (Number.isFinite(ended)) entry.durationSeconds = Math.round((ended - Date.parse(u.startedAt)) / 1000);
        if (u.fromVersion) entry.fromVersion = u.fromVersion;
        if (u.site) entry.site = u.site;
        if (u.technician) entry.technician = u.technician;
        if (u.overrides?.length) entry.overrides = u.overrides;
        return entry;
      });
  }
}
