import { describe, expect, it } from 'vitest';
import { DockClaims, MAX_SUB_DEVICES, subDevicesOf } from './dock-claims';

const topo = (data: unknown) => Buffer.from(JSON.stringify({ tid: 't', bid: 'b', timestamp: 1, method: 'update_topo', data }));

describe('subDevicesOf', () => {
  it.each([
    ['a dock with its aircraft', topo({ sub_devices: [{ sn: 'DRONE1', type: 91 }] }), ['DRONE1']],
    ['no sub-devices', topo({ sub_devices: [] }), []],
    ['sub_devices missing', topo({}), []],
    ['names that cannot be topics are left out', topo({ sub_devices: [{ sn: 'a/b' }, { sn: '+' }, { sn: 7 }, null, { sn: 'OK1' }] }), ['OK1']],
    ['at most a few', topo({ sub_devices: Array.from({ length: 50 }, (_, i) => ({ sn: `S${i}` })) }), Array.from({ length: MAX_SUB_DEVICES }, (_, i) => `S${i}`)],
    ['not update_topo', Buffer.from(JSON.stringify({ method: 'other', data: { sub_devices: [{ sn: 'X' }] } })), null],
    ['not JSON', Buffer.from('{'), null],
  ])('%s', (_name, payload, expected) => {
    expect(subDevicesOf(payload)).toEqual(expected);
  });
});

describe('DockClaims', () => {
  it('binds a dock, learns its aircraft, refuses others those SNs, and frees them when it goes', () => {
    const claims = new DockClaims<object>();
    const a = {};
    const b = {};
    claims.bind(a, 'DOCKA');
    claims.setDevices(a, ['DRONEA']);
    expect(claims.of(a)).toEqual({ gateway: 'DOCKA', devices: new Set(['DRONEA']) });
    expect(claims.heldByOther(b, 'DOCKA')).toBe(true);
    expect(claims.heldByOther(b, 'DRONEA')).toBe(true);
    expect(claims.heldByOther(a, 'DOCKA')).toBe(false);
    claims.bind(b, 'DOCKB');
    claims.setDevices(b, ['DRONEA', 'DRONEB']);
    expect(claims.of(b).devices).toEqual(new Set(['DRONEB']));
    claims.setDevices(a, []);
    expect(claims.heldByOther(b, 'DRONEA')).toBe(false);
    expect(claims.gateways().sort()).toEqual(['DOCKA', 'DOCKB']);
    claims.release(a);
    expect(claims.heldByOther(b, 'DOCKA')).toBe(false);
    expect(claims.gateways()).toEqual(['DOCKB']);
  });
});
