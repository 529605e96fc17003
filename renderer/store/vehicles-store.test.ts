import { describe, expect, it } from 'vitest';
import { campaign, vehicle } from '../testing/vehicle-fixtures';
import { applyStreamItems, createStores } from './stores';
import { ALL_CAMPAIGNS, campaignTabs, visibleCounts, visibleVehicles } from './vehicles-store';

describe('the vehicles store', () => {
  it('replaces only the vehicle that changed and keeps the order unless one is new', () => {
    const stores = createStores();
    const s = () => stores.vehicles.getState();
    s().replace({ vehicles: [vehicle('VIN-C'), vehicle('VIN-A'), vehicle('VIN-B')], campaigns: [] });
    expect(s().order).toEqual(['aktualizr|VIN-A', 'aktualizr|VIN-B', 'aktualizr|VIN-C']);
    const before = s();
    s().applyVehicles([vehicle('VIN-B', { events: 3, state: 'failed' })]);
    expect(s().order).toBe(before.order);
    expect(s().byKey['aktualizr|VIN-A']).toBe(before.byKey['aktualizr|VIN-A']);
    expect(s().byKey['aktualizr|VIN-B']!.state).toBe('failed');
    s().applyVehicles([vehicle('VIN-0', { source: 'edgehog' })]);
    expect(s().order).toEqual(['edgehog|VIN-0', 'aktualizr|VIN-A', 'aktualizr|VIN-B', 'aktualizr|VIN-C']);
  });

  it('never lets a summary with fewer events replace a newer one', () => {
    const stores = createStores();
    stores.vehicles.getState().replace({ vehicles: [vehicle('VIN-A', { events: 5, state: 'succeeded' })], campaigns: [] });
    stores.vehicles.getState().applyVehicles([vehicle('VIN-A', { events: 4, state: 'running' })]);
    expect(stores.vehicles.getState().byKey['aktualizr|VIN-A']!.state).toBe('succeeded');
  });

  it('gets vehicle and campaign pushes in one update each per frame', () => {
    const stores = createStores();
    let updates = 0;
    stores.vehicles.subscribe(() => (updates += 1));
    applyStreamItems(stores, [
      ...Array.from({ length: 30 }, (_, i) => ({ stream: 'vehicle' as const, payload: vehicle(`VIN-${i}`) })),
      { stream: 'campaign', payload: campaign('aktualizr', 'camp-rollout-7', { running: 30 }) },
    ]);
    expect(updates).toBe(2);
    expect(stores.vehicles.getState().order).toHaveLength(30);
    expect(stores.vehicles.getState().campaigns['aktualizr|camp-rollout-7']!.counts).toEqual({ running: 30 });
  });

  it('filters by campaign tab, protocol, state, device and search, and counts every vehicle on the All tab', () => {
    const stores = createStores();
    const s = () => stores.vehicles.getState();
    s().replace({
      vehicles: [
        vehicle('WDB111', { state: 'succeeded', phase: 'done' }),
        vehicle('WDB222', { state: 'failed', lastMessage: 'EcuInstallationCompleted success:false' }),
        vehicle('edge-9', { source: 'edgehog', campaign: 'req-1' }),
      ],
      campaigns: [campaign('aktualizr', 'camp-rollout-7', { succeeded: 1, failed: 1 }), campaign('edgehog', 'req-1', { running: 1 })],
    });
    const shown = () => visibleVehicles(s()).map((k) => k.split('|')[1]);
    expect(shown()).toEqual(['edge-9', 'WDB111', 'WDB222']);
    s().setFilters({ campaign: 'aktualizr|camp-rollout-7' });
    expect(shown()).toEqual(['WDB111', 'WDB222']);
    s().setFilters({ state: 'failed' });
    expect(shown()).toEqual(['WDB222']);
    s().setFilters({ campaign: ALL_CAMPAIGNS, state: '', source: 'edgehog' });
    expect(shown()).toEqual(['edge-9']);
    s().setFilters({ source: '', device: 'wdb2' });
    expect(shown()).toEqual(['WDB222']);
    s().setFilters({ device: '', search: 'success:FALSE' });
    expect(shown()).toEqual(['WDB222']);
    // The state chips count what the list shows.
    expect(visibleCounts(s())).toEqual({ failed: 1 });
    s().setFilters({ search: '' });
    expect(visibleCounts(s())).toEqual({ succeeded: 1, failed: 1, running: 1 });
    s().setFilters({ campaign: 'edgehog|req-1' });
    expect(visibleCounts(s())).toEqual({ running: 1 });
  });

  it('gives the biggest campaigns a tab, however many small ones came after', () => {
    const campaigns = Object.fromEntries(
      [campaign('aktualizr', 'big', { succeeded: 10 }), ...Array.from({ length: 12 }, (_, i) => campaign('carota', `small-${i}`, { running: 1 }))].map((c) => [
        c.key,
        { ...c, vehicles: Object.values(c.counts).reduce((a, b) => a + (b ?? 0), 0) },
      ]),
    );
    const tabs = campaignTabs(campaigns, 8);
    expect(tabs[0]).toBe('aktualizr|big');
    expect(tabs.slice(1)).toEqual(['carota|small-11', 'carota|small-10', 'carota|small-9', 'carota|small-8', 'carota|small-7', 'carota|small-6', 'carota|small-5']);
  });
});
