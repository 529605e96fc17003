import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from './json-depth';

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

describe('nestsDeeperThan', () => {
  it.each([
    [1, 0, false],
    [nested(3), 3, false],
    [nested(4), 3, true],
    [{ a: [1, { b: 2 }], c: null }, 3, false],
    [{ a: [1, { b: {} }], c: null }, 3, true],
  ])('%j beyond %i levels: %s', (value, limit, expected) => {
    expect(nestsDeeperThan(value, limit)).toBe(expected);
  });

  it('measures 200,000 levels without overflowing the stack', () => {
    expect(nestsDeeperThan(JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)))).toBe(true);
  });
});
