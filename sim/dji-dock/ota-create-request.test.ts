import { describe, expect, it } from 'vitest';
import { readOtaCreate } from './ota-create-request';

const DOCK = 'DOCKREQ01';
const UAV = 'UAVREQ01';
const device = (over: object = {}) => ({
  sn: DOCK,
  product_version: '1.00.223',
  file_url: 'http://10.1.2.3:8080/fw/dock.bin',
  md5: 'ABCDEF0123456789ABCDEF0123456789',
  file_size: 1234,
  file_name: 'dock.bin',
  firmware_upgrade_type: 3,
  ...over,
});

describe('readOtaCreate', () => {
  it('reads a dock and its aircraft, lower-casing the md5 and keeping version strings as given', () => {
    const r = readOtaCreate({ devices: [device(), device({ sn: UAV, firmware_upgrade_type: 2 })] }, DOCK, UAV);
    expect(r).toEqual({
      ok: true,
      devices: [
        { sn: DOCK, productVersion: '1.00.223', fileUrl: 'http://10.1.2.3:8080/fw/dock.bin', md5: 'abcdef0123456789abcdef0123456789', fileSize: 1234, fileName: 'dock.bin', upgradeType: 3 },
        { sn: UAV, productVersion: '1.00.223', fileUrl: 'http://10.1.2.3:8080/fw/dock.bin', md5: 'abcdef0123456789abcdef0123456789', fileSize: 1234, fileName: 'dock.bin', upgradeType: 2 },
      ],
    });
  });

  it('accepts a request without file_size, file_name or upgrade type', () => {
    const r = readOtaCreate({ devices: [{ sn: DOCK, product_version: 'v2', file_url: 'https://h/f', md5: '0'.repeat(32) }] }, DOCK, undefined);
    expect(r).toEqual({ ok: true, devices: [{ sn: DOCK, productVersion: 'v2', fileUrl: 'https://h/f', md5: '0'.repeat(32) }] });
  });

  const refusals: Array<[string, unknown, string | undefined, number, RegExp]> = [
    ['data is null', null, undefined, 312012, /not an object/],
    ['no devices', {}, undefined, 312012, /empty or missing/],
    ['three devices', { devices: [device(), device(), device()] }, UAV, 312012, /at most 2/],
    ['a device is a string', { devices: ['x'] }, undefined, 312012, /not an object/],
    ['no md5', { devices: [device({ md5: undefined })] }, undefined, 312012, /lacks/],
    ['short md5', { devices: [device({ md5: 'abc' })] }, undefined, 312012, /32 hex/],
    ['ftp url', { devices: [device({ file_url: 'ftp://h/f' })] }, undefined, 312012, /http/],
    ['type 7', { devices: [device({ firmware_upgrade_type: 7 })] }, undefined, 312012, /2, 3 or 4/],
    ['drone SN, no drone', { devices: [device({ sn: UAV })] }, undefined, 312027, /no aircraft/],
    ['stranger SN', { devices: [device({ sn: 'OTHER' })] }, UAV, 312012, /neither/],
    ['same SN twice', { devices: [device(), device()] }, UAV, 312012, /twice/],
  ];
  it.each(refusals)('refuses when %s', (_, data, drone, result, reason) => {
    const r = readOtaCreate(data, DOCK, drone);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.result).toBe(result);
      expect(r.reason).toMatch(reason);
    }
  });
});
