// Test-only: the smallest "cloud" that drives a dock over MQTT — publishes ota_create, answers status_reply
// and events_reply, and keeps everything the dock sent so a test can assert the exact sequence.
import { connect, type MqttClient } from 'mqtt';
import { decodeEnvelope, encodeEnvelope, newEnvelope, type Envelope } from '../../../wire/dji/envelope';
import { parseTopic, topics, UPLINK_FILTERS } from '../../../wire/dji/topics';

export interface Uplink {
  topic: string;
  kind: string;
  sn: string;
  /** The parsed JSON as sent (keeps quirks such as "timestamp:" and string percents). */
  json: Record<string, unknown>;
  envelope: Envelope | null;
}

export interface ProgressOutput {
  status: string;
  sub_status: string;
  progress: Record<string, unknown>;
  ext?: { rate: number };
}

export interface CloudClient {
  client: MqttClient;
  uplinks: Uplink[];
  sendOtaCreate(gateway: string, devices: object[], tid?: string): Promise<string>;
  sendService(gateway: string, method: string, data: unknown): Promise<string>;
  waitFor(predicate: (u: Uplink) => boolean, what: string, timeoutMs?: number): Promise<Uplink>;
  servicesReplies(tid: string): Uplink[];
  progress(tid: string): Uplink[];
  close(): Promise<void>;
}

export interface CloudOptions {
  replyEvents?: boolean;
  replyStatus?: boolean;
  clientId?: string;
  reconnectPeriodMs?: number;
}

export async function startCloudClient(brokerUrl: string, options: CloudOptions = {}): Promise<CloudClient> {
  const client = connect(brokerUrl, {
    clientId: options.clientId ?? `cloud-${Math.random().toString(16).slice(2)}`,
    clean: false,
    reconnectPeriod: options.reconnectPeriodMs ?? 200,
  });
  const uplinks: Uplink[] = [];
  const waiters = new Set<() => void>();
  client.on('message', (topic, payload) => {
    const where = parseTopic(topic);
    if (!where) return;
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
    } catch {
      return;
    }
    const decoded = decodeEnvelope(payload);
    const envelope = decoded.ok ? decoded.envelope : null;
    uplinks.push({ topic, kind: where.kind, sn: where.sn, json, envelope });
    if (envelope && where.kind === 'status' && envelope.method === 'update_topo' && options.replyStatus !== false) {
      client.publish(topics.statusReply(where.sn), encodeEnvelope(newEnvelope('update_topo', { result: 0 }, { tid: envelope.tid, bid: envelope.bid })), { qos: 1 });
    }
    if (envelope && where.kind === 'events' && Number(json.need_reply) === 1 && options.replyEvents !== false) {
      client.publish(topics.eventsReply(where.sn), encodeEnvelope(newEnvelope(envelope.method, { result: 0 }, { tid: envelope.tid, bid: envelope.bid })), { qos: 1 });
    }
    for (const w of waiters) w();
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync([...UPLINK_FILTERS], { qos: 1 });

  const sendService = async (gateway: string, method: string, data: unknown, tid?: string) => {
    const env = newEnvelope(method, data, tid ? { tid, bid: tid } : undefined);
    await client.publishAsync(topics.services(gateway), encodeEnvelope(env), { qos: 1 });
    return env.tid;
  };
  return {
    client,
    uplinks,
    sendOtaCreate: (gateway, devices, tid) => sendService(gateway, 'ota_create', { devices }, tid),
    sendService: (gateway, method, data) => sendService(gateway, method, data),
    waitFor(predicate, what, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = uplinks.find(predicate);
          if (!hit) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}; got ${uplinks.length} uplinks`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    servicesReplies: (tid) => uplinks.filter((u) => u.kind === 'services_reply' && u.envelope?.tid === tid),
    progress: (tid) => uplinks.filter((u) => u.kind === 'events' && u.envelope?.method === 'ota_progress' && u.envelope.tid === tid),
    close: () => client.endAsync(true),
  };
}

export function outputOf(u: Uplink): ProgressOutput {
  return (u.json.data as { output: ProgressOutput }).output;
}

/** status/sub_status of each event, with repeats of the same pair collapsed. */
export function statusSequence(events: Uplink[]): string[] {
  const seq: string[] = [];
  for (const e of events) {
    const o = outputOf(e);
    const s = `${o.status}/${o.sub_status}`;
    if (seq.at(-1) !== s) seq.push(s);
  }
  return seq;
}

/** percent as a number whatever the variant sent (numbers or numeric strings). */
export function percentOf(u: Uplink): number {
  return Number(outputOf(u).progress.percent);
}
