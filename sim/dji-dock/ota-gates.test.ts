import { describe, expect, it } from 'vitest';
import { DOCK_ERRORS } from './dock-errors';
import { OTA_GATES, refusal, type GateRequest } from './ota-gates';
import { defaultTelemetry, patchTelemetry, type TelemetryPatch } from './telemetry';

const dockOnly: GateRequest = { aircraft: false, consistency: { dock: false, aircraft: false } };
const withAircraft: GateRequest = { aircraft: true, consistency: { dock: false, aircraft: false } };
const consistencyOf = (device: 'dock' | 'aircraft'): GateRequest => ({ aircraft: device === 'aircraft', consistency: { dock: device === 'dock', aircraft: device === 'aircraft' } });

describe('ota_create gates', () => {
  const cases: Array<[string, TelemetryPatch, GateRequest, number | null]> = [
    ['an idle dock, aircraft home and charged', {}, withAircraft, null],
    ['dock in operation (mode_code 4)', { mode_code: 4 }, dockOnly, DOCK_ERRORS.dockBusy],
    ['dock in remote debugging (mode_code 2)', { mode_code: 2 }, dockOnly, DOCK_ERRORS.dockBusy],
    ['dock awaiting calibration (mode_code 5)', { mode_code: 5 }, dockOnly, DOCK_ERRORS.dockBusy],
    ['dock upgrading (mode_code 3)', { mode_code: 3 }, dockOnly, DOCK_ERRORS.upgradeAlreadyRunning],
    ['dock firmware_upgrade_status 1', { firmware_upgrade_status: 1 }, dockOnly, DOCK_ERRORS.upgradeAlreadyRunning],
    ['aircraft firmware_upgrade_status 1', { aircraft: { firmware_upgrade_status: 1 } }, dockOnly, DOCK_ERRORS.upgradeAlreadyRunning],
    ['emergency stop pressed', { emergency_stop_state: 1 }, dockOnly, DOCK_ERRORS.emergencyStop],
    ['aircraft away, aircraft upgraded', { drone_in_dock: 0 }, withAircraft, DOCK_ERRORS.noAircraft],
    ['aircraft away, dock only', { drone_in_dock: 0 }, dockOnly, null],
    ['aircraft powered off', { sub_device: { device_online_status: 0 } }, withAircraft, DOCK_ERRORS.aircraftOffOrUnpaired],
    ['aircraft not paired', { sub_device: { device_paired: 0 } }, withAircraft, DOCK_ERRORS.aircraftOffOrUnpaired],
    ['aircraft powered off, dock only', { sub_device: { device_online_status: 0 } }, dockOnly, null],
    ['aircraft battery 19%', { drone_charge_state: { capacity_percent: 19 } }, withAircraft, DOCK_ERRORS.lowBattery],
    ['aircraft battery 20%', { drone_charge_state: { capacity_percent: 20 } }, withAircraft, null],
    ['aircraft battery 5%, dock only', { drone_charge_state: { capacity_percent: 5 } }, dockOnly, null],
    ['consistency for the dock, not asked', {}, consistencyOf('dock'), DOCK_ERRORS.consistencyNotAsked],
    ['consistency for the dock, asked', { compatible_status: 1 }, consistencyOf('dock'), null],
    ['consistency for the aircraft, not asked', {}, consistencyOf('aircraft'), DOCK_ERRORS.consistencyNotAsked],
    ['consistency for the aircraft, asked', { aircraft: { compatible_status: 1 } }, consistencyOf('aircraft'), null],
    ['consistency for the aircraft, only the dock asked', { compatible_status: 1 }, consistencyOf('aircraft'), DOCK_ERRORS.consistencyNotAsked],
    ['busy and emergency stop: the first gate wins', { mode_code: 4, emergency_stop_state: 1 }, dockOnly, DOCK_ERRORS.dockBusy],
    ['upgrading and in operation: already upgrading wins', { mode_code: 3, firmware_upgrade_status: 1 }, dockOnly, DOCK_ERRORS.upgradeAlreadyRunning],
  ];

  it.each(cases)('%s → %s', (_, patch, request, code) => {
    const r = refusal(patchTelemetry(defaultTelemetry(true), patch), request);
    expect(r?.code ?? null).toBe(code);
    if (r) expect(r.reason).toMatch(/\w/);
  });

  it('covers every gate of the table', () => {
    const codes = new Set(cases.map((c) => c[3]));
    for (const gate of OTA_GATES) expect(codes, gate.name).toContain(gate.code);
  });
});
