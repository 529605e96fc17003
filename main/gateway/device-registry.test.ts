import { describe, expect, it } from 'vitest';
import { decodeEnvelope } from '../../wire/dji/envelope';
import { DeviceRegistry, MAX_UNANNOUNCED_DEVICES, readTelemetry, saysUpgrading } from './device-registry';
import type { UplinkMessage } from './gateway-client';

function message(kind: UplinkMessage['kind'], sn: string, json: object): UplinkMessage {
  const d = decodeEnvelope(JSON.stringify(json));
  if (!d.ok) throw new Error(d.error.reason);
  return { kind, sn, topic: `thing/product/${sn}/${kind}`, envelope: d.envelope };
}

describe('readTelemetry', () => {
  it('reads the Dock 2 osd fields that gate an upgrade, leaving out what was not sent', () => {
    expect(
      readTelemetry({
        mode_code: 0,
        drone_in_dock: 1,
        drone_charge_state: { state: 1, capacity_percent: 64 },
        emergency_stop_state: 0,
        sub_device: { device_sn: 'UAV1', product_type: '0-91-0', device_online_status: 1, device_paired: 1 },
        network_state: { type: 2, quality: 4, rate: 5120 },
      }),
    ).toEqual({ modeCode: 0, droneInDock: 1, batteryPercent: 64, emergencyStop: 0, subDevice: { sn: 'UAV1', productType: '0-91-0', online: 1, paired: 1 } });
    expect(readTelemetry({ firmware_version: '10.01.1612', firmware_upgrade_status: 0, compatible_status: 1 })).toEqual({
      firmwareVersion: '10.01.1612',
      firmwareUpgradeStatus: 0,
      compatibleStatus: 1,
    });
    expect(readTelemetry({ mode_code: '3', drone_charge_state: 'full' })).toEqual({});
  });

  it('takes the aircraft model from device_model_key where the current documents put it', () => {
    expect(readTelemetry({ sub_device: { device_sn: 'UAV1', device_model_key: '0-91-0', device_online_status: 0, device_paired: 1 } }).subDevice).toEqual({
      sn: 'UAV1',
      productType: '0-91-0',
      online: 0,
      paired: 1,
    });
  });

  it('says upgrading for a dock in mode 3, an aircraft in mode 13, or firmware_upgrade_status 1', () => {
    expect([saysUpgrading({ modeCode: 3 }), saysUpgrading({ modeCode: 13 }), saysUpgrading({ firmwareUpgradeStatus: 1 }), saysUpgrading({ modeCode: 4 }), saysUpgrading({})]).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('DeviceRegistry telemetry', () => {
  it('keeps the latest of each field per device with monotonic times, and shows it on the device', () => {
    let now = 100;
    const reg = new DeviceRegistry(60_000, () => now);
    reg.handle(message('osd', 'DOCK1', { data: { mode_code: 3, drone_in_dock: 1 } }));
    now = 200;
    reg.handle(message('state', 'DOCK1', { data: { firmware_version: '10.01.1612' } }));
    expect(reg.telemetry('DOCK1')).toEqual({ modeCode: 3, droneInDock: 1, firmwareVersion: '10.01.1612', upgradingAt: 100, versionAt: 200, at: 200 });
    expect(reg.get('DOCK1')?.telemetry).toEqual({ modeCode: 3, droneInDock: 1 });
    now = 300;
    reg.handle(message('osd', 'DOCK1', { data: { mode_code: 0 } }));
    expect(reg.telemetry('DOCK1')).toMatchObject({ modeCode: 0, upgradingAt: 100, at: 300 });
  });

  it('forgets restored telemetry: a device back from the journal is unknown until it reports', () => {
    const reg = new DeviceRegistry();
    reg.restore([{ sn: 'DOCK1', gateway: 'DOCK1', kind: 'dock', model: 'DJI Dock 2', online: true, lastSeen: '2026-12-01T00:00:00.000Z', telemetry: { modeCode: 0 } }]);
    expect(reg.get('DOCK1')).toMatchObject({ online: false });
    expect(reg.get('DOCK1')?.telemetry).toBeUndefined();
    expect(reg.telemetry('DOCK1')).toBeUndefined();
  });
});

describe('DeviceRegistry against senders who lie', () => {
  it("takes which dock a device is behind from a topology, never from the message's own gateway field", () => {
    const reg = new DeviceRegistry();
    reg.handle(message('status', 'DOCK1', { method: 'update_topo', data: { domain: '3', type: 2, sub_type: 0, sub_devices: [] } }));
    reg.handle(message('osd', 'EVIL-UAV', { gateway: 'DOCK1', data: { mode_code: 0 } }));
    expect(reg.get('EVIL-UAV')?.gateway).toBe('EVIL-UAV');
    reg.handle(message('status', 'DOCK1', { method: 'update_topo', data: { domain: '3', type: 2, sub_type: 0, sub_devices: [{ sn: 'UAV1', domain: '0', type: 91, sub_type: 0 }] } }));
    reg.handle(message('state', 'UAV1', { gateway: 'ELSEWHERE', data: { firmware_version: '10.01.1608' } }));
    expect(reg.get('UAV1')).toMatchObject({ gateway: 'DOCK1', firmwareVersion: '10.01.1608' });
  });

  it('stops tracking devices no topology named beyond a cap, and says so once', () => {
    const reg = new DeviceRegistry();
    const overflow: string[] = [];
    reg.on('overflow', (sn) => overflow.push(sn));
    for (let i = 0; i < MAX_UNANNOUNCED_DEVICES + 20; i++) reg.handle(message('osd', `FLOOD-${i}`, { data: { mode_code: 0 } }));
    expect(reg.list()).toHaveLength(MAX_UNANNOUNCED_DEVICES);
    expect(overflow).toEqual([`FLOOD-${MAX_UNANNOUNCED_DEVICES}`]);
    reg.handle(message('status', 'REAL-DOCK', { method: 'update_topo', data: { domain: '3', type: 2, sub_type: 0, sub_devices: [] } }));
    expect(reg.get('REAL-DOCK')?.kind).toBe('dock');
  });
});
