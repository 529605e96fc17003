import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatSpeed, secondsBetween } from './format';

describe('format', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1500, '1.50 kB'],
    [603_696_942, '603.7 MB'],
    [8_000_000_000, '8.00 GB'],
  ])('formatBytes(%i) = %s', (n, s) => expect(formatBytes(n)).toBe(s));

  it.each([
    [undefined, '—'],
    [4.4, '4 s'],
    [130, '2 min 10 s'],
    [3725, '1 h 02 min'],
  ])('formatDuration(%s) = %s', (n, s) => expect(formatDuration(n)).toBe(s));

  it('formats speed and differences of ISO times', () => {
    expect(formatSpeed(2_500_000)).toBe('2.50 MB/s');
    expect(formatSpeed(undefined)).toBe('—');
    expect(secondsBetween('2024-05-01T10:00:00Z', '2024-05-01T10:01:30Z')).toBe(90);
    expect(secondsBetween('later', '2024-05-01T10:01:30Z')).toBeUndefined();
  });
});
