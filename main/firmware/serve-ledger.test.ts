import { describe, expect, it } from 'vitest';
import { ServeLedger, SPEED_WINDOW_MS } from './serve-ledger';

const conn = (token: string, device: string, entryId = 'e1') => ({ token, device, entryId, remoteAddress: '127.0.0.1', start: 0, end: 999, startedAt: 0 });

describe('ServeLedger', () => {
  it('counts bytes per connection and per grant, and active connections', () => {
    const l = new ServeLedger();
    const a1 = l.begin(conn('ta', 'DOCK-A'));
    const a2 = l.begin(conn('ta', 'DOCK-A'));
    const b = l.begin(conn('tb', 'DOCK-B', 'e2'));
    l.written(a1, 100, 1000);
    l.written(a2, 50, 1000);
    l.written(b, 30, 1000);
    l.written(a1, 100, 1100);
    let s = l.snapshot(1100);
    expect(s.totalBytes).toBe(280);
    expect(s.activeConnections).toBe(3);
    expect(s.grants.ta).toMatchObject({ device: 'DOCK-A', entryId: 'e1', bytes: 250, activeConnections: 2, activeSeconds: 0.1 });
    expect(s.grants.tb).toMatchObject({ device: 'DOCK-B', entryId: 'e2', bytes: 30, activeConnections: 1 });
    expect(l.active('ta')).toBe(2);
    expect(s.connections.map((c) => [c.device, c.bytes])).toEqual([
      ['DOCK-A', 200],
      ['DOCK-A', 50],
      ['DOCK-B', 30],
    ]);
    l.end(a1);
    l.end(a1);
    s = l.snapshot(1200);
    expect(s.activeConnections).toBe(2);
    expect(s.grants.ta!.activeConnections).toBe(1);
    expect(s.grants.ta!.bytes).toBe(250);
  });

  it('measures speed over a sliding window, and since the first byte when that is shorter', () => {
    const l = new ServeLedger();
    const c = l.begin(conn('ta', 'DOCK-A'));
    const t0 = 1_000_000;
    for (let t = 0; t < 2000; t += 100) l.written(c, 1000, t0 + t);
    // 20 000 bytes over the 2 s since the first byte
    expect(l.snapshot(t0 + 2000).grants.ta!.bytesPerSecond).toBe(10_000);
    for (let t = 2000; t < 10_000; t += 50) l.written(c, 250, t0 + t);
    expect(l.snapshot(t0 + 10_000).grants.ta!.bytesPerSecond).toBe(5000);
    // nothing written for longer than the window: speed falls to 0
    expect(l.snapshot(t0 + 10_000 + SPEED_WINDOW_MS + 500).grants.ta!.bytesPerSecond).toBe(0);
  });
});
