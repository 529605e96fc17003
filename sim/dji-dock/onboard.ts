// A dock joining a cloud, as DJI's dock-access sequence has it: connect with the login Pilot 2 handed
// over, ask for the licence (`config`) and drop the connection when the answer is missing or not a
// licence, then ask whether it is bound and, if not, bind itself (and its aircraft) with the binding
// code the technician typed into Pilot 2. Written from DJI's documents, not from Dockside's code.
import { randomUUID } from 'node:crypto';
import { connect, type MqttClient } from 'mqtt';
import { decodeEnvelope, type Envelope } from '../../wire/dji/envelope';
import { joinTopics } from '../../wire/dji/topics';

export interface OnboardOptions {
  brokerUrl: string;
  gateway: string;
  drone?: string;
  username?: string;
  password?: string;
  clientId?: string;
  /** What the technician typed into Pilot 2 to bind the dock; without it an unbound dock stops there. */
  bindingCode?: string;
  organisationId?: string;
  callsign?: string;
  /** How long to wait for each answer before giving up, as a dock does (default 5000). */
  answerTimeoutMs?: number;
  log?: (line: string) => void;
}

export type OnboardResult = { ok: true; organisation: string } | { ok: false; reason: string };

/** A dock checks its licence with DJI's own code; here, the shape of one: a numeric app id, a key, a base64 licence. */
export function licenceProblem(data: unknown): string | null {
  const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const appId = typeof d.app_id === 'number' ? String(d.app_id) : d.app_id;
  if (typeof appId !== 'string' || !/^\d+$/.test(appId)) return 'the answer has no numeric app_id';
  if (typeof d.app_key !== 'string' || !/^[0-9A-Za-z]{16,64}$/.test(d.app_key)) return 'the answer has no app_key';
  if (typeof d.app_license !== 'string' || !/^[A-Za-z0-9+/=]{16,}$/.test(d.app_license)) return 'the answer has no app_license';
  if (typeof d.ntp_server_host !== 'string' || d.ntp_server_host === '') return 'the answer has no ntp_server_host';
  return null;
}

function ask(client: MqttClient, gateway: string, method: string, data: unknown, timeoutMs: number): Promise<Envelope | null> {
  const request: Envelope = { tid: randomUUID(), bid: randomUUID(), timestamp: Date.now(), method, data, gateway };
  return new Promise((resolve) => {
    const onMessage = (topic: string, payload: Buffer) => {
      if (topic !== joinTopics.requestsReply(gateway)) return;
      const d = decodeEnvelope(payload);
      if (!d.ok || d.envelope.tid !== request.tid || d.envelope.bid !== request.bid || d.envelope.method !== method) return;
      done(d.envelope);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    const done = (answer: Envelope | null) => {
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(answer);
    };
    client.on('message', onMessage);
    client.publish(joinTopics.requests(gateway), JSON.stringify(request), { qos: 1 });
  });
}

const output = (answer: Envelope | null) => (answer?.data ?? {}) as { result?: number; output?: Record<string, unknown> };

export async function onboardDock(opts: OnboardOptions): Promise<OnboardResult> {
  const log = (line: string) => opts.log?.(`dock ${opts.gateway}: ${line}`);
  const timeout = opts.answerTimeoutMs ?? 5000;
  let client: MqttClient;
  try {
    client = await connectOnce(opts);
  } catch (e) {
    return { ok: false, reason: `could not connect to ${opts.brokerUrl}: ${(e as Error).message}` };
  }
  const stop = (reason: string): OnboardResult => {
    log(`${reason}; disconnecting`);
    client.end(true);
    return { ok: false, reason };
  };
  try {
    await client.subscribeAsync(joinTopics.requestsReply(opts.gateway), { qos: 1 });
    log('connected; asking the cloud for the licence (config)');
    const config = await ask(client, opts.gateway, 'config', { config_type: 'json', config_scope: 'product' }, timeout);
    if (!config) return stop('no answer to config: the licence is missing');
    const wrong = licenceProblem(config.data);
    if (wrong) return stop(`the licence answer is wrong (${wrong})`);
    log('licence received');
    const devices = [opts.gateway, ...(opts.drone ? [opts.drone] : [])];
    const status = output(await ask(client, opts.gateway, 'airport_bind_status', { devices: devices.map((sn) => ({ sn })) }, timeout));
    const bindStatus = (status.output?.bind_status ?? []) as { sn: string; is_device_bind_organization: boolean; organization_name: string }[];
    const mine = bindStatus.find((b) => b.sn === opts.gateway);
    if (status.result === 0 && mine?.is_device_bind_organization) {
      log(`already bound to "${mine.organization_name}"`);
      await client.endAsync();
      return { ok: true, organisation: mine.organization_name };
    }
    if (!opts.bindingCode) return stop('not bound to an organisation and no binding code was given');
    const org = output(await ask(client, opts.gateway, 'airport_organization_get', { device_binding_code: opts.bindingCode, organization_id: opts.organisationId ?? '' }, timeout));
    if (org.result !== 0 || typeof org.output?.organization_name !== 'string') return stop(`the cloud knows no organisation for binding code ${opts.bindingCode} (result ${org.result ?? 'none'})`);
    const name = org.output.organization_name;
    const bind = output(
      await ask(
        client,
        opts.gateway,
        'airport_organization_bind',
        {
          bind_devices: devices.map((sn, i) => ({
            device_binding_code: opts.bindingCode,
            organization_id: opts.organisationId ?? '',
            device_callsign: i === 0 ? (opts.callsign ?? sn) : sn,
            sn,
            device_model_key: i === 0 ? '3-2-0' : '0-91-0',
          })),
        },
        timeout,
      ),
    );
    const errors = ((bind.output?.err_infos ?? []) as { sn: string; err_code: number }[]).filter((e) => e.err_code !== 0);
    if (bind.result !== 0 || errors.length > 0) return stop(`binding to "${name}" was refused (${errors.map((e) => `${e.sn}: ${e.err_code}`).join(', ') || `result ${bind.result}`})`);
    log(`bound to "${name}"`);
    await client.endAsync();
    return { ok: true, organisation: name };
  } catch (e) {
    return stop((e as Error).message);
  }
}

function connectOnce(opts: OnboardOptions): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = connect(opts.brokerUrl, {
      clientId: opts.clientId ?? `dock-${opts.gateway}`,
      ...(opts.username !== undefined ? { username: opts.username } : {}),
      ...(opts.password !== undefined ? { password: opts.password } : {}),
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    client.once('connect', () => resolve(client));
    client.once('error', (e) => {
      client.end(true);
      reject(e);
    });
  });
}
