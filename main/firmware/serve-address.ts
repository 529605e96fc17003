// Which address of this laptop goes into a dock's file_url: one the dock can reach. With the built-in
// broker we see the dock's own address, so it is our address on the dock's subnet; with a site broker,
// our address on the route to that broker; the technician's setting wins over both. A loopback URL is
// never sent to a dock that is not itself on this machine: that device fails before sending, saying why.
import { addressTowards, isLoopback, unmapped } from './lan-address';

export interface ServeAddressQuestion {
  /** The dock (gateway) the URL is for. */
  gateway: string;
  /** The technician's choice (Connection view, --serve-host); absent: chosen here. */
  override?: string;
  /** The dock's remote address as the built-in broker sees it; undefined with a site broker. */
  dockAddress?: string;
  /** Whether the app's own broker is the one in use. */
  embedded: boolean;
  /** The host of the broker in use. */
  brokerHost: string;
}

export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

/** Resolves the address for the dock's file_url, or rejects with a one-line reason. */
export async function serveAddressFor(q: ServeAddressQuestion): Promise<string> {
  // Where the dock certainly is not on this machine, a loopback URL would point at its own loopback.
  const dockElsewhere = q.embedded ? q.dockAddress !== undefined && !isLoopback(q.dockAddress) : !isLoopback(q.brokerHost);
  const where = q.embedded ? `${q.gateway} (at ${q.dockAddress ?? 'an unknown address'})` : `${q.gateway} (behind the broker at ${q.brokerHost})`;
  if (q.override) {
    if (isLoopback(q.override) && dockElsewhere) {
      throw new UnreachableError(`${where} cannot download from ${q.override}, this laptop's own loopback: set the download address to this laptop's address on the dock's network`);
    }
    return q.override;
  }
  if (q.embedded) {
    if (q.dockAddress === undefined) throw new UnreachableError(`${q.gateway} is not connected to the built-in broker, so the address it could download from is unknown`);
    if (isLoopback(q.dockAddress)) return unmapped(q.dockAddress).includes(':') ? '::1' : '127.0.0.1';
  }
  const towards = q.embedded ? q.dockAddress! : q.brokerHost;
  const host = await addressTowards(towards);
  if (isLoopback(host) && dockElsewhere) {
    throw new UnreachableError(`this laptop has no address on the way to ${where}: connect it to the dock's network, or set the download address`);
  }
  return host;
}
