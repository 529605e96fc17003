// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bindClient } from '../store/bind-client';
import { createStores } from '../store/stores';
import { createFakeClient } from '../testing/fake-client';
import { manualFrames } from '../testing/manual-frames';
import { renderWith } from '../testing/render';
import { campaign, vehicle, VT0 } from '../testing/vehicle-fixtures';
import { VehicleRow, VehiclesView } from './VehiclesView';

afterEach(cleanup);

describe('a vehicle tick', () => {
  it('waits for the next frame, then re-renders only the row of the vehicle that changed', () => {
    const stores = createStores('Vehicles');
    stores.vehicles.getState().replace({ vehicles: ['VIN-1', 'VIN-2', 'VIN-3'].map((d) => vehicle(d)), campaigns: [] });
    const frames = manualFrames();
    const client = createFakeClient({}, 'connecting');
    bindClient(client, stores, frames.clock);
    const renders: Record<string, number> = {};
    const keys = stores.vehicles.getState().order;
    renderWith(
      <>
        {keys.map((k) => (
          <Profiler key={k} id={k} onRender={(id) => (renders[id] = (renders[id] ?? 0) + 1)}>
            <VehicleRow vehicleKey={k} />
          </Profiler>
        ))}
      </>,
      { client, stores },
    );
    expect(renders).toEqual({ 'aktualizr|VIN-1': 1, 'aktualizr|VIN-2': 1, 'aktualizr|VIN-3': 1 });

    act(() => {
      client.emit('vehicle', vehicle('VIN-2', { events: 3, phase: 'install', state: 'running' }));
      client.emit('vehicle', vehicle('VIN-2', { events: 4, phase: 'install', state: 'failed', lastMessage: 'EcuInstallationCompleted success:false' }));
      client.emit('campaign', campaign('aktualizr', 'camp-rollout-7', { running: 2, failed: 1 }));
    });
    expect(renders).toEqual({ 'aktualizr|VIN-1': 1, 'aktualizr|VIN-2': 1, 'aktualizr|VIN-3': 1 });

    act(() => frames.frame());
    expect(renders).toEqual({ 'aktualizr|VIN-1': 1, 'aktualizr|VIN-2': 2, 'aktualizr|VIN-3': 1 });
    expect(screen.getByText('Install failed')).toBeTruthy();
  });
});

