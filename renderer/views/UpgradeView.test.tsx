// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createStores } from '../store/stores';
import { createFakeClient } from '../testing/fake-client';
import { dock, firmware } from '../testing/fixtures';
import { renderWith } from '../testing/render';
import { UpgradeView } from './UpgradeView';

afterEach(cleanup);

function setup(deviceVersions: Record<string, string | undefined>, fw = firmware()) {
  const stores = createStores('Upgrade');
  stores.devices.getState().replace(Object.entries(deviceVersions).map(([sn, v]) => dock(sn, v)));
  stores.firmware.getState().replace([fw]);
  const client = createFakeClient({
    'upgrade.start': (req) => ({ batchId: 'batch-1', accepted: req.devices, refused: [] }),
  });
  renderWith(<UpgradeView />, { stores, client });
  return { stores, client };
}

describe('UpgradeView', () => {
  it('keeps the Upgrade button disabled and says why until firmware and devices are chosen', () => {
    setup({ DOCKA01: '10.01.0300' });
    const button = screen.getByRole('button', { name: 'Upgrade' });
    expect(button).toHaveProperty('disabled', true);
    expect(screen.getByText('Choose a firmware file.')).toBeTruthy();
    expect(screen.getByText('Select at least one device.')).toBeTruthy();
  });

  it('confirms with the devices, the file and each version from → to, then starts the batch', async () => {
    const { client, stores } = setup({ DOCKA01: '10.01.0300', DOCKA02: undefined });
    fireEvent.change(screen.getByLabelText('Firmware file'), { target: { value: 'fw-a' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'DOCKA01' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'DOCKA02' }));
    fireEvent.click(screen.getByRole('radio', { name: /Consistency upgrade/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Upgrade' }));

    const dialog = screen.getByRole('dialog', { name: 'Confirm upgrade' });
    expect(dialog.textContent).toContain('Consistency upgrade of 2 devices with Dock2_V10.01.0500.bin');
    expect(dialog.textContent).toContain('5f0c6a1b8e2d4c3b9a7f6e5d4c3b2a19');
    const items = within(within(dialog).getByRole('list', { name: 'Devices to upgrade' })).getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual(['DOCKA01 (Dock 2): 10.01.0300 → 10.01.0500', 'DOCKA02 (Dock 2): unknown → 10.01.0500']);
    expect(within(dialog).queryByRole('alert')).toBeNull();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Start upgrade' }));
    await screen.findByRole('status');
    expect(client.calls.at(-1)).toEqual({ name: 'upgrade.start', req: { firmwareId: 'fw-a', devices: ['DOCKA01', 'DOCKA02'], type: 'consistency' } });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(stores.ui.getState().view).toBe('Progress');
  });

  it('warns of a downgrade when the firmware is older than a device runs', () => {
    setup({ DOCKB01: '10.02.0000', DOCKB02: '10.01.0300' });
    fireEvent.change(screen.getByLabelText('Firmware file'), { target: { value: 'fw-a' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'DOCKB01' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'DOCKB02' }));
    fireEvent.click(screen.getByRole('button', { name: 'Upgrade' }));
    const alert = within(screen.getByRole('dialog')).getByRole('alert');
    expect(alert.textContent).toBe('Downgrade warning: version 10.01.0500 is older than what DOCKB01 (10.02.0000) runs now.');
  });

  it('does not start without a firmware version', () => {
    const { client } = setup({ DOCKC01: '1.0' }, firmware({ version: undefined }));
    fireEvent.change(screen.getByLabelText('Firmware file'), { target: { value: 'fw-a' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'DOCKC01' }));
    expect(screen.getByText('Set the version of Dock2_V10.01.0500.bin in the Firmware view.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Upgrade' })).toHaveProperty('disabled', true);
    expect(client.calls).toEqual([]);
  });

  it('closes on Cancel and on Escape', () => {
    const { client } = setup({ DOCKD01: '1.0' });
    fireEvent.change(screen.getByLabelText('Firmware file'), { target: { value: 'fw-a' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'DOCKD01' }));
    fireEvent.click(screen.getByRole('button', { name: 'Upgrade' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Upgrade' }));
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(client.calls).toEqual([]);
  });
});
