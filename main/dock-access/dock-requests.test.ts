import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../wire/dji/envelope';
import { decodeDockRequest } from './dock-requests';

const env = (method: string, data: unknown): Envelope => ({ tid: 't', bid: 'b', timestamp: 1, method, data });

describe('decodeDockRequest', () => {
  it.each([
    ['config (DJI example)', env('config', { config_type: 'json', config_scope: 'product' }), { method: 'config', configType: 'json', configScope: 'product' }],
    ['config without data', env('config', undefined), { method: 'config', configType: '', configScope: '' }],
    ['bind status of a dock and its aircraft', env('airport_bind_status', { devices: [{ sn: 'DRONE1' }, { sn: 'DOCK1' }] }), { method: 'airport_bind_status', devices: ['DRONE1', 'DOCK1'] }],
    [
      'organisation get',
      env('airport_organization_get', { device_binding_code: 'K7Q2XP', organization_id: 'org-1' }),
      { method: 'airport_organization_get', bindingCode: 'K7Q2XP', organisationId: 'org-1' },
    ],
    ['organisation get without an id', env('airport_organization_get', { device_binding_code: 'K7Q2XP' }), { method: 'airport_organization_get', bindingCode: 'K7Q2XP', organisationId: '' }],
    [
      'organisation bind',
      env('airport_organization_bind', { bind_devices: [{ device_binding_code: 'K7Q2XP', organization_id: 'org-1', device_callsign: 'North gate', sn: 'DOCK1', device_model_key: '3-2-0' }] }),
      { method: 'airport_organization_bind', devices: [{ sn: 'DOCK1', bindingCode: 'K7Q2XP', organisationId: 'org-1', callsign: 'North gate', modelKey: '3-2-0' }] },
    ],
  ])('%s', (_name, envelope, request) => {
    expect(decodeDockRequest(envelope)).toEqual({ ok: true, request });
  });

  it.each([
    ['bind status without devices', env('airport_bind_status', {}), '"devices" is not a list'],
    ['bind status of three devices', env('airport_bind_status', { devices: [{ sn: 'A' }, { sn: 'B' }, { sn: 'C' }] }), '"devices" names 3 serial numbers (1 or 2 expected)'],
    ['bind status with no SN', env('airport_bind_status', { devices: [{}] }), '"devices" names 0 serial numbers (1 or 2 expected)'],
    ['organisation get without a code', env('airport_organization_get', { organization_id: 'x' }), '"device_binding_code" is missing'],
    ['bind with a device without SN', env('airport_organization_bind', { bind_devices: [{ device_binding_code: 'K' }] }), 'a device in "bind_devices" has no "sn"'],
    ['bind with an empty list', env('airport_organization_bind', { bind_devices: [] }), '"bind_devices" has 0 devices (1 or 2 expected)'],
    ['another method', env('flight_areas_get', {}), '"flight_areas_get" is not a dock-access request'],
  ])('refuses %s', (_name, envelope, reason) => {
    expect(decodeDockRequest(envelope)).toEqual({ ok: false, reason, method: envelope.method });
  });
});
