// CarOTA vehicle edges answering an OTA_TRIGGER: OTA_TRIGGER_ACK, then OTA_EVENT envelopes whose base64
// body carries the OTA Event enum (spec 001). Over MQTT on the CarOTA topic, or POSTed to /ingest/carota.
// The fail scenario ends in download_fail or md5_check_fail, then failure, each with a reason in meta.
import { hexId, randomUUID, simulatedFleet } from './vehicle-ids';
import { unixSeconds, type FleetOptions, type ProtocolScript, type VehiclePlan, type Via } from './vehicle-script';

const OTA = {
  received: 1,
  reboot: 5,
  success: 6,
  failure: 7,
  downloading: 3,
  downloaded: 4,
  download_fail: 8,
  md5_check_success: 9,
  md5_check_fail: 10,
  pki_check_success: 11,
  consent_accepted: 100,
} as const;

type Meta = { key: string; value: string }[];
type Step = { ack: true } | { status: number; meta?: Meta };

interface Edge {
  vin: string;
  deviceId: string;
  triggerId: string;
  refId: string;
}

function envelope(edge: Edge, step: Step, now: Date): Record<string, unknown> {
  const isAck = 'ack' in step;
  const body = isAck
    ? { acknowledge_time: now.getTime() }
    : { vin: edge.vin, device_id: edge.deviceId, device_type: 'TCU', status: step.status, meta: step.meta ?? [], timestamp: now.getTime(), 'ref-id': edge.refId };
  return {
    message_id: `msg-dev-${randomUUID()}`,
    correlation_id: edge.triggerId,
    version: 'v1',
    system_id: `c2c-sys-${edge.vin.toLowerCase()}`,
    sub_system_id: isAck ? '' : 'c2c-sub-ota',
    vin: edge.vin,
    device_id: edge.deviceId,
    ecu_type: 'TCU',
    source_id: 'c2c-edge',
    target_id: 'c2c-otaadapter',
    message_type: isAck ? 'OTA_TRIGGER_ACK' : 'OTA_EVENT',
    time: unixSeconds(now),
    ttl: -1,
    status: 'SUBMIT',
    property_bag: { body_encoding_type: 1 },
    body: Buffer.from(JSON.stringify(body)).toString('base64'),
  };
}

const download = (percent: number): Step => ({ status: OTA.downloading, meta: [{ key: 'download', value: `${percent}%` }] });
const reason = (status: number, text: string): Step => ({ status, meta: [{ key: 'reason', value: text }] });

function steps(index: number, opts: FleetOptions): Step[] {
  const start: Step[] = [{ ack: true }, { status: OTA.received }, { status: OTA.consent_accepted }, download(0), download(40)];
  if (opts.scenario === 'fail' && index % 2 === 0) {
    return [...start, reason(OTA.download_fail, 'Network Failure'), reason(OTA.failure, 'Network Failure')];
  }
  const downloaded = [...start, download(80), download(100), { status: OTA.downloaded }];
  if (opts.scenario === 'fail') {
    return [...downloaded, reason(OTA.md5_check_fail, 'MD5 mismatch on package'), reason(OTA.failure, 'MD5 mismatch on package')];
  }
  return [...downloaded, { status: OTA.md5_check_success }, { status: OTA.pki_check_success }, { status: OTA.reboot }, { status: OTA.success }];
}

function vehicle(vin: string, index: number, refId: string, opts: FleetOptions): VehiclePlan {
  const edge: Edge = { vin, deviceId: `tcu-${hexId(6)}`, triggerId: `msg-cld-${randomUUID()}`, refId };
  const topic = opts.carotaTopic.replace('+', vin);
  return {
    name: vin,
    messages: steps(index, opts).map((step) => (now: Date, via: Via) => {
      const text = JSON.stringify(envelope(edge, step, now));
      return via === 'mqtt' ? { via, topic, payload: text } : { via, path: '/ingest/carota', headers: { 'content-type': 'application/json' }, body: text };
    }),
  };
}

export const carotaScript: ProtocolScript = {
  protocol: 'carota',
  transports: ['mqtt', 'http'],
  fleet(opts) {
    const refId = `schedule ${hexId(2)}`;
    return simulatedFleet(opts.vehicles).map((vin, i) => vehicle(vin, i, refId, opts));
  },
};
