// Test-only: the smallest "cloud" that drives a dock over MQTT — publishes ota_create, answers status_reply
// and events_reply, and keeps everything the dock sent so a test can assert the exact sequence.
import { connect, type MqttClient } from 'mqtt';
import { decodeEnvelope, encodeEnvelope, newEnvelope, type Envelope } from '../wire/dji/envelope';
import { parseTopic, topics, UPLINK_FILTERS } from '../wire/dji/topics';

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
  sub_status?: string;
  progress: Record<string, unknown>;
  ext?: { rate: number };
}

/** One ota_create as the cloud sent it: its tid names the exchange, its bid the task. */
export interface Task {
  tid: string;
  bid: string;
}

export interface CloudClient {
  client: MqttClient;
  uplinks: Uplink[];
  /** Fresh tid and bid unless given (the same ids again: a redelivered request). */
  sendOtaCreate: (gateway: string, devices: object[], ids?: Task) => Promise<Task>;
  sendService: (gateway: string, method: string, data: unknown) => Promise<Task>;
  waitFor: (predicate: (u: Uplink) => boolean, what: string, timeoutMs?: number) => Promise<Uplink>;
  /** services_reply to the request, by its tid. */
  servicesReplies: (task: Task) => Uplink[];
  /** ota_progress of the task, by its bid (each event may carry a tid of its own). */
  progress: (task: Task) => Uplink[];
  /** hms reports, in order. */
  hms: () => Uplink[];
  close: () => Promise<void>;
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

  const sendService = async (gateway: string, method: string, data: unknown, ids?: Task): Promise<Task> => {
    const env = newEnvelope(method, data, ids);
    await client.publishAsync(topics.services(gateway), encodeEnvelope(env), { qos: 1 });
    return { tid: env.tid, bid: env.bid };
  };
  return {
    client,
    uplinks,
    sendOtaCreate: (gateway, devices, ids) => sendService(gateway, 'ota_create', { devices }, ids),
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
    servicesReplies: (task) => uplinks.filter((u) => u.kind === 'services_reply' && u.envelope?.tid === task.tid),
    progress: (task) => uplinks.filter((u) => u.kind === 'events' && u.envelope?.method === 'ota_progress' && u.envelope.bid === task.bid),
    hms: () => uplinks.filter((u) => u.kind === 'events' && u.envelope?.method === 'hms'),
    close: () => client.endAsync(true),
  };
}

/** The task's final ota_progress (anything but in_progress). */
export const isEnd = (task: Task) => (u: Uplink) => u.kind === 'events' && u.envelope?.method === 'ota_progress' && u.envelope.bid === task.bid && outputOf(u).status !== 'in_progress';

/** The services_reply to the request. */
export const replyTo = (task: Task) => (u: Uplink) => u.kind === 'services_reply' && u.envelope?.tid === task.tid;

/** The `result` of a services_reply. */
export const resultOf = (u: Uplink) => (u.json.data as { result: number }).result;

export function outputOf(u: Uplink): ProgressOutput {
  return (u.json.data as { output: ProgressOutput }).output;
}

/** status/sub_status of each event, with repeats of the same pair collapsed. */
export function statusSequence(events: Uplink[]): string[] {
  const seq: string[] = [];
  for (const e of events) {
    const o = outputOf(e);
    const s = `${o.status}/${o.sub_status ?? '-'}`;
    if (seq.at(-1) !== s) seq.push(s);
  }
  return seq;
}

/** percent as a number whatever the variant sent (numbers or numeric strings). */
export function percentOf(u: Uplink): number {
  return Number(outputOf(u).progress.percent);
}
