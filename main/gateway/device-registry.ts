// Docks and their sub-devices as they report: topology (update_topo), state (firmware_version) and osd,
// and the latest telemetry of each (what decides whether an upgrade can start, and whether one runs).
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { DeviceInfo, DeviceTelemetry } from '../../preload/api';
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

/** What a device last said about itself in osd and state; a field it never reported is absent (unknown). */
export interface TelemetryRecord extends DeviceTelemetry {
  firmwareVersion?: string;
  /** Monotonic ms of the last firmware_version report. */
  versionAt?: number;
  /** Monotonic ms of the last report saying the device is upgrading. */
  upgradingAt?: number;
  /** Monotonic ms of the last osd or state. */
  at: number;
}

/** mode_code while upgrading firmware: 3 for a dock, 13 for an aircraft (Cloud API property documents). */
const UPGRADING_MODES: ReadonlySet<number> = new Set([3, 13]);

export function saysUpgrading(t: Pick<DeviceTelemetry, 'modeCode' | 'firmwareUpgradeStatus'>): boolean {
  return (t.modeCode !== undefined && UPGRADING_MODES.has(t.modeCode)) || t.firmwareUpgradeStatus === 1;
}

function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/** The telemetry fields one osd or state message carries, read defensively (a field absent stays unknown). */
export function readTelemetry(data: Record<string, unknown>): DeviceTelemetry & { firmwareVersion?: string } {
  const t: DeviceTelemetry & { firmwareVersion?: string } = {};
  const set = <K extends keyof typeof t>(key: K, value: (typeof t)[K] | undefined) => {
    if (value !== undefined) t[key] = value;
  };
  set('modeCode', int(data.mode_code));
  set('firmwareUpgradeStatus', int(data.firmware_upgrade_status));
  set('compatibleStatus', int(data.compatible_status));
  set('droneInDock', int(data.drone_in_dock));
  set('emergencyStop', int(data.emergency_stop_state));
  if (isRecord(data.drone_charge_state)) set('batteryPercent', int(data.drone_charge_state.capacity_percent));
  if (isRecord(data.sub_device)) {
    const sub = data.sub_device;
    set('subDevice', {
      sn: typeof sub.device_sn === 'string' ? sub.device_sn : '',
      // The English Dock 2 documents say product_type; the current ones and DJI's sample server device_model_key.
      productType: typeof sub.product_type === 'string' ? sub.product_type : typeof sub.device_model_key === 'string' ? sub.device_model_key : '',
      online: int(sub.device_online_status) ?? 0,
      paired: int(sub.device_paired) ?? 0,
    });
  }
  if (typeof data.firmware_version === 'string' && data.firmware_version) set('firmwareVersion', data.firmware_version);
  return t;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function productKey(o: Record<string, unknown>): string | null {
  const { domain, type } = o;
  const subType = o.sub_type ?? 0;
  if (!isKeyPart(domain) || !isKeyPart(type) || !isKeyPart(subType)) return null;
  return `${domain}-${type}-${subType}`;
}

/** DJI sends these as numbers; a string form is accepted, anything else names no product. */
function isKeyPart(v: unknown): v is number | string {
  return typeof v === 'number' || typeof v === 'string';
}

const HEARTBEAT_MS = 5_000;

interface RegistryEvents {
  device: [DeviceInfo];
  /** Too many devices reported without a topology naming them: the newest is not tracked (said once). */
  overflow: [sn: string];
}

/** Devices known only from their own osd/state, never from a topology: a flood of made-up SNs stops here. */
export const MAX_UNANNOUNCED_DEVICES = 500;

export class DeviceRegistry extends EventEmitter<RegistryEvents> {
  private devices = new Map<string, DeviceInfo>();
  private readonly telemetryBySn = new Map<string, TelemetryRecord>();
  /** Monotonic ms each device was last heard: what "offline" is decided on. */
  private readonly heardAt = new Map<string, number>();
  /** Devices a topology named (a dock's own, or listed as its sub-device). */
  private readonly announced = new Set<string>();
  private overflowSaid = false;
  private sweep: NodeJS.Timeout | null = null;

  /**
   * @param offlineAfterMs a device silent this long is shown offline (docks send osd every few seconds).
   * @param monotonic the clock telemetry times are read on (not the wall clock: sleep and clock jumps).
   */
  constructor(
    private readonly offlineAfterMs = 60_000,
    private readonly monotonic: () => number = () => performance.now(),
  ) {
    super();
  }

  telemetry(sn: string): TelemetryRecord | undefined {
    return this.telemetryBySn.get(sn);
  }

  list(): DeviceInfo[] {
    return [...this.devices.values()].sort((a, b) => a.gateway.localeCompare(b.gateway) || a.kind.localeCompare(b.kind) || a.sn.localeCompare(b.sn));
  }

  get(sn: string): DeviceInfo | undefined {
    return this.devices.get(sn);
  }

  /** Restores devices from the journal: known, but offline until they report again, their telemetry unknown. */
  restore(devices: DeviceInfo[]): void {
    for (const { telemetry: _stale, ...d } of devices) {
      this.devices.set(d.sn, { ...d, online: false });
      if (d.kind !== 'unknown') this.announced.add(d.sn);
    }
  }

  startSweeping(intervalMs = 5_000): void {
    this.sweep ??= setInterval(() => this.markSilentOffline(this.monotonic()), intervalMs);
    this.sweep.unref();
  }

  stop(): void {
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = null;
  }

  /** @param now monotonic ms, on the registry's own clock */
  markSilentOffline(now: number): void {
    for (const d of this.devices.values()) {
      if (d.online && now - (this.heardAt.get(d.sn) ?? -Infinity) > this.offlineAfterMs) this.put({ ...d, online: false });
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
    this.heardAt.set(sn, this.monotonic());
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
      // Which dock a device is behind comes from a topology, never from the message's own "gateway" field,
      // which anyone publishing on a site broker could set.
      const gateway = this.devices.get(sn)?.gateway ?? sn;
      if (!this.devices.has(sn) && !this.announced.has(sn) && this.unannounced() >= MAX_UNANNOUNCED_DEVICES) {
        if (!this.overflowSaid) this.emit('overflow', sn);
        this.overflowSaid = true;
        return;
      }
      const patch: Partial<DeviceInfo> = {};
      if (typeof data.firmware_version === 'string' && data.firmware_version) patch.firmwareVersion = data.firmware_version;
      if (typeof data.mode_code === 'number' && sn === gateway) patch.mode = DOCK_MODES[data.mode_code] ?? `mode ${data.mode_code}`;
      const telemetry = this.noteTelemetry(sn, data);
      if (Object.keys(telemetry).length > 0) patch.telemetry = telemetry;
      this.touch(sn, gateway, patch, at);
    }
  }

  /** Keeps the latest of each field and returns what the window shows of it. */
  private noteTelemetry(sn: string, data: Record<string, unknown>): DeviceTelemetry {
    const now = this.monotonic();
    const read = readTelemetry(data);
    const next: TelemetryRecord = { ...this.telemetryBySn.get(sn), ...read, at: now };
    if (read.firmwareVersion !== undefined) next.versionAt = now;
    if (saysUpgrading(read)) next.upgradingAt = now;
    this.telemetryBySn.set(sn, next);
    const { firmwareVersion: _v, versionAt: _va, upgradingAt: _ua, at: _at, ...shown } = next;
    return shown;
  }

  private unannounced(): number {
    let n = 0;
    for (const sn of this.devices.keys()) if (!this.announced.has(sn)) n++;
    return n;
  }

  private onTopology(gateway: string, data: Record<string, unknown>, at: number): void {
    this.announced.add(gateway);
    const key = productKey(data);
    const patch: Partial<DeviceInfo> = { kind: (key && DOMAIN_KIND[key.split('-')[0]!]) || 'dock' };
    if (key) {
      patch.model = DJI_MODELS[key] ?? key;
      patch.product = key;
    }
    this.touch(gateway, gateway, patch, at);
    const subs = Array.isArray(data.sub_devices) ? data.sub_devices.filter(isRecord) : [];
    const present = new Set<string>();
    for (const sub of subs) {
      const subSn = typeof sub.sn === 'string' ? sub.sn : null;
      if (!subSn) continue;
      present.add(subSn);
      this.announced.add(subSn);
      const subKey = productKey(sub);
      const subPatch: Partial<DeviceInfo> = { kind: (subKey && DOMAIN_KIND[subKey.split('-')[0]!]) || 'unknown' };
      if (subKey) {
        subPatch.model = DJI_MODELS[subKey] ?? subKey;
        subPatch.product = subKey;
      }
      this.touch(subSn, gateway, subPatch, at);
    }
    // A sub-device missing from the latest topology has left the dock (powered off or unlinked).
    for (const d of this.devices.values()) {
      if (d.gateway === gateway && d.sn !== gateway && d.online && !present.has(d.sn)) this.put({ ...d, online: false });
    }
  }
}
