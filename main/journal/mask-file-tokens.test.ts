import { describe, expect, it } from 'vitest';
import { maskFileTokens } from './mask-file-tokens';

/** What the README says a masked token reads. */
const MASKED_TOKEN = '[token hidden]';

const TOKEN = '0123456789abcdef0123456789abcdef';

describe('maskFileTokens', () => {
  it.each([
    ['a firmware URL', `http://10.0.0.2:4321/fw/${TOKEN}/dock.bin?device=D1`, `http://10.0.0.2:4321/fw/${MASKED_TOKEN}/dock.bin?device=D1`],
    ['upper-case hex', `/fw/${TOKEN.toUpperCase()}/x.bin`, `/fw/${MASKED_TOKEN}/x.bin`],
    ['JSON-escaped slashes', `http:\\/\\/h\\/fw\\/${TOKEN}\\/x.bin`, `http:\\/\\/h\\/fw\\/${MASKED_TOKEN}\\/x.bin`],
    ['percent-encoded slashes', `u=http%3A%2F%2Fh%2Ffw%2F${TOKEN}%2Fx.bin`, `u=http%3A%2F%2Fh%2Ffw%2F${MASKED_TOKEN}%2Fx.bin`],
    ['two URLs in one message', `/fw/${TOKEN}/a then /fw/${TOKEN}/b`, `/fw/${MASKED_TOKEN}/a then /fw/${MASKED_TOKEN}/b`],
    ['a token at the end', `/fw/${TOKEN}`, `/fw/${MASKED_TOKEN}`],
  ])('masks %s', (_name, input, expected) => {
    expect(maskFileTokens(input)).toBe(expected);
  });

  it.each([
    ['a shorter hex run', '/fw/0123456789abcdef/x.bin'],
    ['a longer hex run (not our token)', `/fw/${TOKEN}00/x.bin`],
    ['another path', `/files/${TOKEN}/x.bin`],
    ['plain text', 'download failed'],
  ])('leaves %s alone', (_name, input) => {
    expect(maskFileTokens(input)).toBe(input);
  });

  it('walks objects and arrays, keys included, and returns untouched values as they are', () => {
    const raw = { method: 'ota_create', data: { devices: [{ sn: 'D1', file_url: `http://h/fw/${TOKEN}/d.bin` }], n: 3, ok: true, none: null } };
    expect(maskFileTokens(raw)).toEqual({ method: 'ota_create', data: { devices: [{ sn: 'D1', file_url: `http://h/fw/${MASKED_TOKEN}/d.bin` }], n: 3, ok: true, none: null } });
    expect(raw.data.devices[0]!.file_url).toContain(TOKEN);
    const clean = { a: [1, 'two', { three: 3 }] };
    expect(maskFileTokens(clean)).toBe(clean);
    expect(maskFileTokens({ [`/fw/${TOKEN}/k`]: 1 })).toEqual({ [`/fw/${MASKED_TOKEN}/k`]: 1 });
  });
});
