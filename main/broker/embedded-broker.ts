// The optional embedded MQTT broker (aedes): a dock at the site can be pointed at the laptop. Beyond
// loopback it takes only clients with a login and holds each to its topic rules (broker-access.ts);
// every connection passes a packet size limit before aedes buffers anything.
import net from 'node:net';
import tls from 'node:tls';
import { Duplex } from 'node:stream';
import { Aedes, type Client } from 'aedes';
import { isLoopback, lanAddresses } from '../firmware/lan-address';
import { createBrokerAccess, type AccessRules } from './broker-access';
import { packetSizeGuard } from './packet-frames';

export interface EmbeddedBroker {
  /** Where this machine's own clients connect (loopback when it listens on every interface). */
  url: string;
  host: string;
  port: number;
  /** The mqtts:// port, when the TLS listener runs. */
  tlsPort?: number;
  /** Clients currently connected, for the Connection view and the CLI. */
  clientCount: () => number;
  /** The remote address of the client that last published under a device's topics. */
  dockAddress: (sn: string) => string | undefined;
  /** The URLs a dock at the site is pointed at: one per LAN address it listens on. */
  lanUrls: () => string[];
  /** The same for the TLS listener (mqtts://), when it runs. */
  lanTlsUrls: () => string[];
  /** Gateway SNs whose dock is connected now (with logins on). */
  connectedDocks: () => string[];
  close: () => Promise<void>;
}

/** Device SNs remembered with their address: enough for a large site, bounded against a flood of names. */
const MAX_REMEMBERED_DOCKS = 1024;
const DEVICE_TOPIC = /^(?:sys|thing)\/product\/([^/]+)\//;
/** DJI messages are a few kB; vehicle reports too. Anything near this is a mistake or an attack. */
export const DEFAULT_MAX_PACKET_BYTES = 1024 * 1024;

export interface BrokerTls {
  /** 0 picks a free port. */
  port: number;
  certPem: string;
  keyPem: string;
}

export interface BrokerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** When the asked port is taken, take a free one instead of failing. */
  fallbackToFreePort?: boolean;
  /** Logins and topic rules; required to listen beyond loopback. Without them every client is let in. */
  access?: AccessRules;
  maxPacketBytes?: number;
  tls?: BrokerTls;
}

export class OpenBrokerRefusedError extends Error {
  override name = 'OpenBrokerRefusedError';
}

function listen(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || isLoopback(host);
}

function urlsOn(host: string, scheme: string, port: number): string[] {
  const addresses = host === '0.0.0.0' || host === '::' ? lanAddresses() : isLoopbackHost(host) ? [] : [host];
  return addresses.map((a) => `${scheme}://${a.includes(':') ? `[${a}]` : a}:${port}`);
}

export async function startEmbeddedBroker(options: BrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  if (!options.access && !isLoopbackHost(host)) throw new OpenBrokerRefusedError(`the built-in broker listens on ${host} only with logins required`);
  const remotes = new WeakMap<object, string>();
  const remoteOf = (client: Client) => remotes.get(client.conn);
  const access = options.access ? createBrokerAccess(options.access, remoteOf) : undefined;
  const aedes = await Aedes.createBroker(access ? { authenticate: access.authenticate, authorizePublish: access.authorizePublish, authorizeSubscribe: access.authorizeSubscribe } : {});
  const addresses = new Map<string, string>();
  aedes.on('publish', (packet, client) => {
    if (!client) return;
    access?.published(packet.topic, packet.payload as Uint8Array, client);
    const remote = remoteOf(client);
    const sn = DEVICE_TOPIC.exec(packet.topic)?.[1];
    if (!remote || !sn) return;
    if (!addresses.has(sn) && addresses.size >= MAX_REMEMBERED_DOCKS) addresses.delete(addresses.keys().next().value!);
    addresses.set(sn, remote);
  });
  if (access) aedes.on('clientDisconnect', (client) => access.disconnected(client));

  const maxPacketBytes = options.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
  const sockets = new Set<net.Socket>();
  const onConnection = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const guard = packetSizeGuard(maxPacketBytes, (reason) => {
      options.access?.onRefused?.(`built-in broker cut off ${socket.remoteAddress ?? 'a client'}: ${reason}`);
      socket.destroy();
    });
    socket.pipe(guard);
    const conn = Duplex.from({ readable: guard, writable: socket });
    socket.on('close', () => conn.destroy());
    conn.on('error', () => socket.destroy());
    if (socket.remoteAddress) remotes.set(conn, socket.remoteAddress);
    aedes.handle(conn);
  };
  const servers: net.Server[] = [];
  const server = net.createServer(onConnection);
  const stopAedes = () => new Promise<void>((r) => aedes.close(() => r()));
  try {
    await listen(server, options.port ?? 1883, host);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' && options.fallbackToFreePort) {
      await listen(server, 0, host);
    } else {
      await stopAedes();
      throw e;
    }
  }
  servers.push(server);
  let tlsPort: number | undefined;
  if (options.tls) {
    const secure = tls.createServer({ cert: options.tls.certPem, key: options.tls.keyPem, minVersion: 'TLSv1.2' }, onConnection);
    secure.on('tlsClientError', () => undefined);
    try {
      await listen(secure, options.tls.port, host);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
        await new Promise<void>((r) => server.close(() => r()));
        await stopAedes();
        throw e;
      }
      await listen(secure, 0, host);
    }
    servers.push(secure);
    tlsPort = (secure.address() as net.AddressInfo).port;
  }
  const port = (server.address() as net.AddressInfo).port;
  const urlHost = host.includes(':') ? (host === '::' ? '127.0.0.1' : `[${host}]`) : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `mqtt://${urlHost}:${port}`,
    host,
    port,
    ...(tlsPort !== undefined ? { tlsPort } : {}),
    clientCount: () => aedes.connectedClients,
    dockAddress: (sn) => addresses.get(sn),
    lanUrls: () => urlsOn(host, 'mqtt', port),
    lanTlsUrls: () => (tlsPort === undefined ? [] : urlsOn(host, 'mqtts', tlsPort)),
    connectedDocks: () => access?.connectedDocks() ?? [],
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
      await stopAedes();
    },
  };
}
