import { describe, expect, it } from 'vitest';
import type { UpgradeEvent } from '../../preload/api';
import { CampaignIndex } from './campaign-index';

let n = 0;
const ev = (p: Partial<UpgradeEvent>): UpgradeEvent => ({
  id: `e${++n}`,
  time: `2026-11-26T10:00:${String(n % 60).padStart(2, '0')}.000Z`,
  source: 'aktualizr',
  device: 'VIN1',
  campaign: 'c1',
  phase: 'download',
  state: 'running',
  percent: null,
  message: 'EcuDownloadStarted',
  raw: {},
  ...p,
});

describe('CampaignIndex', () => {
  it('follows a vehicle through its phases and closes earlier running phases', () => {
    const idx = new CampaignIndex();
    idx.add(ev({ phase: 'consent', state: 'succeeded', message: 'campaign_accepted' }));
    idx.add(ev({ phase: 'download', state: 'running' }));
    const { vehicle } = idx.add(ev({ phase: 'install', state: 'running', message: 'EcuInstallationStarted' }));
    expect(vehicle).toMatchObject({ key: 'aktualizr|VIN1', phase: 'install', state: 'running', events: 3, campaigns: 1 });
    expect(vehicle!.phases).toMatchObject({
      consent: { state: 'succeeded', message: 'campaign_accepted' },
      download: { state: 'succeeded' },
      install: { state: 'running', message: 'EcuInstallationStarted' },
    });
  });

  it('counts vehicles per campaign by their current state, moving them as they progress', () => {
    const idx = new CampaignIndex();
    idx.add(ev({ device: 'A', state: 'running' }));
    idx.add(ev({ device: 'B', state: 'running' }));
    idx.add(ev({ device: 'A', phase: 'done', state: 'succeeded' }));
    const { campaign } = idx.add(ev({ device: 'B', phase: 'install', state: 'failed' }));
    expect(campaign).toMatchObject({ key: 'aktualizr|c1', vehicles: 2, counts: { running: 0, succeeded: 1, failed: 1 } });
  });

  it('starts a fresh timeline for a new campaign and ignores DJI events and error entries', () => {
    const idx = new CampaignIndex();
    idx.add(ev({ phase: 'done', state: 'succeeded' }));
    const { vehicle } = idx.add(ev({ campaign: 'c2', phase: 'consent', state: 'pending' }));
    expect(vehicle).toMatchObject({ campaign: 'c2', campaigns: 2 });
    expect(Object.keys(vehicle!.phases)).toEqual(['consent']);
    expect(idx.add(ev({ source: 'dji', device: 'DOCK' }))).toEqual({});
    expect(idx.add(ev({ device: '', state: 'failed' }))).toEqual({});
    expect(idx.vehiclesList()).toHaveLength(1);
    expect(idx.campaignsList().map((c) => c.key).sort()).toEqual(['aktualizr|c1', 'aktualizr|c2']);
  });
});
