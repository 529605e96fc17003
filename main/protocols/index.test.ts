import { describe, expect, it } from 'vitest';
import { SOURCES } from '../../preload/api';
import { decoders } from './index';

describe('decoders', () => {
  it('has one decoder for every vehicle source, none for dji', () => {
    expect(Object.keys(decoders).sort()).toEqual(SOURCES.filter((s) => s !== 'dji').sort());
  });

  it.each(Object.entries(decoders))('%s answers garbage with its own typed error', (name, decode) => {
    const result = decode('\u0000not a report', { receivedAt: new Date('2024-06-01T00:00:00Z') });
    expect(result).toEqual({ ok: false, error: { kind: 'decode-error', protocol: name, reason: expect.any(String) } });
  });
});
