// Docks and their sub-devices as they report: topology (update_topo), state (firmware_version) and osd.
import { EventEmitter } from 'node:events';
import type { DeviceInfo } from '../../preload/api';
import type { UplinkMessage } from './gateway-client';

/** DJI product enum "domain-type-sub_type" → model name, from the Cloud API product list. */
export const DJI_MODELS: Readonly<Record<string, string>> = {
  '3-1-0': 'DJI Dock',
  '3-2-0': 'DJI Dock 2',
  '3-3-0': 'DJI Dock 3',
  '0-60-0': 'Matrice 300 RTK',
  '0-89-0': 'Matrice 350 RTK',
  '0-67-0': 'Matrice 30',
  '0-67-1': 'Matrice 30T',
  '0-77-0': 'Mavic 3 Enterprise',
  '0-77-1': 'Mavic 3 Thermal',
  '0-77-2': 'Mavic 3 Multispectral',
  '0-91-0': 'Matrice 3D',
  '0-91-1': 'Matrice 3TD',
  '0-100-0': 'Matrice 4D',
  '0-100-1': 'Matrice 4TD',
  '2-56-0': 'DJI RC Plus',
  '2-119-0': 'DJI RC Pro Enterprise',
};

const DOMAIN_KIND: Readonly<Record<string, DeviceInfo['kind']>> = { '0': 'drone', '1': 'payload', '2': 'rc', '3': 'dock' };

/** Dock mode_code values from osd, in words. */
export const DOCK_MODES: Readonly<Record<number, string>> = {
  0: 'idle',
  1: 'on-site debugging',
  2: 'remote debugging',
  3: 'upgrading firmware',
  4: 'working',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function productKey(o: Record<string, unknown>): string | null {
  if (o.domain === undefined || o.type === undefined) return null;
  return `${String(o.domain)}-${String(o.type)}-${String(o.sub_type ?? 0)}`;
}

const HEARTBEAT_MS = 5_000;

interface RegistryEvents {
  device: [DeviceInfo];
}

export class DeviceRegistry extends EventEmitter<RegistryEvents> {
  private devices = new Map<string, DeviceInfo>();
  private sweep: NodeJS.Timeout | null = null;

  /** @param offlineAfterMs a device silent this long is shown offline (docks send osd every few seconds). */
  constructor(private readonly offlineAfterMs = 60_000) {
    super();
  }

  list(): DeviceInfo[] {
    return [...this.devices.values()].sort((a, b) => a.gateway.localeCompare(b.gateway) || a.kind.localeCompare(b.kind) || a.sn.localeCompare(b.sn));
  }

  get(sn: string): DeviceInfo | undefined {
    return this.devices.get(sn);
  }

  /** Restores devices from the journal: known, but offline until they report again. */
  restore(devices: DeviceInfo[]): void {
    for (const d of devices) this.devices.set(d.sn, { ...d, online: false });
  }

  startSweeping(intervalMs = 5_000): void {
    this.sweep ??= setInterval(() => this.markSilentOffline(Date.now()), intervalMs);
    this.sweep.unref();
  }

  stop(): void {
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = null;
  }

  markSilentOffline(now: number): void {
    for (const d of this.devices.values()) {
      if (d.online && now - Date.parse(d.lastSeen) > this.offlineAfterMs) this.put({ ...d, online: false });
    }
  }

  /** Emits on a real change, and on a mere heartbeat only every few seconds: osd arrives several times a second. */
  private put(next: DeviceInfo): void {
    const prev = this.devices.get(next.sn);
    this.devices.set(next.sn, next);
    if (!prev) return void this.emit('device', next);
    const { lastSeen: prevSeen, ...prevRest } = prev;
    const { lastSeen: nextSeen, ...nextRest } = next;
    const changed = JSON.stringify(prevRest) !== JSON.stringify(nextRest);
    if (changed || Date.parse(nextSeen) - Date.parse(prevSeen) >= HEARTBEAT_MS) this.emit('device', next);
    else this.devices.set(next.sn, { ...next, lastSeen: prevSeen });
  }

  private touch(sn: string, gateway: string, patch: Partial<DeviceInfo>, at: number): void {
    const prev = this.devices.get(sn);
    const base: DeviceInfo = prev ?? { sn, gateway, kind: sn === gateway ? 'dock' : 'unknown', model: 'unknown', online: true, lastSeen: '' };
    this.put({ ...base, ...patch, online: patch.online ?? true, lastSeen: new Date(at).toISOString() });
  }

  handle(msg: UplinkMessage): void {
    const { kind, sn, envelope } = msg;
    const at = Date.now();
    const data = isRecord(envelope.data) ? envelope.data : {};
    if (kind === 'status' && envelope.method === 'update_topo') {
      this.onTopology(sn, data, at);
    } else if (kind === 'state' || kind === 'osd') {
      const gateway = typeof envelope.gateway === 'string' && envelope.gateway ? envelope.gateway : this.devices.get(sn)?.gateway ?? sn;
      const patch: Partial<DeviceInfo> = {};
      if (typeof data.firmware_version === 'string' && data.firmware_version) patch.firmwareVersion = data.firmware_version;
      if (typeof data.mode_code === 'number' && sn === gateway) patch.mode = DOCK_MODES[data.mode_code] ?? `mode ${data.mode_code}`;
      this.touch(sn, gateway, patch, at);
    }
  }

  private onTopology(gateway: string, data: Record<string, unknown>, at: number): void {
    const key = productKey(data);
    const patch: Partial<DeviceInfo> = { kind: (key && DOMAIN_KIND[key.split('-')[0]!]) || 'dock' };
    if (key) patch.model = DJI_MODELS[key] ?? key;
    this.touch(gateway, gateway, patch, at);
    const subs = Array.isArray(data.sub_devices) ? data.sub_devices.filter(isRecord) : [];
    const present = new Set<string>();
    for (const sub of subs) {
      const subSn = typeof sub.sn === 'string' ? sub.sn : null;
      if (!subSn) continue;
      present.add(subSn);
      const subKey = productKey(sub);
      const subPatch: Partial<DeviceInfo> = { kind: (subKey && DOMAIN_KIND[subKey.split('-')[0]!]) || 'unknown' };
      if (subKey) subPatch.model = DJI_MODELS[subKey] ?? subKey;
      this.touch(subSn, gateway, subPatch, at);
    }
    // A sub-device missing from the latest topology has left the dock (powered off or unlinked).
    for (const d of this.devices.values()) {
      if (d.gateway === gateway && d.sn !== gateway && d.online && !present.has(d.sn)) this.put({ ...d, online: false });
    }
  }
}
