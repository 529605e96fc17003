// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createStores } from '../store/stores';
import { dock } from '../testing/fixtures';
import { renderWith } from '../testing/render';
import { DevicesView } from './DevicesView';

afterEach(cleanup);

function setup() {
  const stores = createStores('Devices');
  stores.devices
    .getState()
    .replace([
      dock('DOCKE02', '10.01.0300'),
      dock('DOCKE01', '10.02.0000', { online: false }),
      { sn: 'DRONEE01', gateway: 'DOCKE01', kind: 'drone', model: 'M3D', firmwareVersion: '10.01.0200', online: true, lastSeen: '2024-06-03T08:00:00Z' },
    ]);
  renderWith(<DevicesView />, { stores });
  return stores;
}

const rowSns = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((r) => r.querySelector('td.mono')?.textContent);

describe('DevicesView', () => {
  it('lists devices dock first per gateway, with online state in words', () => {
    setup();
    expect(rowSns()).toEqual(['DOCKE01', 'DRONEE01', 'DOCKE02']);
    expect(screen.getAllByText('Offline', { selector: '.badge' })).toHaveLength(1);
    expect(screen.getAllByText('Online', { selector: '.badge' })).toHaveLength(2);
  });

  it('selects a row by its SN checkbox and all visible rows with Select all', () => {
    const stores = setup();
    fireEvent.click(screen.getByRole('checkbox', { name: 'DOCKE02' }));
    expect(Object.keys(stores.ui.getState().selected)).toEqual(['DOCKE02']);
    fireEvent.change(screen.getByLabelText('Search devices'), { target: { value: 'e01' } });
    expect(rowSns()).toEqual(['DOCKE01', 'DRONEE01']);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all' }));
    expect(Object.keys(stores.ui.getState().selected).sort()).toEqual(['DOCKE01', 'DOCKE02', 'DRONEE01']);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all' }));
    expect(Object.keys(stores.ui.getState().selected)).toEqual(['DOCKE02']);
  });

  it('searches across model and version words', () => {
    setup();
    fireEvent.change(screen.getByLabelText('Search devices'), { target: { value: 'm3d 10.01' } });
    expect(rowSns()).toEqual(['DRONEE01']);
  });
});
