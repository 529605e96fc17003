import { describe, expect, it } from 'vitest';
import { decodeLineHead, encodeLine, prepareLine } from './line-format';

function decode(buf: Buffer) {
  return decodeLineHead(buf, 0, buf.length - 1);
}

describe('journal line format', () => {
  const cases: Array<[string, string, number | undefined, unknown]> = [
    ['an event with a time', 'event', 1748851200000, { kind: 'event', event: { message: 'ok' } }],
    ['a time before 1970', 'event', -86_400_000, { kind: 'event' }],
    ['state without a time', 'upgrade', undefined, { kind: 'upgrade', upgrade: { key: 'tid-a:SN-1' } }],
    ['non-ASCII text and escapes', 'firmware', undefined, { kind: 'firmware', name: 'Prüfung "v2"\n✓ \u2028' }],
  ];

  for (const [what, kind, t, record] of cases) {
    it(`round-trips ${what} and stays valid JSON`, () => {
      const json = JSON.stringify(record);
      const line = prepareLine(kind, t, json);
      const buf = encodeLine(1234567, line);
      expect(buf.at(-1)).toBe(0x0a);
      const head = decode(buf);
      if (typeof head === 'string') throw new Error(head);
      expect(head).toMatchObject({ seq: 1234567, kind, t });
      expect(JSON.parse(buf.toString('utf8', head.recStart, head.recEnd))).toEqual(record);
      const whole = JSON.parse(buf.toString('utf8'));
      expect(whole).toMatchObject({ seq: 1234567, kind, rec: record });
      expect(whole.crc).toMatch(/^[0-9a-f]{8}$/);
    });
  }

  it('tells a changed byte from a line that is not ours', () => {
    const buf = encodeLine(7, prepareLine('event', 5, '{"kind":"event","v":1}'));
    const flipped = Buffer.from(buf);
    flipped[buf.indexOf('"v":1') + 4] = 0x32;
    expect(decode(flipped)).toBe('checksum mismatch');
    const badCrc = Buffer.from(buf);
    badCrc[buf.length - 4] = 0x7a;
    expect(decode(badCrc)).toBe('not a journal line');
    for (const bytes of ['{"seq":,"kind":"e","rec":{},"crc":"00000000"}\n', '{}\n', '\n', '{"seq":1,"kind":"","rec":{},"crc":"00000000"}\n']) {
      expect(decode(Buffer.from(bytes))).toBe('not a journal line');
    }
    expect(decode(buf.subarray(0, 30))).toBe('not a journal line');
  });
});
