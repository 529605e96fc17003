// Reads an ota_create `data` the way a dock would: a typed list of devices, or the result code to refuse with.
import { DOCK_ERRORS } from './dock-errors';

export interface OtaDevice {
  sn: string;
  productVersion: string;
  fileUrl: string;
  md5: string;
  /** Bytes, when the request says (it should). */
  fileSize?: number;
  fileName?: string;
  upgradeType?: number;
}

export type OtaRequest = { ok: true; devices: OtaDevice[] } | { ok: false; result: number; reason: string };

/** 2 consistency, 3 regular, 4 PSDK payload (Dock 3). */
const UPGRADE_TYPES = new Set([2, 3, 4]);

function refuse(result: number, reason: string): OtaRequest {
  return { ok: false, result, reason };
}

function text(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A dock only upgrades itself and the aircraft it carries (`drone`, when it has one). */
export function readOtaCreate(data: unknown, dock: string, drone: string | undefined): OtaRequest {
  if (typeof data !== 'object' || data === null) return refuse(DOCK_ERRORS.invalidParameters, 'data is not an object');
  const devices = (data as Record<string, unknown>).devices;
  if (!Array.isArray(devices) || devices.length === 0) return refuse(DOCK_ERRORS.invalidParameters, 'data.devices is empty or missing');
  if (devices.length > 2) return refuse(DOCK_ERRORS.invalidParameters, `data.devices has ${devices.length} entries (at most 2)`);
  const out: OtaDevice[] = [];
  for (const [i, raw] of devices.entries()) {
    if (typeof raw !== 'object' || raw === null) return refuse(DOCK_ERRORS.invalidParameters, `devices[${i}] is not an object`);
    const d = raw as Record<string, unknown>;
    const sn = text(d, 'sn');
    const productVersion = text(d, 'product_version');
    const fileUrl = text(d, 'file_url');
    const md5 = text(d, 'md5');
    if (!sn || !productVersion || !fileUrl || !md5) {
      return refuse(DOCK_ERRORS.invalidParameters, `devices[${i}] lacks sn, product_version, file_url or md5`);
    }
    if (!/^[0-9a-f]{32}$/i.test(md5)) return refuse(DOCK_ERRORS.invalidParameters, `devices[${i}].md5 is not 32 hex digits`);
    if (!/^https?:\/\//i.test(fileUrl)) return refuse(DOCK_ERRORS.invalidParameters, `devices[${i}].file_url is not an http(s) URL`);
    const type = d.firmware_upgrade_type;
    if (type !== undefined && !UPGRADE_TYPES.has(Number(type))) {
      return refuse(DOCK_ERRORS.invalidParameters, `devices[${i}].firmware_upgrade_type ${String(type)} is not 2, 3 or 4`);
    }
    if (sn !== dock && sn !== drone) {
      return drone === undefined
        ? refuse(DOCK_ERRORS.noAircraft, `${sn} is not this dock and there is no aircraft in the dock`)
        : refuse(DOCK_ERRORS.invalidParameters, `${sn} is neither this dock nor its aircraft`);
    }
    if (out.some((o) => o.sn === sn)) return refuse(DOCK_ERRORS.invalidParameters, `${sn} is listed twice`);
    const size = Number(d.file_size);
    out.push({
      sn,
      productVersion,
      fileUrl,
      md5: md5.toLowerCase(),
      ...(Number.isFinite(size) && size > 0 ? { fileSize: size } : {}),
      ...(text(d, 'file_name') ? { fileName: text(d, 'file_name') } : {}),
      ...(type !== undefined ? { upgradeType: Number(type) } : {}),
    });
  }
  return { ok: true, devices: out };
}
