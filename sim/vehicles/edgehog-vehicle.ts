// Edgehog devices streaming io.edgehog.devicemanager.OTAEvent over Astarte MQTT v1: BSON `{v: {...}, t}`
// on `<realm>/<device_id>/io.edgehog.devicemanager.OTAEvent/event`, or POSTed as BSON to /ingest/edgehog.
// The fail scenario is the runtime's own pattern: a recoverable Error during download, then Failure.
import { serialize } from 'bson';
import { EDGEHOG_OTA_INTERFACE } from '../../wire/vehicles';
import { astarteDeviceId, randomUUID } from './vehicle-ids';
import type { FleetOptions, ProtocolScript, VehiclePlan, Via } from './vehicle-script';

interface OtaEvent {
  status: string;
  statusProgress: number;
  statusCode?: string;
  message?: string;
}

const progress = (status: string, ...values: number[]): OtaEvent[] => values.map((statusProgress) => ({ status, statusProgress }));

function steps(opts: FleetOptions): OtaEvent[] {
  const start = [...progress('Acknowledged', 0), ...progress('Downloading', 0, 25, 50)];
  if (opts.scenario === 'fail') {
    return [
      ...start,
      { status: 'Error', statusProgress: 50, statusCode: 'NetworkError', message: 'connection reset while downloading the image' },
      { status: 'Failure', statusProgress: 100, statusCode: 'NetworkError', message: 'download failed after 3 retries' },
    ];
  }
  return [...start, ...progress('Downloading', 75, 100), ...progress('Deploying', 0, 50, 100), ...progress('Deployed', 100), ...progress('Rebooting', 0), ...progress('Success', 100)];
}

function vehicle(opts: FleetOptions): VehiclePlan {
  const deviceId = astarteDeviceId();
  const requestUUID = randomUUID();
  return {
    name: deviceId,
    messages: steps(opts).map((e) => (now: Date, via: Via) => {
      const payload = serialize({ v: { requestUUID, statusCode: '', message: '', ...e }, t: now });
      return via === 'mqtt'
        ? { via, topic: `${opts.realm}/${deviceId}/${EDGEHOG_OTA_INTERFACE}/event`, payload }
        : { via, path: `/ingest/edgehog?device=${encodeURIComponent(deviceId)}`, headers: { 'content-type': 'application/bson' }, body: payload };
    }),
  };
}

export const edgehogScript: ProtocolScript = {
  protocol: 'edgehog',
  transports: ['mqtt', 'http'],
  fleet: (opts) => Array.from({ length: opts.vehicles }, () => vehicle(opts)),
};
