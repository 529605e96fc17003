// What the core writes to the journal and rebuilds itself from on start. Events are the history; the
// state kinds (device, firmware, upgrade, settings) are "last record of a key wins".
import type { ConnectionSettings, DeviceInfo, DeviceUpgrade, UpgradeEvent } from '../../preload/api';
import type { FirmwareEntry } from '../firmware/catalogue';
import type { Grant } from '../firmware/file-grants';
import type { RolloutPlan } from '../upgrade/rollout';
import { Journal, type RecoveryReport } from '../journal/journal';

export const STATE_KINDS = ['device', 'firmware', 'firmwareRemoved', 'upgrade', 'grant', 'batch', 'settings'] as const;

export interface SavedSettings {
  connection?: Omit<ConnectionSettings, 'password'>;
  /** The download address the technician set ('' = chosen per dock). */
  serveHost?: string;
  /** The file server's port, kept so URLs sent before a restart still work after it. */
  fileServerPort?: number;
}

export interface RestoredState {
  devices: DeviceInfo[];
  firmware: FirmwareEntry[];
  upgrades: DeviceUpgrade[];
  /** Download grants, the latest record of each token. */
  grants: Grant[];
  /** Each batch's rollout plan. */
  plans: Map<string, RolloutPlan>;
  settings: SavedSettings;
}

/** The fields of an upgrade row worth a journal record; percent, bytes and ETA ticks live in events. */
function upgradeMilestone(row: DeviceUpgrade): string {
  return JSON.stringify([row.status, row.step, row.subStatus, row.verified, row.reason ?? '', row.code ?? 0, row.bid ?? '', row.attempt ?? 1, row.alerts?.length ?? 0]);
}

function deviceMilestone(d: DeviceInfo): string {
  return JSON.stringify([d.gateway, d.kind, d.model, d.firmwareVersion ?? '', d.online, d.mode ?? '']);
}

/** One line per torn tail that opening the journal set aside: it happens once, so it goes to stderr and the Log. */
export function tailNotes(recovery: RecoveryReport): string[] {
  return recovery.tails.map(
    (t) =>
      `journal: ${t.segment} ended with ${t.bytes} bytes that were not a finished record (offset ${t.offset}: ${t.reason}), ` +
      `most likely from a crash mid-write; ${t.movedTo ? `set aside in ${t.movedTo}` : 'left in place'}. Everything before them is intact.`,
  );
}

/** Damaged lines in the middle stay on disk and are met again at every start: said on stderr only. */
export function skippedNote(recovery: RecoveryReport): string | undefined {
  if (recovery.skipped.length === 0) return undefined;
  const bytes = recovery.skipped.reduce((n, s) => n + s.bytes, 0);
  return `journal: skipped ${recovery.skipped.length} damaged lines (${bytes} bytes) in the middle of the journal; they stay on disk and are left out of the history.`;
}

export type JournalHealth = { state: 'ok' } | { state: 'failing'; reason: string; since: string };

export class AppJournal {
  /** The outcome of the latest append: null when it landed, the error when it did not (never rejects). */
  private last: Promise<Error | null> = Promise.resolve(null);
  private healthNow: JournalHealth = { state: 'ok' };
  private readonly healthListeners = new Set<(h: JournalHealth) => void>();
  private readonly upgradeSeen = new Map<string, string>();
  private readonly deviceSeen = new Map<string, string>();

  private constructor(readonly journal: Journal) {}

  static async open(dataDir: string): Promise<AppJournal> {
    return new AppJournal(await Journal.open(dataDir, { groupCommitMs: 2 }));
  }

  /** Whether what the app records reaches the disk: a failing write is said, never swallowed. */
  get health(): JournalHealth {
    return this.healthNow;
  }

