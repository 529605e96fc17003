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
    idx.add(ev({ phase: 'install', state: 'running', message: 'EcuInstallationStarted' }));
    const { vehicles } = idx.drainChanges();
    expect(vehicles).toHaveLength(1);
    const vehicle = vehicles[0];
    expect(vehicle).toMatchObject({ key: 'aktualizr|VIN1', phase: 'install', state: 'running', events: 3, campaigns: 1 });
    expect(vehicle!.phases).toMatchObject({
      consent: { state: 'succeeded', message: 'campaign_accepted' },
      download: { state: 'succeeded' },
      install: { state: 'running', message: 'EcuInstallationStarted' },
    });
  });

  it("groups aktualizr's campaign_accepted (campaignId) with the events under urn:here-ota:campaign:<id>", () => {
    const idx = new CampaignIndex();
    idx.add(ev({ campaign: '42', phase: 'consent', state: 'succeeded', message: 'campaign_accepted' }));
    idx.add(ev({ campaign: 'urn:here-ota:campaign:42', phase: 'install', state: 'running' }));
    const { vehicles, campaigns } = idx.drainChanges();
    expect(vehicles[0]).toMatchObject({ campaign: '42', campaigns: 1 });
    expect(Object.keys(vehicles[0]!.phases)).toEqual(['consent', 'install']);
    expect(campaigns.map((c) => [c.key, c.vehicles])).toEqual([['aktualizr|42', 1]]);
    // Only aktualizr's own naming is folded: another protocol's id stays as sent.
    idx.add(ev({ source: 'oem', campaign: 'urn:here-ota:campaign:42' }));
    expect(idx.drainChanges().vehicles[0]!.campaign).toBe('urn:here-ota:campaign:42');
  });

  it('closes a pending phase once a later one is reached (reboot pending, then done)', () => {
    const idx = new CampaignIndex();
    idx.add(ev({ phase: 'reboot', state: 'pending', message: 'EcuInstallationApplied' }));
    idx.add(ev({ phase: 'done', state: 'succeeded', message: 'EcuInstallationCompleted' }));
    expect(idx.drainChanges().vehicles[0]!.phases).toMatchObject({ reboot: { state: 'succeeded' }, done: { state: 'succeeded' } });
  });

  it('counts vehicles per campaign by their current state, moving them as they progress', () => {
    const idx = new CampaignIndex();
    idx.add(ev({ device: 'A', state: 'running' }));
    idx.add(ev({ device: 'B', state: 'running' }));
    idx.add(ev({ device: 'A', phase: 'done', state: 'succeeded' }));
    idx.add(ev({ device: 'B', phase: 'install', state: 'failed' }));
    const { campaigns } = idx.drainChanges();
    expect(campaigns).toHaveLength(1);
    expect(idx.drainChanges()).toEqual({ vehicles: [], campaigns: [] });
    expect(campaigns[0]).toMatchObject({ key: 'aktualizr|c1', vehicles: 2, counts: { running: 0, succeeded: 1, failed: 1 } });
  });

  it('starts a fresh timeline for a new campaign and ignores DJI events and error entries', () => {
    const idx = new CampaignIndex();
    idx.add(ev({ phase: 'done', state: 'succeeded' }));
    idx.add(ev({ campaign: 'c2', phase: 'consent', state: 'pending' }));
    const vehicle = idx.drainChanges().vehicles[0];
    expect(vehicle).toMatchObject({ campaign: 'c2', campaigns: 2 });
    expect(Object.keys(vehicle!.phases)).toEqual(['consent']);
    expect(idx.add(ev({ source: 'dji', device: 'DOCK' }))).toBe(false);
    expect(idx.add(ev({ device: '', state: 'failed' }))).toBe(false);
    expect(idx.vehiclesList()).toHaveLength(1);
    expect(
      idx
        .campaignsList()
        .map((c) => c.key)
        .sort(),
    ).toEqual(['aktualizr|c1', 'aktualizr|c2']);
  });
});
