import { describe, expect, it } from 'vitest';
import { decodeStrictBase64 } from './strict-base64';

describe('decodeStrictBase64', () => {
  it.each([
    ['padded', 'eyJhIjoxfQ==', '{"a":1}'],
    ['one pad', 'eyJhYiI6MX0=', '{"ab":1}'],
    ['no padding needed', 'eyJhYmMiOjF9', '{"abc":1}'],
    ['padding left off', 'eyJhIjoxfQ', '{"a":1}'],
  ])('%s', (_name, text, decoded) => {
    expect(decodeStrictBase64(text, 'body').toString('utf8')).toBe(decoded);
  });

  it.each([
    ['empty', '', /body is empty/],
    ['a character outside the alphabet', 'eyJh*IjoxfQ==', /character "\*" at position 4/],
    ['base64url', 'eyJh-IjoxfQ==', /character "-"/],
    ['whitespace', 'eyJh IjoxfQ==', /character " "/],
    ['padding in the middle', 'eyJh=IjoxfQ=', /padding only at the end/],
    ['three pads', 'eyJhIjox===', /padding only at the end/],
    ['a dangling character', 'eyJhIjoxf', /not a whole number of bytes/],
    ['padded to the wrong length', 'eyJhIjoxfQ=', /not a whole number of bytes/],
  ])('%s is refused', (_name, text, reason) => {
    expect(() => decodeStrictBase64(text, 'body')).toThrow(reason);
  });

  it('refuses what Buffer.from would quietly accept', () => {
    expect(Buffer.from('eyJh*IjoxfQ==', 'base64').toString('utf8')).toBe('{"a":1}');
    expect(() => decodeStrictBase64('eyJh*IjoxfQ==', 'body')).toThrow();
  });
});
