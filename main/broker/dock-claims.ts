// Which connection holds which dock SN on the built-in broker, and the sub-devices each dock announced.
// A claim lives as long as its connection: a dock that reconnects claims its SN again.
import { decodeEnvelope } from '../../wire/dji/envelope';
import type { DockClaim } from './topic-rules';

/** A dock has an aircraft and maybe a payload or two; more names than this in one topology are noise. */
export const MAX_SUB_DEVICES = 8;

/** The sub-device SNs of an update_topo payload, or null when the payload is not one. */
export function subDevicesOf(payload: Uint8Array): string[] | null {
  const decoded = decodeEnvelope(payload);
  if (!decoded.ok || decoded.envelope.method !== 'update_topo') return null;
  const subs = (decoded.envelope.data as { sub_devices?: unknown } | undefined)?.sub_devices;
  if (!Array.isArray(subs)) return [];
  return subs
    .map((s) => (s as { sn?: unknown } | null)?.sn)
    .filter((sn): sn is string => typeof sn === 'string' && /^[^/+#\s]{1,64}$/.test(sn))
    .slice(0, MAX_SUB_DEVICES);
}

export class DockClaims<C extends object> {
  private readonly holders = new Map<string, C>();
  private readonly claims = new WeakMap<C, { gateway?: string; devices: Set<string> }>();

  of(client: C): DockClaim {
    return this.claims.get(client) ?? { devices: new Set() };
  }

  heldByOther(client: C, sn: string): boolean {
    const holder = this.holders.get(sn);
    return holder !== undefined && holder !== client;
  }

  bind(client: C, gateway: string): void {
    this.claims.set(client, { gateway, devices: new Set() });
    this.holders.set(gateway, client);
  }

  /** The sub-devices from the dock's own update_topo; an SN another connection holds is left out. */
  setDevices(client: C, sns: readonly string[]): void {
    const claim = this.claims.get(client);
    if (claim?.gateway === undefined) return;
    for (const sn of claim.devices) if (this.holders.get(sn) === client) this.holders.delete(sn);
    claim.devices = new Set(sns.filter((sn) => sn !== claim.gateway && !this.heldByOther(client, sn)));
    for (const sn of claim.devices) this.holders.set(sn, client);
  }

  release(client: C): void {
    const claim = this.claims.get(client);
    if (!claim) return;
    for (const sn of [claim.gateway, ...claim.devices]) if (sn !== undefined && this.holders.get(sn) === client) this.holders.delete(sn);
    this.claims.delete(client);
  }

  /** The gateway SN each connected dock holds. */
  gateways(): string[] {
    return [...this.holders.entries()].filter(([sn, c]) => this.claims.get(c)?.gateway === sn).map(([sn]) => sn);
  }
}
