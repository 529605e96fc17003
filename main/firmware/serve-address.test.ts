import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { serveAddressFor, UnreachableError } from './serve-address';

const lan = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('serveAddressFor', () => {
  it('uses loopback for a dock on this machine behind the built-in broker', async () => {
    expect(await serveAddressFor({ gateway: 'DOCK1', embedded: true, dockAddress: '127.0.0.1', brokerHost: '127.0.0.1' })).toBe('127.0.0.1');
    expect(await serveAddressFor({ gateway: 'DOCK1', embedded: true, dockAddress: '::ffff:127.0.0.1', brokerHost: '127.0.0.1' })).toBe('127.0.0.1');
  });

  it.runIf(lan !== undefined)("uses our address on the dock's own subnet for a dock on the LAN", async () => {
    expect(await serveAddressFor({ gateway: 'DOCK1', embedded: true, dockAddress: `::ffff:${lan!}`, brokerHost: '127.0.0.1' })).toBe(lan);
  });

  it('never sends a loopback URL to a dock elsewhere, saying why in one line', async () => {
    const q = { gateway: 'DOCK1', embedded: true, dockAddress: '192.0.2.40', brokerHost: '127.0.0.1', override: '127.0.0.1' };
    await expect(serveAddressFor(q)).rejects.toThrow(UnreachableError);
    await expect(serveAddressFor(q)).rejects.toThrow(
      "DOCK1 (at 192.0.2.40) cannot download from 127.0.0.1, this laptop's own loopback: set the download address to this laptop's address on the dock's network",
    );
    await expect(serveAddressFor({ gateway: 'DOCK2', embedded: false, brokerHost: '192.0.2.1', override: 'localhost' })).rejects.toThrow(
      'DOCK2 (behind the broker at 192.0.2.1) cannot download from localhost',
    );
  });

  it("takes the technician's address as given otherwise", async () => {
    expect(await serveAddressFor({ gateway: 'DOCK1', embedded: true, dockAddress: '192.0.2.40', brokerHost: '127.0.0.1', override: '192.0.2.7' })).toBe('192.0.2.7');
    expect(await serveAddressFor({ gateway: 'DOCK1', embedded: false, brokerHost: '127.0.0.1', override: '127.0.0.1' })).toBe('127.0.0.1');
  });

  it('uses the route to a site broker', async () => {
    expect(await serveAddressFor({ gateway: 'DOCK1', embedded: false, brokerHost: '127.0.0.1' })).toBe('127.0.0.1');
  });

  it('says so when the dock never connected to the built-in broker', async () => {
    await expect(serveAddressFor({ gateway: 'DOCK9', embedded: true, brokerHost: '127.0.0.1' })).rejects.toThrow(
      'DOCK9 is not connected to the built-in broker, so the address it could download from is unknown',
    );
  });
});
