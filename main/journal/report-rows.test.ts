import { describe, expect, it } from 'vitest';
import type { DeviceUpgrade } from '../../preload/api';
import { outcomeCounts, ReportRows } from './report-rows';

const row = (sn: string, status: DeviceUpgrade['status'], extra: Partial<DeviceUpgrade> = {}): DeviceUpgrade => ({
  key: `b:${sn}`, tid: `tid-${sn}`, gateway: sn, sn, firmwareId: 'f', fileName: 'Dock2_V10.01.1700.bin', targetVersion: '10.01.1700', fromVersion: '10.01.1612',
  type: 'regular', step: 'upgrade', percent: 100, status, subStatus: '', verified: status === 'ok', bytesServed: 10, fileSize: 10,
  startedAt: '2026-12-05T10:00:00.000Z', updatedAt: '2026-12-05T10:20:00.000Z', endedAt: '2026-12-05T10:20:00.000Z', ...extra,
});

describe('ReportRows for DJI upgrades', () => {
  it('a device the dock called upgraded but that never showed its new version is "not verified", a failure of its own, with the reason', () => {
    const rows = new ReportRows();
    rows.addUpgrade(row('DOCK-OK', 'ok'));
    rows.addUpgrade(row('DOCK-NV', 'not_verified', { reason: 'reports firmware_version 10.01.1612, expected 10.01.1700' }));
    rows.addUpgrade(row('DOCK-V', 'verifying', { endedAt: undefined }));
    const result = rows.result();
    expect(result.map((r) => [r.device, r.outcome, r.firmwareAfter, r.reason])).toEqual([
      ['DOCK-NV', 'not_verified', '10.01.1612', 'not_verified: reports firmware_version 10.01.1612, expected 10.01.1700'],
      ['DOCK-OK', 'succeeded', '10.01.1700', undefined],
      ['DOCK-V', 'unfinished', '10.01.1612', undefined],
    ]);
    expect(outcomeCounts(result)).toEqual({ succeeded: 1, failed: 0, not_verified: 1, canceled: 0, unfinished: 1 });
  });
});
