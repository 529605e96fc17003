import { describe, expect, it } from 'vitest';
import { aircraftOsdData, defaultTelemetry, dockOsdData, patchTelemetry, stateData, whileUpgrading } from './telemetry';

describe('dock telemetry', () => {
  it('puts each Dock 2 property in osd or state as the field notes place it', () => {
    const t = defaultTelemetry(true);
    const osd = dockOsdData(t, 'UAV1', 'product_type');
    const state = stateData('10.01.1612', t);
    expect(osd).toMatchObject({ mode_code: 0, drone_in_dock: 1, drone_charge_state: { state: 0, capacity_percent: 86 }, emergency_stop_state: 0, network_state: { type: 2, quality: 5, rate: 5120 } });
    expect(osd).toHaveProperty('sub_device');
    for (const stateOnly of ['firmware_version', 'firmware_upgrade_status', 'compatible_status']) expect(osd).not.toHaveProperty(stateOnly);
    expect(Object.keys(state).sort()).toEqual(['compatible_status', 'firmware_upgrade_status', 'firmware_version']);
    expect(state.firmware_version).toBe('10.01.1612');
  });

  it('reports the aircraft on the pad in sub_device, naming its model by either documented key', () => {
    const t = defaultTelemetry(true);
    expect(dockOsdData(t, 'UAV1', 'product_type').sub_device).toEqual({ device_sn: 'UAV1', product_type: '0-91-0', device_online_status: 1, device_paired: 1 });
    expect(dockOsdData(t, 'UAV1', 'device_model_key').sub_device).toEqual({ device_sn: 'UAV1', device_model_key: '0-91-0', device_online_status: 1, device_paired: 1 });
    expect(dockOsdData(defaultTelemetry(false), undefined, 'product_type')).toMatchObject({
      drone_in_dock: 0,
      sub_device: { device_sn: '', product_type: '', device_online_status: 0, device_paired: 0 },
    });
  });

  it('gives the aircraft its own osd (mode_code, battery) and state, by the M3D pushModes', () => {
    const t = patchTelemetry(defaultTelemetry(true), { drone_charge_state: { capacity_percent: 42 } });
    const osd = aircraftOsdData(t);
    expect(osd).toEqual({ mode_code: 0, battery: { capacity_percent: 42 } });
    expect(stateData('10.01.1608', t.aircraft)).toEqual({ firmware_version: '10.01.1608', firmware_upgrade_status: 0, compatible_status: 0 });
  });

  it('patches one level deep: a struct may be given in part', () => {
    const t = patchTelemetry(defaultTelemetry(true), { drone_charge_state: { state: 1 }, aircraft: { compatible_status: 1 }, emergency_stop_state: 1 });
    expect(t.drone_charge_state).toEqual({ state: 1, capacity_percent: 86 });
    expect(t.aircraft).toEqual({ mode_code: 0, firmware_upgrade_status: 0, compatible_status: 1 });
    expect(t.emergency_stop_state).toBe(1);
    expect(defaultTelemetry(true).drone_charge_state.state).toBe(0);
  });

  it.each([
    [{ dock: true, aircraft: false }, 1, 0, 0],
    [{ dock: false, aircraft: true }, 0, 1, 13],
    [{ dock: true, aircraft: true }, 1, 1, 13],
  ])('while upgrading %j the dock is in mode 3 (firmware upgrading) and each upgraded device says so', (upgrading, dockStatus, aircraftStatus, aircraftMode) => {
    const t = whileUpgrading(defaultTelemetry(true), upgrading);
    expect(t.mode_code).toBe(3);
    expect(t.firmware_upgrade_status).toBe(dockStatus);
    expect(t.aircraft).toMatchObject({ firmware_upgrade_status: aircraftStatus, mode_code: aircraftMode });
  });
});
