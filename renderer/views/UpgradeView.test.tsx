// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallRequest, PlannedUpgrade } from '../../preload/api';
import { checkGates } from '../../preload/upgrade-gates';
import { createStores } from '../store/stores';
import { createFakeClient } from '../testing/fake-client';
import { dock, firmware, T0 } from '../testing/fixtures';
import { renderWith } from '../testing/render';
import { UpgradeView } from './UpgradeView';

afterEach(cleanup);

/** The host's answer: the gates from each device's telemetry, versions from the devices, notes as the core words them. */
function planned(req: CallRequest<'upgrade.plan'>, versions: Record<string, string | undefined>, telemetry: Record<string, { modeCode: number }> = {}): { devices: PlannedUpgrade[] } {
  const files: Record<string, { fileName: string; version: string }> = {
    'fw-a': { fileName: 'Dock2_V10.01.0500.bin', version: '10.01.0500' },
    'fw-b': { fileName: 'M3D_V08.00.0100.bin', version: '08.00.0100' },
  };
  return {
    devices: req.devices.map((sn) => {
      const f = files[req.packages?.find((p) => p.sn === sn)?.firmwareId ?? req.firmwareId]!;
      const notes = versions[sn] === f.version ? [`${sn} already runs ${f.version}: it would be flashed with the same version again`] : [];
      return {
        sn,
        gateway: sn,
        model: 'Dock 2',
        fileName: f.fileName,
        toVersion: f.version,
        ...(versions[sn] ? { fromVersion: versions[sn] } : {}),
        gates: checkGates({ type: req.type, aircraft: false, dock: { modeCode: 0, firmwareUpgradeStatus: 0, emergencyStop: 0, ...telemetry[sn] }, device: undefined }),
        notes,
      };
    }),
  };
}

function setup(versions: Record<string, string | undefined>, telemetry: Record<string, { modeCode: number }> = {}, fw = firmware()) {
  const stores = createStores('Upgrade');
  stores.connection.getState().setHostLink('open');
  stores.connection.getState().setStatus({ state: 'connected', url: 'mqtt://h', clientId: 'c', since: T0 });
  stores.devices.getState().replace(Object.entries(versions).map(([sn, v]) => dock(sn, v)));
  stores.firmware.getState().replace([fw, firmware({ id: 'fw-b', fileName: 'M3D_V08.00.0100.bin', version: '08.00.0100', md5: 'aa'.repeat(16) })]);
  const client = createFakeClient({
    'upgrade.plan': (req) => planned(req, versions, telemetry),
    'upgrade.start': (req) => ({ batchId: 'batch-1', accepted: req.devices, refused: [] }),
  });
  renderWith(<UpgradeView />, { stores, client });
  return { stores, client };
}

async function openDialog() {
  await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Upgrade' })));
  return screen.getByRole('dialog', { name: 'Confirm upgrade' });
}

