// Which of this laptop's addresses a dock can reach: the one on the route to the broker the dock uses.
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import os from 'node:os';

function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.');
}

function isUnspecified(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::' || ip === '';
}

/** The first non-internal IPv4 address, else loopback: a best guess when there is no route to ask about. */
export function firstLanAddress(): string {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
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
  const bare = host.replace(/^\[(.*)\]$/, '$1');
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