describe('VehiclesView', () => {
  // jsdom lays nothing out; the virtualiser needs its viewport's size.
  beforeEach(() => {
    vi.spyOn(Element.prototype, 'clientHeight', 'get').mockReturnValue(800);
    vi.spyOn(Element.prototype, 'clientWidth', 'get').mockReturnValue(1200);
  });
  afterEach(() => vi.restoreAllMocks());

  function fleet() {
    const stores = createStores('Vehicles');
    stores.vehicles.getState().replace({
      vehicles: [
        vehicle('WDB0001', {
          state: 'succeeded',
          phase: 'done',
          phases: {
            consent: { state: 'succeeded', time: VT0, message: 'campaign_accepted: accepted by the user' },
            download: { state: 'succeeded', time: VT0, message: 'EcuDownloadCompleted: downloaded' },
            install: { state: 'succeeded', time: VT0, message: 'EcuInstallationCompleted: installed' },
            done: { state: 'succeeded', time: VT0, message: 'EcuInstallationCompleted: installed' },
          },
        }),
        vehicle('WDB0002', {
          state: 'failed',
          phase: 'install',
          lastMessage: 'EcuInstallationCompleted success:false',
          phases: { install: { state: 'failed', time: VT0, message: 'EcuInstallationCompleted success:false: the ECU could not install' } },
        }),
        vehicle('edge-7', { source: 'edgehog', campaign: 'req-77', phase: 'download', state: 'running', percent: 50 }),
      ],
      campaigns: [campaign('aktualizr', 'camp-rollout-7', { succeeded: 1, failed: 1 }), campaign('edgehog', 'req-77', { running: 1 })],
    });
    return stores;
  }
  const rows = () => [...screen.getByRole('list', { name: 'Vehicles' }).querySelectorAll(':scope > [role="listitem"]')];

  it('shows each vehicle with a timeline of labelled phases, the original status text on hover', () => {
    renderWith(<VehiclesView />, { stores: fleet() });
    expect(rows()).toHaveLength(3);
    const timeline = screen.getByRole('list', { name: 'Timeline of WDB0002' });
    const cells = within(timeline).getAllByRole('listitem');
    expect(cells.map((c) => c.querySelector('.phase-name')!.textContent)).toEqual(['Queued', 'Consent', 'Download', 'Verify', 'Install', 'Activate', 'Reboot', 'Done']);
    const install = cells[4]!;
    expect(install.querySelector('.phase-state')!.textContent).toBe('failed');
    expect(install.className).toContain('tone-bad');
    expect(install.getAttribute('title')).toContain('EcuInstallationCompleted success:false: the ECU could not install');
    expect(cells[2]!.getAttribute('title')).toBe('Download: not reached');
    expect(screen.getByText('Download running 50%')).toBeTruthy();
  });

  it('counts vehicles by state per campaign tab, and the tab filters the list', () => {
    const stores = fleet();
    renderWith(<VehiclesView />, { stores });
    const tabs = screen.getAllByRole('tab');
    expect(tabs.map((t) => t.textContent)).toEqual(['All campaigns 3', 'aktualizr camp-rollout-7 2', 'Edgehog req-77 1']);
    expect(screen.getByRole('list', { name: 'Vehicles by state' }).textContent).toBe('1 running1 succeeded1 failed');
    fireEvent.click(screen.getByRole('tab', { name: /camp-rollout-7/ }));
    expect(screen.getByRole('tab', { name: /camp-rollout-7/ }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(screen.getByRole('tab', { name: /camp-rollout-7/ }).id);
    expect(screen.getByRole('list', { name: 'Vehicles by state' }).textContent).toBe('1 succeeded1 failed');
    expect(rows().map((r) => r.querySelector('.vehicle-id .mono')!.textContent)).toEqual(['WDB0001', 'WDB0002']);
    fireEvent.keyDown(screen.getByRole('tab', { name: /camp-rollout-7/ }), { key: 'Home' });
    expect(rows()).toHaveLength(3);
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: /All campaigns/ }));
  });

  it('filters by protocol, state and device, and searches the latest status text', () => {
    renderWith(<VehiclesView />, { stores: fleet() });
    const names = () => rows().map((r) => r.querySelector('.vehicle-id .mono')!.textContent);
    fireEvent.change(screen.getByLabelText('Protocol'), { target: { value: 'edgehog' } });
    expect(names()).toEqual(['edge-7']);
    fireEvent.change(screen.getByLabelText('Protocol'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('State'), { target: { value: 'succeeded' } });
    expect(names()).toEqual(['WDB0001']);
    fireEvent.change(screen.getByLabelText('State'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Device'), { target: { value: 'wdb' } });
    expect(names()).toEqual(['WDB0001', 'WDB0002']);
    fireEvent.change(screen.getByLabelText('Device'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Search vehicles'), { target: { value: 'success:false' } });
    expect(names()).toEqual(['WDB0002']);
    expect(screen.getByText('3 vehicles, 1 shown')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Search vehicles'), { target: { value: 'nothing like this' } });
    expect(screen.getByText('No vehicle matches these filters.')).toBeTruthy();
  });

  it('renders only the rows on screen of five thousand vehicles', () => {
    const stores = createStores('Vehicles');
    stores.vehicles.getState().replace({ vehicles: Array.from({ length: 5000 }, (_, i) => vehicle(`VIN${String(i).padStart(5, '0')}`)), campaigns: [] });
    renderWith(<VehiclesView />, { stores });
    expect(rows().length).toBeGreaterThan(0);
    expect(rows().length).toBeLessThan(30);
    expect(rows()[0]!.getAttribute('aria-setsize')).toBe('5000');
  });

  it("opens the Log on a vehicle's own events", () => {
    const stores = fleet();
    renderWith(<VehiclesView />, { stores });
    fireEvent.click(screen.getByRole('button', { name: 'Events of edge-7' }));
    expect(stores.ui.getState().view).toBe('Log');
    expect(stores.log.getState().filters).toMatchObject({ sources: ['edgehog'], device: 'edge-7' });
  });
});
