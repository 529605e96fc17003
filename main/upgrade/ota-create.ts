// Builds the data of an ota_create service call exactly as spec 004 lists it.
import { UPGRADE_TYPES, type UpgradeType } from '../../preload/api';

export interface OtaDevice {
  sn: string;
  productVersion: string;
  fileUrl: string;
  md5: string;
  fileSize: number;
  fileName: string;
  type: UpgradeType;
}

export interface OtaCreateData {
  devices: {
    sn: string;
    product_version: string;
    file_url: string;
    md5: string;
    file_size: number;
    file_name: string;
    firmware_upgrade_type: 2 | 3;
  }[];
}

/** DJI accepts at most two devices per call: a dock and its aircraft. */
export const MAX_DEVICES_PER_CALL = 2;

export class OtaCreateError extends Error {
  override name = 'OtaCreateError';
}

export function buildOtaCreate(devices: OtaDevice[]): OtaCreateData {
  if (devices.length === 0) throw new OtaCreateError('ota_create needs at least one device');
  if (devices.length > MAX_DEVICES_PER_CALL) throw new OtaCreateError(`ota_create takes at most ${MAX_DEVICES_PER_CALL} devices (a dock and its aircraft), got ${devices.length}`);
  if (new Set(devices.map((d) => d.sn)).size !== devices.length) throw new OtaCreateError('the same device is listed twice');
  return {
    devices: devices.map((d) => {
      const md5 = d.md5.toLowerCase();
      if (!/^[0-9a-f]{32}$/.test(md5)) throw new OtaCreateError(`md5 of ${d.fileName} is not 32 hex digits: "${d.md5}"`);
      if (!Number.isSafeInteger(d.fileSize) || d.fileSize <= 0) throw new OtaCreateError(`file size of ${d.fileName} must be a positive integer, got ${d.fileSize}`);
      if (!d.sn.trim()) throw new OtaCreateError('a device serial number is empty');
      if (!d.productVersion.trim()) throw new OtaCreateError(`no firmware version for ${d.fileName}`);
      return {
        sn: d.sn,
        product_version: d.productVersion,
        file_url: d.fileUrl,
        md5,
        file_size: d.fileSize,
        file_name: d.fileName,
        firmware_upgrade_type: UPGRADE_TYPES[d.type],
      };
    }),
  };
}
