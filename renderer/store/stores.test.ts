import { describe, expect, it } from 'vitest';
import type { DeviceInfo, DeviceUpgrade, FirmwareInfo } from '../../preload/api';
import { applyStreamItems, createStores } from './stores';

const t0 = '2024-05-01T10:00:00.000Z';
const t1 = '2024-05-01T10:00:01.000Z';

function row(sn: string, percent: number, updatedAt = t1): DeviceUpgrade {
  return {
    key: `tid-s:${sn}`, tid: 'tid-s', gateway: sn, sn, firmwareId: 'fw1', fileName: 'dock.bin', targetVersion: '2.0', type: 'regular',
    step: 'download', percent, status: 'in_progress', subStatus: 'DOWNLOADING', verified: false, bytesServed: 0, fileSize: 100,
    startedAt: t0, updatedAt,
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

  it('raises the banner once when a batch ends, until dismissed', () => {
    const stores = createStores();
    const s = () => stores.upgrades.getState();
    s().applyBatches([{ batchId: 'b1', total: 2, counts: { in_progress: 2 } }]);
    expect(s().endedBatch).toBeUndefined();
    s().applyBatches([{ batchId: 'b1', total: 2, counts: { ok: 2 }, endedAt: t1 }]);
    expect(s().endedBatch?.batchId).toBe('b1');
    s().dismissBanner();
    s().applyBatches([{ batchId: 'b1', total: 2, counts: { ok: 2 }, endedAt: t1 }]);
    expect(s().endedBatch).toBeUndefined();
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
    applyStreamItems(stores, [{ stream: 'firmware', payload: fw }, { stream: 'firmwareRemoved', payload: { id: 'fw1' } }]);
    expect(stores.firmware.getState().order).toEqual([]);
  });
});
