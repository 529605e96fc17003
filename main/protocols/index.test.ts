import { describe, expect, it } from 'vitest';
import { decoders } from './index';

describe('decoders', () => {
  it('has one decoder for each of the four vehicle protocols of the specs, none for dji', () => {
    expect(Object.keys(decoders).sort()).toEqual(['aktualizr', 'carota', 'edgehog', 'oem']);
  });

  it.each(['aktualizr', 'carota', 'edgehog', 'oem'] as const)('%s answers garbage with its own typed error', (name) => {
    const result = decoders[name]('\u0000not a report', { receivedAt: new Date('2024-06-01T00:00:00Z') });
    expect(result).toEqual({ ok: false, error: { kind: 'decode-error', protocol: name, reason: expect.stringMatching(/\S/) } });
  });
});
