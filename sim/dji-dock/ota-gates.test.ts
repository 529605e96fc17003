import { describe, expect, it } from 'vitest';
import { OTA_GATES, refusal, type GateRequest } from './ota-gates';
import { defaultTelemetry, patchTelemetry, type TelemetryPatch } from './telemetry';

const dockOnly: GateRequest = { aircraft: false, consistency: { dock: false, aircraft: false } };
const withAircraft: GateRequest = { aircraft: true, consistency: { dock: false, aircraft: false } };
const consistencyOf = (device: 'dock' | 'aircraft'): GateRequest => ({ aircraft: device === 'aircraft', consistency: { dock: device === 'dock', aircraft: device === 'aircraft' } });

describe('ota_create gates', () => {
  // Codes as the field notes give them: 312014 already upgrading, 312015 dock busy, 312023 emergency stop,
  // 312027 no aircraft in the dock, 312022 aircraft off or not linked, 312704 battery below 20%,
  // 312001 consistency upgrade not asked for. The last column is the telemetry the reason must name.
  const cases: Array<[string, TelemetryPatch, GateRequest, number | null, string]> = [
    ['an idle dock, aircraft home and charged', {}, withAircraft, null, ''],
    ['dock in operation (mode_code 4)', { mode_code: 4 }, dockOnly, 312015, 'mode_code 4'],
    ['dock in remote debugging (mode_code 2)', { mode_code: 2 }, dockOnly, 312015, 'mode_code 2'],
    ['dock awaiting calibration (mode_code 5)', { mode_code: 5 }, dockOnly, 312015, 'mode_code 5'],
    ['dock upgrading (mode_code 3)', { mode_code: 3 }, dockOnly, 312014, 'mode_code 3'],
    ['dock firmware_upgrade_status 1', { firmware_upgrade_status: 1 }, dockOnly, 312014, 'firmware_upgrade_status 1/0'],
    ['aircraft firmware_upgrade_status 1', { aircraft: { firmware_upgrade_status: 1 } }, dockOnly, 312014, 'firmware_upgrade_status 0/1'],
    ['emergency stop pressed', { emergency_stop_state: 1 }, dockOnly, 312023, 'emergency_stop_state 1'],
    ['aircraft away, aircraft upgraded', { drone_in_dock: 0 }, withAircraft, 312027, 'drone_in_dock 0'],
    ['aircraft away, dock only', { drone_in_dock: 0 }, dockOnly, null, ''],
    ['aircraft powered off', { sub_device: { device_online_status: 0 } }, withAircraft, 312022, 'device_online_status 0, device_paired 1'],
    ['aircraft not paired', { sub_device: { device_paired: 0 } }, withAircraft, 312022, 'device_online_status 1, device_paired 0'],
    ['aircraft powered off, dock only', { sub_device: { device_online_status: 0 } }, dockOnly, null, ''],
    ['aircraft battery 19%', { drone_charge_state: { capacity_percent: 19 } }, withAircraft, 312704, '19% (below 20%)'],
    ['aircraft battery 20%', { drone_charge_state: { capacity_percent: 20 } }, withAircraft, null, ''],
    ['aircraft battery 5%, dock only', { drone_charge_state: { capacity_percent: 5 } }, dockOnly, null, ''],
    ['consistency for the dock, not asked', {}, consistencyOf('dock'), 312001, 'compatible_status 0'],
    ['consistency for the dock, asked', { compatible_status: 1 }, consistencyOf('dock'), null, ''],
    ['consistency for the aircraft, not asked', {}, consistencyOf('aircraft'), 312001, 'compatible_status 0'],
    ['consistency for the aircraft, asked', { aircraft: { compatible_status: 1 } }, consistencyOf('aircraft'), null, ''],
    ['consistency for the aircraft, only the dock asked', { compatible_status: 1 }, consistencyOf('aircraft'), 312001, 'compatible_status 0'],
    ['busy and emergency stop: the first gate wins', { mode_code: 4, emergency_stop_state: 1 }, dockOnly, 312015, 'mode_code 4'],
    ['upgrading and in operation: already upgrading wins', { mode_code: 3, firmware_upgrade_status: 1 }, dockOnly, 312014, 'mode_code 3'],
  ];

  it.each(cases)('%s → %s', (_, patch, request, code, named) => {
    const r = refusal(patchTelemetry(defaultTelemetry(true), patch), request);
    expect(r?.code ?? null).toBe(code);
    expect(r?.reason ?? '').toContain(named);
  });

  it('covers every gate of the table', () => {
    const codes = new Set(cases.map((c) => c[3]));
    for (const gate of OTA_GATES) expect(codes, gate.name).toContain(gate.code);
  });
});
