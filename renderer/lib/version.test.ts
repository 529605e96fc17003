import { describe, expect, it } from 'vitest';
import { compareVersions, isDowngrade } from './version';

describe('compareVersions', () => {
  it.each([
    ['01.02.0300', '1.2.300', 0],
    ['1.2.0.69', '1.2.0.70', -1],
    ['10.1.0', '9.9.9', 1],
    ['1.2', '1.2.0.0', 0],
    ['v2.0.1', '2.0.0', 1],
    ['1.00.223', '1.0.224', -1],
  ] as const)('%s vs %s → %i', (a, b, expected) => expect(compareVersions(a, b)).toBe(expected));

  it('cannot compare a version with no number', () => expect(compareVersions('beta', '1.0')).toBeUndefined());
});

describe('isDowngrade', () => {
  it('is true only when both are known and the target is older', () => {
    expect(isDowngrade('02.01.0004', '01.09.0000')).toBe(true);
    expect(isDowngrade('01.09.0000', '02.01.0004')).toBe(false);
    expect(isDowngrade(undefined, '1.0')).toBe(false);
    expect(isDowngrade('1.0', '1.0')).toBe(false);
  });
});
