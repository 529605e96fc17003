import { describe, expect, it } from 'vitest';
import { FirmwareError, type FirmwareErrorCode } from './firmware-error';

describe('FirmwareError.fromErrno', () => {
  const cases: [string | undefined, FirmwareErrorCode, string][] = [
    ['ENOENT', 'not-found', '/fw/a.bin: file not found'],
    ['ENOTDIR', 'not-found', '/fw/a.bin: file not found'],
    ['EISDIR', 'not-a-file', '/fw/a.bin is a folder, not a firmware file'],
    ['EACCES', 'permission', '/fw/a.bin: permission denied (this user cannot read the file)'],
    ['EPERM', 'permission', '/fw/a.bin: permission denied (this user cannot read the file)'],
    ['EIO', 'io', '/fw/a.bin: could not read the file (EIO)'],
    [undefined, 'io', '/fw/a.bin: could not read the file (unknown error)'],
  ];
  it.each(cases)('%s → %s', (errno, code, message) => {
    const err = FirmwareError.fromErrno('/fw/a.bin', errno);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('FirmwareError');
    expect(err.code).toBe(code);
    expect(err.message).toBe(message);
    expect(err.path).toBe('/fw/a.bin');
  });
});
