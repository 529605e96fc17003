import { describe, expect, it } from 'vitest';
import { buildOtaCreate, type OtaDevice } from './ota-create';

const dock: OtaDevice = {
  sn: 'DOCKSN0001',
  productVersion: '10.01.1612',
  fileUrl: 'http://127.0.0.1:9000/fw/abc/dock.bin',
  md5: 'D1C9DACEC124ABD350379EB44B9143E5',
  fileSize: 603696942,
  fileName: 'dock.bin',
  type: 'regular',
};

describe('buildOtaCreate', () => {
  it('builds the spec shape: lowercase md5, integer size, type 3 for regular', () => {
    expect(buildOtaCreate([dock])).toEqual({
      devices: [
        {
          sn: 'DOCKSN0001',
          product_version: '10.01.1612',
          file_url: 'http://127.0.0.1:9000/fw/abc/dock.bin',
          md5: 'd1c9dacec124abd350379eb44b9143e5',
          file_size: 603696942,
          file_name: 'dock.bin',
          firmware_upgrade_type: 3,
        },
      ],
    });
  });

  it('uses 2 for a consistency upgrade and takes a dock and its drone in one call', () => {
    const data = buildOtaCreate([
      { ...dock, type: 'consistency' },
      { ...dock, sn: 'DRONESN001', type: 'consistency' },
    ]);
    expect(data.devices.map((d) => d.firmware_upgrade_type)).toEqual([2, 2]);
  });

  it('accepts non-standard version forms like 1.00.223', () => {
    expect(buildOtaCreate([{ ...dock, productVersion: '1.00.223' }]).devices[0]!.product_version).toBe('1.00.223');
  });

  it.each([
    ['no devices', [], 'at least one device'],
    ['three devices', [dock, { ...dock, sn: 'B' }, { ...dock, sn: 'C' }], 'at most 2 devices'],
    ['a device twice', [dock, dock], 'listed twice'],
    ['a short md5', [{ ...dock, md5: 'abc' }], 'not 32 hex digits'],
    ['a fractional size', [{ ...dock, fileSize: 1.5 }], 'positive integer'],
    ['an empty file', [{ ...dock, fileSize: 0 }], 'positive integer'],
    ['an empty version', [{ ...dock, productVersion: ' ' }], 'no firmware version'],
  ])('refuses %s', (_label, devices, message) => {
    expect(() => buildOtaCreate(devices)).toThrow(message);
  });
});
