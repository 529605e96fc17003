// Which of this laptop's addresses a dock can reach: the one on the route to the broker the dock uses.
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import os from 'node:os';

export function isLoopback(ip: string): boolean {
  const bare = unmapped(ip);
  return bare === '::1' || bare.startsWith('127.') || bare === 'localhost';
}

/** "::ffff:192.168.1.20" (an IPv4 peer on a dual-stack socket) → "192.168.1.20". */
export function unmapped(ip: string): string {
  return ip.replace(/^\[(.*)\]$/, '$1').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}

/** Every non-internal IPv4 address of this machine: where a dock on the LAN may reach it. */
export function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flatMap((addrs) => (addrs ?? []).filter((a) => a.family === 'IPv4' && !a.internal).map((a) => a.address));
}

function isUnspecified(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::' || ip === '';
}

/** The first non-internal IPv4 address, else loopback: a best guess when there is no route to ask about. */
export function firstLanAddress(): string {
  return lanAddresses()[0] ?? '127.0.0.1';
}

/** Connecting a UDP socket only asks the kernel for a route: no packet is sent. */
function sourceAddressFor(ip: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(net.isIPv6(ip) ? 'udp6' : 'udp4');
    const done = (address: string | undefined) => {
      socket.close();
      resolve(address);
    };
    socket.once('error', () => done(undefined));
    socket.connect(9, ip, () => {
      try {
        done(socket.address().address);
      } catch {
        done(undefined);
      }
    });
  });
}

/**
 * The local address on the route to `host` (the broker's name or address): loopback for a loopback broker,
 * else what the routing table picks; falls back to the first non-internal IPv4 when the host cannot be
 * resolved or routed to (an embedded broker bound to 0.0.0.0, say).
 */
export async function addressTowards(host: string): Promise<string> {
  const bare = unmapped(host);
  if (isUnspecified(bare)) return firstLanAddress();
  let ip = bare;
  if (net.isIP(bare) === 0) {
    try {
      ip = (await lookup(bare)).address;
    } catch {
      return firstLanAddress();
    }
  }
  if (isLoopback(ip)) return net.isIPv6(ip) ? '::1' : '127.0.0.1';
  return (await sourceAddressFor(ip)) ?? firstLanAddress();
}
