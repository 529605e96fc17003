import { describe, expect, it } from 'vitest';
import type { DeviceInfo, DeviceUpgrade, FirmwareInfo } from '../../preload/api';
import { applyStreamItems, createStores } from './stores';
import { createClockStore } from './clock-store';
import { BATCH_ITEM, batchCounts, batchEnded, progressItems } from './upgrades-store';

const t0 = '2024-05-01T10:00:00.000Z';
const t1 = '2024-05-01T10:00:01.000Z';

function row(sn: string, percent: number, updatedAt = t1): DeviceUpgrade {
  return {
    key: `tid-s:${sn}`,
    tid: 'tid-s',
    gateway: sn,
    sn,
    firmwareId: 'fw1',
    fileName: 'dock.bin',
    targetVersion: '2.0',
    type: 'regular',
    step: 'download',
    percent,
    status: 'in_progress',
    subStatus: 'DOWNLOADING',
    verified: false,
    bytesServed: 0,
    fileSize: 100,
    startedAt: t0,
    updatedAt,
  };
}

describe('the upgrades store', () => {
  it('replaces only the ticked row object and keeps order when no row is new', () => {
    const stores = createStores();
    const up = stores.upgrades.getState();
    up.applyRows([row('A', 0), row('B', 0), row('C', 0)]);
    const before = stores.upgrades.getState();
    let updates = 0;
    stores.upgrades.subscribe(() => (updates += 1));
    stores.upgrades.getState().applyRows([row('B', 50)]);
    const after = stores.upgrades.getState();
    expect(updates).toBe(1);
    expect(after.order).toBe(before.order);
    expect(after.byKey['tid-s:A']).toBe(before.byKey['tid-s:A']);
    expect(after.byKey['tid-s:B']!.percent).toBe(50);
  });

  it('never lets an older snapshot replace a newer one', () => {
    const stores = createStores();
    stores.upgrades.getState().replace([row('A', 60, t1)]);
    stores.upgrades.getState().applyRows([row('A', 40, t0)]);
    expect(stores.upgrades.getState().byKey['tid-s:A']!.percent).toBe(60);
  });

  it('keeps batches newest first, each with its rows, and a retry in place', () => {
    const stores = createStores();
    const s = () => stores.upgrades.getState();
    const inBatch = (batchId: string, sn: string, startedAt: string, extra: Partial<DeviceUpgrade> = {}): DeviceUpgrade => ({
      ...row(sn, 0),
      key: `${batchId}:${sn}`,
      batchId,
      startedAt,
      updatedAt: startedAt,
      ...extra,
    });
    s().replace([inBatch('b1', 'A', t0, { status: 'failed' }), inBatch('b1', 'B', t0, { status: 'ok' })]);
    s().applyRows([inBatch('b2', 'C', t1)]);
    expect(s().batchOrder).toEqual(['b2', 'b1']);
    expect(s().batchRows).toEqual({ b1: ['b1:A', 'b1:B'], b2: ['b2:C'] });
    // The newest batch is open; an earlier ended one is folded under its header until opened.
    expect(progressItems(s())).toEqual([`${BATCH_ITEM}b2`, 'b2:C', `${BATCH_ITEM}b1`]);
    expect(batchCounts(s(), 'b1')).toEqual({ failed: 1, ok: 1 });
    s().applyRows([inBatch('b1', 'A', '2024-05-01T10:00:02.000Z', { attempt: 2, status: 'in_progress' })]);
    expect(s().batchRows.b1).toEqual(['b1:A', 'b1:B']);
    expect(batchCounts(s(), 'b1')).toEqual({ in_progress: 1, ok: 1 });
    // Running again, the earlier batch opens by itself; the technician may fold it.
    expect(progressItems(s())).toEqual([`${BATCH_ITEM}b2`, 'b2:C', `${BATCH_ITEM}b1`, 'b1:A', 'b1:B']);
    s().setOpen('b1', false);
    expect(progressItems(s())).toEqual([`${BATCH_ITEM}b2`, 'b2:C', `${BATCH_ITEM}b1`]);
  });

  it('counts a batch with a held device as not ended', () => {
    const stores = createStores();
    const s = () => stores.upgrades.getState();
    s().replace([
      { ...row('A', 0), key: 'b:A', batchId: 'b', status: 'ok' },
      { ...row('B', 0), key: 'b:B', batchId: 'b', status: 'held' },
    ]);
    expect(batchEnded(s(), 'b')).toBe(false);
    s().applyRows([{ ...row('B', 0, '2024-05-01T10:00:09.000Z'), key: 'b:B', batchId: 'b', status: 'canceled' }]);
    expect(batchEnded(s(), 'b')).toBe(true);
  });

  it('learns how far the page clock is from the host from the quickest push, applied at the next tick', () => {
    let page = Date.parse(t1) + 5_000;
    const clock = createClockStore(() => page);
    clock.getState().sample([t1]);
    expect(clock.getState().skewMs).toBe(5_000);
    page = Date.parse('2024-05-01T10:00:02.000Z') + 4_000;
    clock.getState().sample(['2024-05-01T10:00:02.000Z']);
    expect(clock.getState().skewMs).toBe(4_000);
    clock.getState().tick();
    expect(clock.getState().hostNow).toBe(Date.parse('2024-05-01T10:00:02.000Z'));
  });

  it('remembers the last batch the core said ended', () => {
    const stores = createStores();
    const s = () => stores.upgrades.getState();
    s().applyBatches([{ batchId: 'b1', total: 2, counts: { in_progress: 2 } }]);
    expect(s().lastEnded).toBeUndefined();
    s().applyBatches([{ batchId: 'b1', total: 2, counts: { ok: 2 }, endedAt: t1 }]);
    expect(s().lastEnded?.batchId).toBe('b1');
  });
});

describe('applyStreamItems', () => {
  it('gives each store one update per frame', () => {
    const stores = createStores();
    const counts = { devices: 0, upgrades: 0, firmware: 0 };
    stores.devices.subscribe(() => (counts.devices += 1));
    stores.upgrades.subscribe(() => (counts.upgrades += 1));
    stores.firmware.subscribe(() => (counts.firmware += 1));
    const device = (sn: string): DeviceInfo => ({ sn, gateway: 'DK1', kind: sn === 'DK1' ? 'dock' : 'drone', model: 'Dock 2', online: true, lastSeen: t0 });
    const fw: FirmwareInfo = { id: 'fw1', fileName: 'f.bin', size: 1, addedAt: t0 };
    applyStreamItems(stores, [
      ...Array.from({ length: 50 }, (_, i) => ({ stream: 'upgrade' as const, payload: row(`S${i}`, i) })),
      { stream: 'device', payload: device('DR1') },
      { stream: 'device', payload: device('DK1') },
      { stream: 'firmware', payload: fw },
      { stream: 'firmware', payload: { ...fw, md5: 'abc' } },
    ]);
    expect(counts).toEqual({ devices: 1, upgrades: 1, firmware: 1 });
    expect(stores.upgrades.getState().order).toHaveLength(50);
    expect(stores.devices.getState().order).toEqual(['DK1', 'DR1']);
    expect(stores.firmware.getState().byId.fw1?.md5).toBe('abc');
  });

  it('lets the last word per firmware win, removal included', () => {
    const stores = createStores();
    const fw: FirmwareInfo = { id: 'fw1', fileName: 'f.bin', size: 1, addedAt: t0 };
    applyStreamItems(stores, [
      { stream: 'firmware', payload: fw },
      { stream: 'firmwareRemoved', payload: { id: 'fw1' } },
    ]);
    expect(stores.firmware.getState().order).toEqual([]);
  });
});
