import { describe, expect, it } from 'vitest';
import { hmsWords, readHms, type HmsRead } from './dji-hms';

// Shaped like the Cloud API "HMS management" example, with values of our own.
const docsShaped = {
  list: [
    { level: 2, module: 3, in_the_sky: 0, code: '0x16100083', device_type: '0-91-0', imminent: 1, args: { component_index: 0, sensor_index: 0 } },
    { level: 0, module: 1, in_the_sky: 0, code: '0x1B010002', device_type: '3-2-0', imminent: 0, args: {} },
  ],
};

const CASES: [string, unknown, HmsRead][] = [
  [
    'the documented shape',
    docsShaped,
    {
      ok: true,
      alerts: [
        { code: '0x16100083', level: 2, module: 3, deviceType: '0-91-0', inTheSky: false, imminent: true },
        { code: '0x1B010002', level: 0, module: 1, deviceType: '3-2-0', inTheSky: false, imminent: false },
      ],
    },
  ],
  ['an empty list (every alert cleared)', { list: [] }, { ok: true, alerts: [] }],
  [
    'numbers sent as strings',
    { list: [{ level: '1', module: '2', code: 1234, in_the_sky: '1' }] },
    { ok: true, alerts: [{ code: '1234', level: 1, module: 2, deviceType: '', inTheSky: true, imminent: false }] },
  ],
  ['no data', null, { ok: false, reason: 'data is not an object' }],
  ['no list', { alerts: [] }, { ok: false, reason: 'data.list is not an array' }],
  ['an item that is not an object', { list: ['0x1'] }, { ok: false, reason: 'list[0] is not an object' }],
  ['an item without a code', { list: [{ level: 1 }] }, { ok: false, reason: 'list[0].code is missing or not a short text' }],
  ['a level that is not a number', { list: [{ code: '0x1', level: 'high' }] }, { ok: false, reason: 'list[0].level is not an integer' }],
  ['a flood of alerts', { list: Array.from({ length: 65 }, () => ({ code: '0x1', level: 0 })) }, { ok: false, reason: 'data.list has 65 alerts (at most 64)' }],
];

describe('readHms', () => {
  it.each(CASES)('%s', (_name, data, want) => {
    expect(readHms(data)).toEqual(want);
  });

  it('words an alert with its level, code, module and device', () => {
    const read = readHms(docsShaped);
    if (!read.ok) throw new Error(read.reason);
    expect(hmsWords(read.alerts[0]!, 'Matrice 3D')).toBe('warning 0x16100083 (module hms, device Matrice 3D)');
    expect(hmsWords(read.alerts[1]!)).toBe('notice 0x1B010002 (module device management, device 3-2-0)');
    expect(hmsWords({ code: '0x2', level: 7, module: null, deviceType: '', inTheSky: true, imminent: false })).toBe('level 7 0x2 (in the air)');
  });
});
