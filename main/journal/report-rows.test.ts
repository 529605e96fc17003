import { describe, expect, it } from 'vitest';
import type { DeviceUpgrade, UpgradeEvent } from '../../preload/api';
import { outcomeCounts, ReportRows } from './report-rows';

const row = (sn: string, status: DeviceUpgrade['status'], extra: Partial<DeviceUpgrade> = {}): DeviceUpgrade => ({
  key: `b:${sn}`,
  tid: `tid-${sn}`,
  gateway: sn,
  sn,
  firmwareId: 'f',
  fileName: 'Dock2_V10.01.1700.bin',
  targetVersion: '10.01.1700',
  fromVersion: '10.01.1612',
  type: 'regular',
  step: 'upgrade',
  percent: 100,
  status,
  subStatus: '',
  verified: status === 'ok',
  bytesServed: 10,
  fileSize: 10,
  startedAt: '2026-12-05T10:00:00.000Z',
  updatedAt: '2026-12-05T10:20:00.000Z',
  endedAt: '2026-12-05T10:20:00.000Z',
  ...extra,
});

const event = (device: string, campaign: string, extra: Partial<UpgradeEvent> = {}): UpgradeEvent => ({
  id: `${device}-${campaign}-${extra.time ?? ''}`,
  time: '2026-12-05T10:05:00.000Z',
  source: 'aktualizr',
  device,
  campaign,
  phase: 'download',
  state: 'running',
  percent: null,
  message: '',
  raw: null,
  ...extra,
});

describe('ReportRows for DJI upgrades', () => {
  it('a device the dock called upgraded but that never showed its new version is "not verified", a failure of its own, with the reason and the next step', () => {
    const rows = new ReportRows();
    rows.addUpgrade(row('DOCK-OK', 'ok'));
    rows.addUpgrade(row('DOCK-NV', 'not_verified', { reason: 'reports firmware_version 10.01.1612, expected 10.01.1700' }));
    rows.addUpgrade(row('DOCK-V', 'verifying', { endedAt: undefined }));
    const result = rows.result();
    expect(result.map((r) => [r.device, r.outcome, r.firmwareAfter, r.reason])).toEqual([
      [
        'DOCK-NV',
        'not_verified',
        '10.01.1612',
        'not verified: reports firmware_version 10.01.1612, expected 10.01.1700 — check the version the device reports in Devices; retry if it still runs the old one',
      ],
      ['DOCK-OK', 'succeeded', '10.01.1700', undefined],
      ['DOCK-V', 'unfinished', '10.01.1612', undefined],
    ]);
    expect(outcomeCounts(result)).toEqual({ succeeded: 1, failed: 0, not_verified: 1, canceled: 0, unfinished: 1 });
  });

  it("one row per device per batch: the latest attempt, earlier attempts below, every attempt's events folded in, the code said once", () => {
    const rows = new ReportRows();
    const first = row('DOCK-R', 'rejected', {
      batchId: 'batch-1',
      bid: 'bid-1',
      tid: 'tid-1',
      attempt: 1,
      code: 312015,
      reason: '312015: dock busy — retry when idle',
      overrides: ['dock-idle'],
      md5: 'ab'.repeat(16),
      model: 'DJI Dock 2',
      endedAt: '2026-12-05T10:00:05.000Z',
    });
    rows.addUpgrade(first);
    rows.addEvent(event('DOCK-R', 'tid-1', { source: 'dji', state: 'failed', message: 'ota_create refused: 312015' }));
    rows.addUpgrade({
      ...first,
      bid: 'bid-2',
      tid: 'tid-2',
      attempt: 2,
      status: 'ok',
      code: undefined,
      reason: undefined,
      startedAt: '2026-12-05T10:10:00.000Z',
      endedAt: '2026-12-05T10:30:00.000Z',
      updatedAt: '2026-12-05T10:30:00.000Z',
    });
    rows.addEvent(event('DOCK-R', 'tid-2', { source: 'dji', phase: 'done', state: 'succeeded' }));
    // A task Dockside did not start (DJI Pilot) stays in the log, not in the customer's table.
    rows.addEvent(event('DOCK-R', 'tid-pilot', { source: 'dji' }));
    const [r, ...rest] = rows.result();
    expect(rest).toEqual([]);
    expect(r).toMatchObject({
      device: 'DOCK-R',
      campaign: 'batch-1',
      outcome: 'succeeded',
      attempt: 2,
      events: 2,
      fileName: 'Dock2_V10.01.1700.bin',
      md5: 'ab'.repeat(16),
      model: 'DJI Dock 2',
      firmwareBefore: '10.01.1612',
      firmwareAfter: '10.01.1700',
      start: Date.parse('2026-12-05T10:00:00.000Z'),
      end: Date.parse('2026-12-05T10:30:00.000Z'),
      overrides: ['dock idle (312015)'],
    });
    expect(r!.attempts).toEqual([
      {
        attempt: 1,
        outcome: 'failed',
        start: Date.parse('2026-12-05T10:00:00.000Z'),
        end: Date.parse('2026-12-05T10:00:05.000Z'),
        reason: 'rejected by the dock: 312015 — the dock is busy: wait until it is idle (no flight task, no debugging), then retry',
      },
    ]);
  });
});

describe('ReportRows for vehicles', () => {
  it("folds aktualizr's correlation id into its campaign: one row per vehicle and real campaign", () => {
    const rows = new ReportRows();
    rows.addEvent(event('VIN-1', '37c919d5', { phase: 'consent', state: 'succeeded', time: '2026-12-05T10:00:00.000Z' }));
    rows.addEvent(event('VIN-1', 'urn:here-ota:campaign:37c919d5', { phase: 'done', state: 'succeeded', time: '2026-12-05T10:09:00.000Z' }));
    rows.addEvent(event('VIN-2', 'urn:here-ota:campaign:37c919d5', { phase: 'install', state: 'failed', message: 'EcuInstallationCompleted success:false' }));
    const result = rows.result();
    expect(result.map((r) => [r.device, r.campaign, r.outcome, r.events])).toEqual([
      ['VIN-1', '37c919d5', 'succeeded', 2],
      ['VIN-2', '37c919d5', 'failed', 1],
    ]);
  });
});
