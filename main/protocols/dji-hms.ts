// DJI health alerts: the `hms` event a gateway sends on thing/product/{gateway_sn}/events, whose
// `data.list` holds the alerts in force (DJI Cloud API, "HMS management": level, module, in_the_sky,
// code, device_type, imminent, args). Pure and total: bytes in, alerts or a typed error out.

export const HMS_LEVEL_WORDS: Readonly<Record<number, string>> = { 0: 'notice', 1: 'caution', 2: 'warning' };
export const HMS_MODULE_WORDS: Readonly<Record<number, string>> = { 0: 'flight task', 1: 'device management', 2: 'media', 3: 'hms' };

export interface HmsEntry {
  code: string;
  level: number;
  module: number | null;
  /** "domain-type-sub_type" of the device the alert is about. */
  deviceType: string;
  inTheSky: boolean;
  /** The alert clears itself when its cause goes away (strong wind, say). */
  imminent: boolean;
}

export type HmsRead = { ok: true; alerts: HmsEntry[] } | { ok: false; reason: string };

/** Alerts one message may carry; the documents give 20 as the list size. */
export const HMS_MAX_ALERTS = 64;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function int(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isInteger(n) ? n : null;
}

export function readHms(data: unknown): HmsRead {
  if (!isRecord(data)) return { ok: false, reason: 'data is not an object' };
  if (!Array.isArray(data.list)) return { ok: false, reason: 'data.list is not an array' };
  if (data.list.length > HMS_MAX_ALERTS) return { ok: false, reason: `data.list has ${data.list.length} alerts (at most ${HMS_MAX_ALERTS})` };
  const alerts: HmsEntry[] = [];
  for (const [i, item] of data.list.entries()) {
    if (!isRecord(item)) return { ok: false, reason: `list[${i}] is not an object` };
    const code = typeof item.code === 'string' ? item.code.trim() : typeof item.code === 'number' ? String(item.code) : '';
    if (code === '' || code.length > 64) return { ok: false, reason: `list[${i}].code is missing or not a short text` };
    const level = int(item.level);
    if (level === null) return { ok: false, reason: `list[${i}].level is not an integer` };
    alerts.push({
      code,
      level,
      module: int(item.module),
      deviceType: typeof item.device_type === 'string' ? item.device_type.slice(0, 32) : '',
      inTheSky: int(item.in_the_sky) === 1,
      imminent: int(item.imminent) === 1,
    });
  }
  return { ok: true, alerts };
}

/** "warning 0x16100083 (module hms, device 0-91-0)". */
export function hmsWords(a: HmsEntry, model?: string): string {
  const level = HMS_LEVEL_WORDS[a.level] ?? `level ${a.level}`;
  const details = [a.module !== null ? `module ${HMS_MODULE_WORDS[a.module] ?? a.module}` : '', a.deviceType ? `device ${model ?? a.deviceType}` : '', a.inTheSky ? 'in the air' : '']
    .filter(Boolean)
    .join(', ');
  return `${level} ${a.code}${details ? ` (${details})` : ''}`;
}
