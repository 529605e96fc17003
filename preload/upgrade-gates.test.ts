// The pre-flight gates against the Dock 2 telemetry values and the 312xxx codes of dji-field-notes.md, read
// by hand: each value the notes list for a field that decides whether a dock takes an upgrade.
import { describe, expect, it } from 'vitest';
import type { DeviceTelemetry } from './api';
import { checkGates, failedGates, gateInWords, type GateCheck } from './upgrade-gates';

const READY: DeviceTelemetry = {
  modeCode: 0,
  firmwareUpgradeStatus: 0,
  emergencyStop: 0,
  droneInDock: 1,
  batteryPercent: 86,
  subDevice: { sn: 'UAV1', productType: '0-91-0', online: 1, paired: 1 },
};

const row = (c: GateCheck) => `${c.gate} ${c.status} ${c.code}: ${c.detail}`;

describe('checkGates', () => {
  it('a ready dock upgrading itself passes dock idle, not upgrading and emergency stop, in that order', () => {
    expect(checkGates({ type: 'regular', aircraft: false, dock: READY, device: undefined }).map(row)).toEqual([
      'dock-idle pass 312015: mode_code 0 (idle)',
      'not-upgrading pass 312014: firmware_upgrade_status 0',
      'emergency-stop pass 312023: emergency_stop_state 0 (released)',
    ]);
  });

  it('for the aircraft it adds in the dock, powered and paired, and battery', () => {
    expect(checkGates({ type: 'regular', aircraft: true, dock: READY, device: { firmwareUpgradeStatus: 0 } }).map(row)).toEqual([
      'dock-idle pass 312015: mode_code 0 (idle)',
      'not-upgrading pass 312014: firmware_upgrade_status 0',
      'aircraft-in-dock pass 312027: drone_in_dock 1',
      'aircraft-linked pass 312022: device_online_status 1, device_paired 1',
      'aircraft-battery pass 312704: capacity_percent 86 (86%)',
      'emergency-stop pass 312023: emergency_stop_state 0 (released)',
    ]);
  });

  // mode_code: 0 idle, 1 on-site debugging, 2 remote debugging, 3 firmware upgrading, 4 in operation.
  it.each([
    [0, 'pass', 'mode_code 0 (idle)'],
    [1, 'fail', 'mode_code 1 (on-site debugging)'],
    [2, 'fail', 'mode_code 2 (remote debugging)'],
    [3, 'fail', 'mode_code 3 (upgrading firmware)'],
    [4, 'fail', 'mode_code 4 (working)'],
  ] as const)('dock mode_code %i: dock idle %s (%s)', (modeCode, status, detail) => {
    const [idle] = checkGates({ type: 'regular', aircraft: false, dock: { ...READY, modeCode }, device: undefined });
    expect(idle).toEqual({ gate: 'dock-idle', status, words: 'dock idle', code: 312015, detail });
  });

  it.each([
    ['the dock upgrading', { dock: { firmwareUpgradeStatus: 1 }, device: { firmwareUpgradeStatus: 0 } }, 'fail', 'firmware_upgrade_status 1 (upgrading)'],
    ['the aircraft upgrading', { dock: { firmwareUpgradeStatus: 0 }, device: { firmwareUpgradeStatus: 1 } }, 'fail', 'firmware_upgrade_status 1 (upgrading)'],
    ['neither', { dock: { firmwareUpgradeStatus: 0 }, device: { firmwareUpgradeStatus: 0 } }, 'pass', 'firmware_upgrade_status 0'],
    ['nothing reported', { dock: { firmwareUpgradeStatus: undefined }, device: {} }, 'unknown', 'firmware_upgrade_status not reported yet'],
  ] as const)('firmware_upgrade_status with %s: not upgrading %s', (_name, { dock, device }, status, detail) => {
    const gate = checkGates({ type: 'regular', aircraft: true, dock: { ...READY, ...dock }, device }).find((c) => c.gate === 'not-upgrading');
    expect(gate).toMatchObject({ status, code: 312014, detail });
  });

  it.each([
    ['drone_in_dock 0', { droneInDock: 0 }, 'aircraft-in-dock', 'fail', 312027, 'drone_in_dock 0'],
    ['the aircraft powered off', { subDevice: { sn: 'UAV1', productType: '0-91-0', online: 0, paired: 1 } }, 'aircraft-linked', 'fail', 312022, 'device_online_status 0, device_paired 1'],
    ['the aircraft not paired', { subDevice: { sn: 'UAV1', productType: '0-91-0', online: 1, paired: 0 } }, 'aircraft-linked', 'fail', 312022, 'device_online_status 1, device_paired 0'],
    ['battery at 19%', { batteryPercent: 19 }, 'aircraft-battery', 'fail', 312704, 'capacity_percent 19 (19%)'],
    ['battery at 20%', { batteryPercent: 20 }, 'aircraft-battery', 'pass', 312704, 'capacity_percent 20 (20%)'],
    ['emergency stop pressed', { emergencyStop: 1 }, 'emergency-stop', 'fail', 312023, 'emergency_stop_state 1 (pressed)'],
  ] as const)('%s: %s %s with %i', (_name, patch, gate, status, code, detail) => {
    const found = checkGates({ type: 'regular', aircraft: true, dock: { ...READY, ...patch }, device: { firmwareUpgradeStatus: 0 } }).find((c) => c.gate === gate);
    expect(found).toMatchObject({ status, code, detail });
  });

  it.each([
    [1, 'pass', 'compatible_status 1 (asks for one)'],
    [0, 'fail', 'compatible_status 0 (consistent)'],
    [undefined, 'unknown', 'compatible_status not reported yet'],
  ] as const)('a consistency upgrade of a device with compatible_status %s: %s', (compatibleStatus, status, detail) => {
    const checks = checkGates({ type: 'consistency', aircraft: false, dock: READY, device: compatibleStatus === undefined ? {} : { compatibleStatus } });
    expect(checks.at(-1)).toEqual({ gate: 'consistency-asked', status, words: 'the device asks for a consistency upgrade', code: 312001, detail });
  });

  it('a dock that reported nothing is unknown on every gate, which never holds it back', () => {
    const checks = checkGates({ type: 'consistency', aircraft: true, dock: undefined, device: undefined });
    expect(checks.map((c) => `${c.gate} ${c.status}`)).toEqual([
      'dock-idle unknown',
      'not-upgrading unknown',
      'aircraft-in-dock unknown',
      'aircraft-linked unknown',
      'aircraft-battery unknown',
      'emergency-stop unknown',
      'consistency-asked unknown',
    ]);
    expect(failedGates(checks)).toEqual([]);
  });

  it('words a failed gate with its telemetry and the code a dock would answer', () => {
    const failed = failedGates(checkGates({ type: 'regular', aircraft: false, dock: { ...READY, modeCode: 4, emergencyStop: 1 }, device: undefined }));
    expect(failed.map(gateInWords)).toEqual(['dock idle (mode_code 4 (working); a dock answers 312015)', 'emergency stop released (emergency_stop_state 1 (pressed); a dock answers 312023)']);
  });
});
