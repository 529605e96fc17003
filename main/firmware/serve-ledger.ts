// What the file server has actually written to sockets: per download, per grant (one device's download
// for one task), and each grant's current speed over a sliding window. Plain bookkeeping with the clock
// passed in, so it is testable without timing anything.

export interface ConnectionStats {
  /** One in-flight GET; a keep-alive socket carries its downloads one after the other. */
  id: number;
  /** The grant the URL named: it says whose download this is. */
  token: string;
  device: string;
  entryId: string;
  remoteAddress: string;
  /** The byte range being sent, inclusive. */
  start: number;
  end: number;
  bytes: number;
  /** Epoch ms. */
  startedAt: number;
}

export interface GrantStats {
  device: string;
  entryId: string;
  bytes: number;
  activeConnections: number;
  /** Bytes per second over the last few seconds (since the first byte, if that is more recent). */
  bytesPerSecond: number;
  /** Seconds from the first byte written to the last: the download's own duration. */
  activeSeconds: number;
}

export interface ServeStats {
  totalBytes: number;
  activeConnections: number;
  /** By grant token. */
  grants: Record<string, GrantStats>;
  connections: ConnectionStats[];
}

const BUCKET_MS = 250;
export const SPEED_WINDOW_MS = 4000;
const BUCKETS = SPEED_WINDOW_MS / BUCKET_MS;

/** Bytes in fixed time buckets on a ring: adding is O(1), reading the rate sums BUCKETS numbers. */
class SpeedWindow {
  private readonly slots = new Array<number>(BUCKETS).fill(-1);
  private readonly bytes = new Array<number>(BUCKETS).fill(0);
  private firstAt: number | undefined;

  add(n: number, now: number): void {
    const slot = Math.floor(now / BUCKET_MS);
    const i = slot % BUCKETS;
    if (this.slots[i] !== slot) {
      this.slots[i] = slot;
      this.bytes[i] = 0;
    }
    this.bytes[i]! += n;
    this.firstAt ??= now;
  }

  rate(now: number): number {
    if (this.firstAt === undefined) return 0;
    const current = Math.floor(now / BUCKET_MS);
    let sum = 0;
    for (let i = 0; i < BUCKETS; i++) if (this.slots[i]! > current - BUCKETS && this.slots[i]! <= current) sum += this.bytes[i]!;
    // The window runs from the start of its oldest bucket to now, so a partly filled current bucket
    // does not drag the figure down.
    const windowStart = (current - BUCKETS + 1) * BUCKET_MS;
    const spanMs = Math.max(BUCKET_MS, Math.min(now - windowStart, now - this.firstAt));
    return Math.round((sum * 1000) / spanMs);
  }
}

interface GrantRecord {
  device: string;
  entryId: string;
  bytes: number;
  active: number;
  speed: SpeedWindow;
  firstAt?: number;
  lastAt?: number;
}

export class ServeLedger {
  private nextId = 1;
  private total = 0;
  private readonly open = new Map<number, ConnectionStats>();
  private readonly grants = new Map<string, GrantRecord>();

  begin(c: Omit<ConnectionStats, 'id' | 'bytes'>): ConnectionStats {
    const conn: ConnectionStats = { ...c, id: this.nextId++, bytes: 0 };
    this.open.set(conn.id, conn);
    this.grant(conn).active++;
    return conn;
  }

  /** Downloads in flight on one grant. */
  active(token: string): number {
    return this.grants.get(token)?.active ?? 0;
  }

  /** `n` more bytes of `conn` reached the socket. */
  written(conn: ConnectionStats, n: number, now: number): void {
    conn.bytes += n;
    this.total += n;
    const g = this.grant(conn);
    g.bytes += n;
    g.speed.add(n, now);
    g.firstAt ??= now;
    g.lastAt = now;
  }

  end(conn: ConnectionStats): void {
    if (this.open.delete(conn.id)) this.grant(conn).active--;
  }

  snapshot(now: number): ServeStats {
    const grants: Record<string, GrantStats> = {};
    for (const [token, g] of this.grants) {
      const activeSeconds = g.firstAt === undefined ? 0 : ((g.lastAt ?? g.firstAt) - g.firstAt) / 1000;
      grants[token] = { device: g.device, entryId: g.entryId, bytes: g.bytes, activeConnections: g.active, bytesPerSecond: g.speed.rate(now), activeSeconds };
    }
    return {
      totalBytes: this.total,
      activeConnections: this.open.size,
      grants,
      connections: [...this.open.values()].map((c) => ({ ...c })),
    };
  }

  private grant(c: Pick<ConnectionStats, 'token' | 'device' | 'entryId'>): GrantRecord {
    let g = this.grants.get(c.token);
    if (!g) this.grants.set(c.token, (g = { device: c.device, entryId: c.entryId, bytes: 0, active: 0, speed: new SpeedWindow() }));
    return g;
  }
}
