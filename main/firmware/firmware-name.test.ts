import { describe, expect, it } from 'vitest';
import { compareVersions, versionFromFileName } from './firmware-name';

describe('versionFromFileName', () => {
  const cases: [string, string | undefined][] = [
    ['EvoNest-V1.2.0.69-20231215094829.Encrypt.uav', '1.2.0.69'],
    ['dock_pro_10.01.1612.zip', '10.01.1612'],
    ['wm245_dock_v10.01.1612.zip', '10.01.1612'],
    ['Dock3_V1.2.bin', '1.2'],
    ['firmware-V01.00.0223_pro.bin', '01.00.0223'],
    ['M30_1.00.223.bin', '1.00.223'],
    ['dock_11.02.0005.0.zip', '11.02.0005.0'],
    ['/home/tech/Downloads/dock_pro_10.01.1612.zip', '10.01.1612'],
    ['C:\\fw\\EvoNest-V2.0.1.3-20240101000000.Encrypt.uav', '2.0.1.3'],
    ['firmware.bin', undefined],
    ['dock-20231215.bin', undefined],
    ['backup_2023.12.15.zip', undefined],
    ['trace_1.2.3.4.5.log', undefined],
    ['DEV1.2.3.bin', undefined],
    ['', undefined],
  ];
  it.each(cases)('%s → %s', (name, version) => {
    expect(versionFromFileName(name)).toBe(version);
  });
});

describe('compareVersions', () => {
  const cases: [string, string, number][] = [
    ['10.01.1612', '10.01.1612', 0],
    ['10.01.1612', '10.01.1700', -1],
    ['10.02.0001', '10.01.9999', 1],
    ['1.00.223', '1.0.223', 0],
    ['1.00.223', '1.00.1000', -1],
    ['1.2', '1.2.0.0', 0],
    ['1.2', '1.2.0.1', -1],
    ['v10.01.1612', '10.01.1612', 0],
    ['1.2.0.69', '1.2.0.7', 1],
    ['99999999999999999999.1', '99999999999999999998.9', 1],
    ['beta', 'alpha', 1],
    ['1.0', 'beta', 1],
  ];
  it.each(cases)('%s vs %s → %d', (a, b, want) => {
    expect(compareVersions(a, b)).toBe(want);
    expect(compareVersions(b, a)).toBe(-want || 0);
  });
});
