// Who may download what from the file server: one grant per device and task, named by an unguessable
// token in the URL. The token, not a query string, says whose download it is, so bytes are counted for a
// device only from its own download; a task's grants stop working a while after the task ends (the
// while covers a dock that reboots or retries a Range request), and a grant serves only a few
// connections at once.
import { randomBytes } from 'node:crypto';

export interface Grant {
  /** 128 random bits in hex: the URL is only guessable by whoever was sent it in ota_create. */
  readonly token: string;
  readonly entryId: string;
  /** The device (SN) the URL was sent for. */
  readonly device: string;
  /** The upgrade task (its bid) the URL belongs to. */
  readonly task: string;
  /** The address the URL names, so a restarted app listens there again. */
  readonly host?: string;
  /** Epoch ms after which the grant no longer serves; absent while its task runs. */
  readonly expiresAt?: number;
}

export const TOKEN_PATTERN = /^[0-9a-f]{32}$/;

/** How long a task's URLs keep working after it ended: a dock that restarts or resumes a download late. */
export const GRANT_GRACE_MS = 30 * 60_000;

export class FileGrants {
  private readonly byToken = new Map<string, Grant>();

  constructor(private readonly onChange: (grant: Grant) => void = () => undefined) {}

  grant(entryId: string, device: string, task: string): Grant {
    const existing = [...this.byToken.values()].find((g) => g.entryId === entryId && g.device === device && g.task === task);
    if (existing && existing.expiresAt === undefined) return existing;
    return this.put({ token: randomBytes(16).toString('hex'), entryId, device, task });
  }

  /** Grants kept in the journal: a dock still downloading an URL sent before a restart can go on. */
  restore(grants: readonly Grant[], now: number): void {
    for (const g of grants) {
      if (!TOKEN_PATTERN.test(g.token) || (g.expiresAt !== undefined && g.expiresAt <= now)) continue;
      this.byToken.set(g.token, g);
    }
  }

  /** The task ended: its grants serve for `graceMs` more, then never again. */
  expireTask(task: string, at: number): void {
    for (const g of this.byToken.values()) {
      if (g.task === task && (g.expiresAt === undefined || g.expiresAt > at)) this.put({ ...g, expiresAt: at });
    }
  }

  /** Records the address a grant's URL was given for. */
  at(grant: Grant, host: string): Grant {
    const current = this.byToken.get(grant.token);
    if (!current || current.host === host) return current ?? grant;
    return this.put({ ...current, host });
  }

  /** The task runs again (a resumed timeout): its grants serve again. */
  renewTask(task: string): void {
    for (const g of this.byToken.values()) {
      if (g.task === task && g.expiresAt !== undefined) {
        const { expiresAt: _expired, ...live } = g;
        this.put(live);
      }
    }
  }

  valid(token: string, now: number): Grant | undefined {
    const g = this.byToken.get(token);
    if (!g) return undefined;
    if (g.expiresAt !== undefined && g.expiresAt <= now) {
      this.byToken.delete(token);
      return undefined;
    }
    return g;
  }

  /** Drops grants of an entry no longer in the catalogue. */
  revokeEntry(entryId: string): void {
    for (const [token, g] of this.byToken) if (g.entryId === entryId) this.byToken.delete(token);
  }

  list(): Grant[] {
    return [...this.byToken.values()];
  }

  private put(g: Grant): Grant {
    this.byToken.set(g.token, g);
    this.onChange(g);
    return g;
  }
}
