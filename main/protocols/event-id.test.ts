import { describe, expect, it } from 'vitest';
import { canonicalJson, hashEventId } from './event-id';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined, like JSON would', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
  });
  it('writes dates and bigints as text', () => {
    expect(canonicalJson([new Date(0), 5n])).toBe('["1970-01-01T00:00:00.000Z","5"]');
  });
});

describe('hashEventId', () => {
  const raw = { v: { status: 'Success', requestUUID: 'r-1' }, t: 1 };
  it('is the same for the same message whatever its key order', () => {
    expect(hashEventId('edgehog', 'dev', raw)).toBe(hashEventId('edgehog', 'dev', { t: 1, v: { requestUUID: 'r-1', status: 'Success' } }));
    expect(hashEventId('edgehog', 'dev', raw)).toMatch(/^edgehog-[0-9a-f]{32}$/);
  });
  it('differs by source, device, content and (when given) reception time', () => {
    const base = hashEventId('edgehog', 'dev', raw);
    expect(
      new Set([
        base,
        hashEventId('oem', 'dev', raw).replace(/^oem/, 'edgehog'),
        hashEventId('edgehog', 'dev-2', raw),
        hashEventId('edgehog', 'dev', { ...raw, t: 2 }),
        hashEventId('edgehog', 'dev', raw, '2024-06-01T08:00:00.000Z'),
      ]).size,
    ).toBe(5);
  });
});
