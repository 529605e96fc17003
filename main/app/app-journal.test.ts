import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceInfo, DeviceUpgrade, UpgradeEvent } from '../../preload/api';
import { AppJournal } from './app-journal';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'dockside-appjournal-'));
  dirs.push(d);
  return d;
};

const event: UpgradeEvent = { id: 'e1', time: '2026-11-26T10:00:00.000Z', source: 'dji', device: 'D', campaign: 't', phase: 'download', state: 'running', percent: 5, message: 'm', raw: {} };
const device = (v: string): DeviceInfo => ({ sn: 'D', gateway: 'D', kind: 'dock', model: 'DJI Dock 2', firmwareVersion: v, online: true, lastSeen: '2026-11-26T10:00:00.000Z' });
const row = (status: DeviceUpgrade['status'], percent: number): DeviceUpgrade => ({
  key: 't:D',
  tid: 't',
  gateway: 'D',
  sn: 'D',
  firmwareId: 'f',
  fileName: 'f.bin',
  targetVersion: '2',
  type: 'regular',
  step: 'download',
  percent,
  status,
  subStatus: 'DOWNLOADING',
  verified: false,
  bytesServed: 0,
  fileSize: 10,
  startedAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
});

describe('AppJournal', () => {
  it('restores the last record of each key, and writes an upgrade row only when a milestone changes', async () => {
    const dir = tempDir();
    const j = await AppJournal.open(dir);
    await j.device(device('1'));
    expect(j.device(device('1'))).toBeUndefined();
    await j.device(device('2'));
    await j.upgrade(row('in_progress', 10));
    expect(j.upgrade(row('in_progress', 20))).toBeUndefined();
    await j.upgrade(row('failed', 20));
    await j.settings({ connection: { url: 'mqtt://127.0.0.1:1883' } });
    await j.events([event]);
    await j.close();

    const again = await AppJournal.open(dir);
    const state = await again.restore();
    expect(state.devices).toEqual([device('2')]);
    expect(state.upgrades.map((u) => u.status)).toEqual(['failed']);
    expect(state.settings.connection?.url).toBe('mqtt://127.0.0.1:1883');
    expect(again.journal.stats().byKind).toMatchObject({ device: 2, upgrade: 2, settings: 1, event: 1 });
    await again.close();
  });

  it('settled() rejects when the latest write failed, so an MQTT message would not be acknowledged', async () => {
    const j = await AppJournal.open(tempDir());
    await j.events([event]);
    await expect(j.settled()).resolves.toBeUndefined();
    await j.journal.close();
    await expect(j.events([event])).rejects.toThrow('closed');
    await expect(j.settled()).rejects.toThrow('closed');
  });

  it('says when writes fail, once, with the reason, and stays failing until one lands', async () => {
    const j = await AppJournal.open(tempDir());
    const seen: unknown[] = [];
    j.onHealth((h) => seen.push(h));
    await j.events([event]);
    expect(j.health).toEqual({ state: 'ok' });
    await j.journal.close();
    await expect(j.events([event])).rejects.toThrow();
    await expect(j.events([event])).rejects.toThrow();
    await j.settled().catch(() => undefined);
    expect(j.health).toMatchObject({ state: 'failing', reason: expect.stringContaining('closed') });
    expect(seen).toEqual([{ state: 'failing', reason: expect.stringContaining('closed'), since: expect.any(String) }]);
  });
});
