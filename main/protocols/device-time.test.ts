import { describe, expect, it } from 'vitest';
import { eventTime, readDeviceTime } from './device-time';
import { Malformed } from './malformed';

describe('readDeviceTime', () => {
  it.each([
    ['seconds', 1696928154, '2023-10-10T08:55:54.000Z'],
    ['fractional seconds', 1696928154.25, '2023-10-10T08:55:54.250Z'],
    ['milliseconds', 1696928154123, '2023-10-10T08:55:54.123Z'],
    ['seconds as text', '1696928154', '2023-10-10T08:55:54.000Z'],
    ['milliseconds as text', ' 1696928154123 ', '2023-10-10T08:55:54.123Z'],
    ['ISO with Z', '2018-10-25T12:35:42Z', '2018-10-25T12:35:42.000Z'],
    ['ISO with an offset', '2018-10-25T14:35:42+02:00', '2018-10-25T12:35:42.000Z'],
    ['ISO without a zone is UTC', '2018-10-25T12:35:42', '2018-10-25T12:35:42.000Z'],
    ['a date alone', '2018-10-25', '2018-10-25T00:00:00.000Z'],
    ['a Date (BSON datetime)', new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), '2024-01-02T03:04:05.006Z'],
    ['a bigint of milliseconds', 1696928154123n, '2023-10-10T08:55:54.123Z'],
    ['zero, an unset device clock', 0, '1970-01-01T00:00:00.000Z'],
  ])('%s', (_name, value, iso) => {
    expect(readDeviceTime(value, 'time')).toBe(iso);
  });

  it.each([undefined, null, '', '   '])('%j is absent', (value) => {
    expect(readDeviceTime(value, 'time')).toBeNull();
  });

  it.each([
    ['huge', 1e300, /time 1e\+300 is not a usable time/],
    ['infinite', Number.POSITIVE_INFINITY, /not a usable time/],
    ['negative', -5, /not a usable time/],
    ['microseconds', 1696928154123456, /not a usable time/],
    ['an impossible date', '2024-13-45T00:00:00Z', /not a usable time/],
    ['words', 'yesterday', /"yesterday" is not a time/],
    ['an object', { seconds: 1 }, /time is an object, not a time/],
    ['a boolean', true, /time is a boolean, not a time/],
  ])('%s is malformed', (_name, value, reason) => {
    expect(() => readDeviceTime(value, 'time')).toThrow(Malformed);
    expect(() => readDeviceTime(value, 'time')).toThrow(reason);
  });
});

describe('eventTime', () => {
  const receivedAt = new Date('2024-06-01T08:00:00.000Z');
  it('takes the first time the payload has', () => {
    expect(eventTime([null, '2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'], receivedAt)).toEqual({ time: '2024-01-01T00:00:00.000Z', fromPayload: true });
  });
  it('falls back to the reception time, and says so', () => {
    expect(eventTime([null, null], receivedAt)).toEqual({ time: '2024-06-01T08:00:00.000Z', fromPayload: false });
  });
});