  onHealth(listener: (h: JournalHealth) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  private setHealth(next: JournalHealth): void {
    if (next.state === this.healthNow.state && (next.state === 'ok' || (this.healthNow.state === 'failing' && this.healthNow.reason === next.reason))) return;
    this.healthNow = next;
    for (const l of this.healthListeners) l(next);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.last = p.then(
      () => {
        this.setHealth({ state: 'ok' });
        return null;
      },
      (e: unknown) => {
        const error = e instanceof Error ? e : new Error(String(e));
        this.setHealth({ state: 'failing', reason: error.message, since: new Date().toISOString() });
        return error;
      },
    );
    return p;
  }

  /**
   * Resolves once every record appended so far is on disk; rejects when the latest write failed, so
   * an MQTT message is then not acknowledged and the broker delivers it again.
   */
  settled(): Promise<void> {
    return this.last.then((e) => {
      if (e) throw e;
    });
  }

  events(events: UpgradeEvent[]): Promise<void> {
    return this.track(this.journal.appendMany(events.map((event) => ({ kind: 'event', event })))).then(() => undefined);
  }

  upgrade(row: DeviceUpgrade): Promise<void> | undefined {
    const m = upgradeMilestone(row);
    if (this.upgradeSeen.get(row.key) === m) return undefined;
    this.upgradeSeen.set(row.key, m);
    return this.track(this.journal.append({ kind: 'upgrade', upgrade: row })).then(() => undefined);
  }

  device(d: DeviceInfo): Promise<void> | undefined {
    const m = deviceMilestone(d);
    if (this.deviceSeen.get(d.sn) === m) return undefined;
    this.deviceSeen.set(d.sn, m);
    return this.track(this.journal.append({ kind: 'device', device: d })).then(() => undefined);
  }

  firmware(entry: FirmwareEntry): Promise<void> | undefined {
    if (entry.hashing) return undefined;
    return this.track(this.journal.append({ kind: 'firmware', firmware: entry })).then(() => undefined);
  }

  firmwareRemoved(id: string): Promise<void> {
    return this.track(this.journal.append({ kind: 'firmwareRemoved', id })).then(() => undefined);
  }

  batchPlan(batchId: string, rollout: RolloutPlan): Promise<void> {
    return this.track(this.journal.append({ kind: 'batch', batchId, rollout })).then(() => undefined);
  }

  grant(g: Grant): Promise<void> {
    return this.track(this.journal.append({ kind: 'grant', grant: g })).then(() => undefined);
  }

  settings(settings: SavedSettings): Promise<void> {
    return this.track(this.journal.append({ kind: 'settings', settings })).then(() => undefined);
  }

  async restore(): Promise<RestoredState> {
    const devices = new Map<string, DeviceInfo>();
    const firmware = new Map<string, FirmwareEntry>();
    const upgrades = new Map<string, DeviceUpgrade>();
    const grants = new Map<string, Grant>();
    const plans = new Map<string, RolloutPlan>();
    let settings: SavedSettings = {};
    for await (const batch of this.journal.replayBatches({ kinds: [...STATE_KINDS] })) {
      for (const r of batch as Record<string, unknown>[]) {
        if (r.kind === 'device') {
          const d = r.device as DeviceInfo;
          devices.set(d.sn, d);
          this.deviceSeen.set(d.sn, deviceMilestone(d));
        } else if (r.kind === 'firmware') {
          const f = r.firmware as FirmwareEntry;
          firmware.set(f.id, f);
        } else if (r.kind === 'firmwareRemoved') {
          firmware.delete(r.id as string);
        } else if (r.kind === 'upgrade') {
          const u = r.upgrade as DeviceUpgrade;
          upgrades.set(u.key, u);
          this.upgradeSeen.set(u.key, upgradeMilestone(u));
        } else if (r.kind === 'batch') {
          plans.set(r.batchId as string, r.rollout as RolloutPlan);
        } else if (r.kind === 'grant') {
          const g = r.grant as Grant;
          grants.set(g.token, g);
        } else if (r.kind === 'settings') {
          settings = { ...settings, ...(r.settings as SavedSettings) };
        }
      }
    }
    return { devices: [...devices.values()], firmware: [...firmware.values()], upgrades: [...upgrades.values()], grants: [...grants.values()], plans, settings };
  }

  async close(): Promise<void> {
    await this.last;
    await this.journal.close();
  }
}