describe('UpgradeView', () => {
  it('keeps the Upgrade button disabled and says why until firmware and devices are chosen', () => {
    setup({ DOCKA01: '10.01.0300' });
    const button = screen.getByRole('button', { name: 'Upgrade' });
    expect(button).toHaveProperty('disabled', true);
    expect(screen.getByText('Choose a firmware file.')).toBeTruthy();
    expect(screen.getByText('Select at least one device.')).toBeTruthy();
  });

  it('confirms with each device, its gates and versions from → to, then starts the batch and clears the selection', async () => {
    const { client, stores } = setup({ DOCKA01: '10.01.0300', DOCKA02: undefined });
    fireEvent.change(screen.getByLabelText('Firmware file'), { target: { value: 'fw-a' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'DOCKA01' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'DOCKA02' }));
    fireEvent.click(screen.getByRole('radio', { name: /Consistency upgrade/ }));
    const dialog = await openDialog();
    expect(dialog.textContent).toContain('Consistency upgrade of 2 devices with Dock2_V10.01.0500.bin');
    expect(dialog.textContent).toContain('5f0c6a1b8e2d4c3b9a7f6e5d4c3b2a19');
    expect(client.calls[0]).toEqual({ name: 'upgrade.plan', req: { firmwareId: 'fw-a', devices: ['DOCKA01', 'DOCKA02'], type: 'consistency' } });
    const heads = within(within(dialog).getByRole('list', { name: 'Devices to upgrade' }))
      .getAllByText(/→/)
      .map((p) => p.closest('p')!.textContent);
    expect(heads).toEqual(['DOCKA01 (Dock 2): 10.01.0300 → 10.01.0500 · Dock2_V10.01.0500.bin', 'DOCKA02 (Dock 2): unknown → 10.01.0500 · Dock2_V10.01.0500.bin']);
    const gates = within(dialog).getByRole('list', { name: 'Checks of DOCKA01' });
    expect(
      within(gates)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'pass dock idle mode_code 0 (idle); avoids 312015',
      'pass not already upgrading firmware_upgrade_status 0; avoids 312014',
      'pass emergency stop released emergency_stop_state 0 (released); avoids 312023',
      'not reported the device asks for a consistency upgrade compatible_status not reported yet; avoids 312001',
    ]);
    expect(within(dialog).queryByRole('alert')).toBeNull();

    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Start upgrade' })));
    expect(client.calls.at(-1)).toEqual({ name: 'upgrade.start', req: { firmwareId: 'fw-a', devices: ['DOCKA01', 'DOCKA02'], type: 'consistency' } });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(stores.ui.getState().view).toBe('Progress');
    expect(stores.ui.getState().selected).toEqual({});
    expect(stores.upgrades.getState().focus?.batchId).toBe('batch-1');
  });

  it('holds a device with a failed gate unless "send anyway" is ticked, and sends the file per model with the rollout and the job', async () => {
    const { client } = setup({ DOCKG01: '10.01.0300', DOCKG02: '10.01.0300' }, { DOCKG02: { modeCode: 4 } });
    fireEvent.change(screen.getByLabelText('Firmware file'), { target: { value: 'fw-a' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'DOCKG01' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'DOCKG02' }));
    fireEvent.change(screen.getByLabelText('File for DOCKG02'), { target: { value: 'fw-b' } });
    fireEvent.change(screen.getByLabelText('Canary docks first'), { target: { value: '1' } });
    fireEvent.change(screen.getByLabelText('Stop after failures'), { target: { value: '2' } });
    fireEvent.change(screen.getByLabelText('Site'), { target: { value: 'Pier 4' } });
    fireEvent.change(screen.getByLabelText('Technician'), { target: { value: 'R. Okafor' } });
    const dialog = await openDialog();
    expect(dialog.textContent).toContain(
      'Rollout: 1 dock first as canary; the rest wait until every canary is verified; every dock at once (at most 8 at a time); devices not yet sent are held once 2 ended without success.',
    );
    expect(dialog.textContent).toContain('Site: Pier 4. Technician: R. Okafor.');
    expect(within(dialog).getByRole('status').textContent).toBe('1 will be sent, 1 held back by a failed check.');
    expect(within(within(dialog).getByRole('list', { name: 'Checks of DOCKG02' })).getAllByRole('listitem')[0]!.textContent).toBe('fail dock idle mode_code 4 (working); avoids 312015');
    fireEvent.click(within(dialog).getByRole('checkbox', { name: /^Send DOCKG02 anyway, despite: dock idle/ }));
    expect(within(dialog).getByRole('status').textContent).toBe('2 will be sent.');
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Start upgrade' })));
    expect(client.calls.at(-1)).toEqual({
      name: 'upgrade.start',
      req: {
        firmwareId: 'fw-a',
        devices: ['DOCKG01', 'DOCKG02'],
        type: 'regular',
        packages: [{ sn: 'DOCKG02', firmwareId: 'fw-b' }],
        force: ['DOCKG02'],
        rollout: { canary: 1, stopAfterFailures: 2 },
        site: 'Pier 4',
        technician: 'R. Okafor',
      },
    });
  });

  it('calls out the same version, before anything is sent', async () => {
    const { client } = setup({ DOCKB01: '10.01.0500' });
    fireEvent.change(screen.getByLabelText('Firmware file'), { target: { value: 'fw-a' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'DOCKB01' }));
    const dialog = await openDialog();
    expect(within(dialog).getByRole('alert').textContent).toBe('Check before you start:DOCKB01 already runs 10.01.0500: it would be flashed with the same version again');
    expect(client.calls.map((c) => c.name)).toEqual(['upgrade.plan']);
  });

  it('says a file added twice is one file', () => {
    const stores = createStores('Upgrade');
    stores.firmware.getState().replace([firmware(), firmware({ id: 'fw-a2', fileName: 'Dock2_V10.01.0500 (1).bin' })]);
    renderWith(<UpgradeView />, { stores });
    fireEvent.change(screen.getByLabelText('Firmware file'), { target: { value: 'fw-a' } });
    expect(screen.getByText(/^The same file \(same MD5\) was added more than once: Dock2_V10\.01\.0500 \(1\)\.bin/)).toBeTruthy();
    expect(screen.getAllByRole('option', { name: /\(added twice\)$/ })).toHaveLength(2);
  });

  it('refuses rollout numbers that are not whole numbers', () => {
    setup({ DOCKR01: '1.0' });
    fireEvent.change(screen.getByLabelText('At most at once'), { target: { value: '0' } });
    expect(screen.getByText('At most at once: a whole number from 1 to 1000, or empty.')).toBeTruthy();
  });

  it('does not start without a firmware version', () => {
    const { client } = setup({ DOCKC01: '1.0' }, {}, firmware({ version: undefined }));
    fireEvent.change(screen.getByLabelText('Firmware file'), { target: { value: 'fw-a' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'DOCKC01' }));
    expect(screen.getByText('Set the version of Dock2_V10.01.0500.bin in the Firmware view.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Upgrade' })).toHaveProperty('disabled', true);
    expect(client.calls).toEqual([]);
  });

  it('closes on Cancel and on Escape', async () => {
    const { client } = setup({ DOCKD01: '1.0' });
    fireEvent.change(screen.getByLabelText('Firmware file'), { target: { value: 'fw-a' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'DOCKD01' }));
    await openDialog();
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    await openDialog();
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(client.calls.map((c) => c.name)).toEqual(['upgrade.plan', 'upgrade.plan']);
  });
});
