import { describe, expect, it } from 'vitest';
import { versionProblem } from './firmware-version-input';

describe('typed firmware versions', () => {
  it.each(['10.01.0300', ' 10.01.1700 ', '1.2.0.69', 'v10.1.3', '7'])('accepts %j', (v) => {
    expect(versionProblem(v)).toBeUndefined();
  });

  it.each(['latest', '10.01 beta', '10..1', '.10.1', '10.1.', '', 'v', '1,2,3'])('refuses %j as not a version', (v) => {
    expect(versionProblem(v)).toBe('A version is numbers separated by dots, e.g. 10.01.0300.');
  });

  it('refuses more than 64 characters, which the contract would refuse anyway', () => {
    expect(versionProblem('1.'.repeat(32) + '1')).toBe('A version has at most 64 characters.');
    expect(versionProblem('1.'.repeat(31) + '10')).toBeUndefined();
  });
});
