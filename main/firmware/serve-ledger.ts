// What the file server has actually written to sockets: per download, per device, and each device's
// current speed over a sliding window. Plain bookkeeping with the clock passed in, so it is testable
// without timing anything.

export interface ConnectionStats {
  /** One in-flight GET; a keep-alive socket carries its downloads one after the other. */
  id: number;
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

export interface DeviceStats {
  device: string;
  bytes: number;
  /** Per firmware entry id. */
  entries: Record<string, number>;
  activeConnections: number;
  /** Bytes per second over the last few seconds (since the first byte, if that is more recent). */
  bytesPerSecond: number;
}

export interface ServeStats {
  totalBytes: number;
  activeConnections: number;
  devices: Record<string, DeviceStats>;
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

interface DeviceRecord {
  bytes: number;
  entries: Map<string, number>;
  active: number;
  speed: SpeedWindow;
}

export class ServeLedger {
  private nextId = 1;
  private total = 0;
  private readonly open = new Map<number, ConnectionStats>();
  private readonly devices = new Map<string, DeviceRecord>();

  begin(c: Omit<ConnectionStats, 'id' | 'bytes'>): ConnectionStats {
    const conn: ConnectionStats = { ...c, id: this.nextId++, bytes: 0 };
    this.open.set(conn.id, conn);
    this.device(c.device).active++;
    return conn;
  }

  /** `n` more bytes of `conn` reached the socket. */
  written(conn: ConnectionStats, n: number, now: number): void {
    conn.bytes += n;
    this.total += n;
    const d = this.device(conn.device);
    d.bytes += n;
    d.speed.add(n, now);
    d.entries.set(conn.entryId, (d.entries.get(conn.entryId) ?? 0) + n);
  }

  end(conn: ConnectionStats): void {
    if (this.open.delete(conn.id)) this.device(conn.device).active--;
  }

  snapshot(now: number): ServeStats {
    const devices: Record<string, DeviceStats> = {};
    for (const [device, d] of this.devices) {
      devices[device] = {
        device,
        bytes: d.bytes,
        entries: Object.fromEntries(d.entries),
        activeConnections: d.active,
        bytesPerSecond: d.speed.rate(now),
      };
    }
    return {
      totalBytes: this.total,
      activeConnections: this.open.size,
      devices,
      connections: [...this.open.values()].map((c) => ({ ...c })),
    };
  }

  private device(device: string): DeviceRecord {
    let d = this.devices.get(device);
    if (!d) this.devices.set(device, (d = { bytes: 0, entries: new Map(), active: 0, speed: new SpeedWindow() }));
    return d;
  }
}
