import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { addressTowards, firstLanAddress } from './lan-address';

const local = new Set(Object.values(os.networkInterfaces()).flatMap((l) => (l ?? []).map((a) => a.address)));
const lan = [...local].find((a) => a.includes('.') && !a.startsWith('127.'));

describe('addressTowards', () => {
  const loopbacks: [string, string][] = [
    ['127.0.0.1', '127.0.0.1'],
    ['127.0.0.53', '127.0.0.1'],
    ['::1', '::1'],
    ['[::1]', '::1'],
  ];
  it.each(loopbacks)('%s → %s', async (host, want) => {
    expect(await addressTowards(host)).toBe(want);
  });

  it('resolves a loopback name to loopback', async () => {
    expect(['127.0.0.1', '::1']).toContain(await addressTowards('localhost'));
  });

  it('uses the LAN address for an unspecified broker address', async () => {
    expect(await addressTowards('0.0.0.0')).toBe(firstLanAddress());
    expect(firstLanAddress()).toBe(lan ?? '127.0.0.1');
  });

  it.runIf(lan !== undefined)('picks this machine’s own address when the broker is this machine on the LAN', async () => {
    expect(await addressTowards(lan!)).toBe(lan);
  });

  it('answers one of this machine’s addresses for a remote host, routed or not', async () => {
    // TEST-NET-3: never a real host, so the answer comes from the routing table or the fallback.
    expect(local.has(await addressTowards('203.0.113.7'))).toBe(true);
  });
});
