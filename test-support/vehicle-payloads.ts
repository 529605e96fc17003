// Payloads of the four vehicle protocols for the ingest tests, built from the spec field lists with
// values of our own.
import { serialize } from 'bson';

export const VIN = 'DKSVS4E20SD104711';
export const AKTUALIZR_DEVICE = 'vehicle-dks-0042';
export const CORRELATION = 'urn:here-ota:campaign:4b6f1c2e-9d7a-4f1e-8c3b-2a5d6e7f8091';
export const EDGEHOG_DEVICE = 'q2vKc1ZkT0iLm3aXy8Rt0w';
export const EDGEHOG_REQUEST = '0d7c3f4e-1a2b-4c5d-8e9f-a0b1c2d3e4f5';
export const CAROTA_TRIGGER = 'msg-cld-7c1f0d2e';

export function aktualizrEvent(i: number, type = 'EcuDownloadStarted', extra: Record<string, unknown> = {}) {
  return {
    deviceTime: '2025-03-04T09:15:00Z',
    event: { correlationId: CORRELATION, ecu: `ecu-${i % 3}`, ...extra },
    eventType: { id: type, version: 0 },
    id: `aktualizr-event-${i}`,
  };
}

export function aktualizrReport(n: number) {
  return Array.from({ length: n }, (_, i) => aktualizrEvent(i));
}

export function carotaEnvelope(status = 3, meta: { key: string; value: string }[] = [{ key: 'download', value: '40%' }]) {
  const body = { vin: VIN, device_id: 'tcu-5e6f', device_type: 'TCU', status, meta, timestamp: 1741079700000, 'ref-id': 'schedule 31' };
  return {
    message_id: `msg-dev-${status}`,
    correlation_id: CAROTA_TRIGGER,
    version: 'v1',
    system_id: 'c2c-sys-dks',
    sub_system_id: 'c2c-sub-ota',
    vin: VIN,
    device_id: 'tcu-5e6f',
    ecu_type: 'TCU',
    source_id: 'c2c-edge',
    target_id: 'c2c-otaadapter',
    message_type: 'OTA_EVENT',
    time: 1741079700,
    ttl: -1,
    status: 'SUBMIT',
    property_bag: { body_encoding_type: 1 },
    body: Buffer.from(JSON.stringify(body)).toString('base64'),
  };
}

export function edgehogValue(status = 'Downloading', statusProgress = 50) {
  return { requestUUID: EDGEHOG_REQUEST, status, statusProgress, statusCode: '', message: '' };
}

export function edgehogBson(status = 'Downloading', statusProgress = 50): Uint8Array {
  return serialize({ v: edgehogValue(status, statusProgress), t: new Date('2025-03-04T09:16:00Z') });
}

export function oemNotification(eventsType = 'download', status = 'inProgress') {
  return {
    signed: {
      vin: VIN,
      primaryId: '0',
      events: [
        {
          eventsUuid: 'b1c2d3e4f5a60718293a4b5c6d7e8f90',
          eventsType,
          eventMode: 'active',
          currentTime: { time: 1741079760, clockSource: 'default' },
          status,
          attemptId: '31337',
          reportId: '4',
          downloadExtras: { downloadSize: 1000, transportType: 'wifi', bytesDownloaded: 250 },
        },
      ],
    },
  };
}
