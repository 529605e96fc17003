// The optional embedded MQTT broker (aedes): a dock at the site can be pointed at the laptop.
import net from 'node:net';
import { Aedes } from 'aedes';
import { lanAddresses } from '../firmware/lan-address';

export interface EmbeddedBroker {
  url: string;
  host: string;
  port: number;
  /** Clients currently connected, for the Connection view and the CLI. */
  clientCount(): number;
  /** The remote address of the client that last published under a device's topics. */
  dockAddress(sn: string): string | undefined;
  /** The URLs a dock at the site is pointed at: one per LAN address it listens on. */
  lanUrls(): string[];
  close(): Promise<void>;
}

/** Device SNs remembered with their address: enough for a large site, bounded against a flood of names. */
const MAX_REMEMBERED_DOCKS = 1024;
const DEVICE_TOPIC = /^(?:sys|thing)\/product\/([^/]+)\//;

export interface BrokerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** When the asked port is taken, take a free one instead of failing. */
  fallbackToFreePort?: boolean;
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

export async function startEmbeddedBroker(options: BrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const aedes = await Aedes.createBroker();
  const addresses = new Map<string, string>();
  aedes.on('publish', (packet, client) => {
    const remote = client?.conn && 'remoteAddress' in client.conn ? (client.conn as net.Socket).remoteAddress : undefined;
    const sn = DEVICE_TOPIC.exec(packet.topic)?.[1];
    if (!remote || !sn) return;
    if (!addresses.has(sn) && addresses.size >= MAX_REMEMBERED_DOCKS) addresses.delete(addresses.keys().next().value!);
    addresses.set(sn, remote);
  });
  const server = net.createServer(aedes.handle);
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  try {
    await listen(server, options.port ?? 1883, host);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' && options.fallbackToFreePort) {
      await listen(server, 0, host);
    } else {
      await new Promise<void>((r) => aedes.close(() => r()));
      throw e;
    }
  }
  const port = (server.address() as net.AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `mqtt://${urlHost}:${port}`,
    host,
    port,
    clientCount: () => aedes.connectedClients,
    dockAddress: (sn) => addresses.get(sn),
    lanUrls: () => (host === '0.0.0.0' ? lanAddresses() : host.startsWith('127.') || host === '::1' ? [] : [host]).map((a) => `mqtt://${a.includes(':') ? `[${a}]` : a}:${port}`),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => aedes.close(() => r()));
    },
  };
}
