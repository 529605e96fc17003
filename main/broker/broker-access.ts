// The built-in broker's door: who logs in as what (Dockside itself, a dock, a vehicle client) and the
// topic rules each role is held to, as aedes hooks. A refused publish or subscription is reported once
// per client and reason, so a misbehaving client is visible without flooding the log.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Client, AedesOptions } from 'aedes';
import { isLoopback } from '../firmware/lan-address';
import { DockClaims, subDevicesOf } from './dock-claims';
import { djiTopic, dockMayPublish, dockMaySubscribe, ingestMayPublish, type BrokerRole, type Verdict } from './topic-rules';

export interface BrokerLogin {
  username: string;
  password: string;
}

export interface AccessRules {
  /** Read at every CONNECT, so a changed login holds from the next connection on. */
  logins: () => Partial<Record<BrokerRole, BrokerLogin>>;
  /** Topic filters vehicle clients publish on (Edgehog, CarOTA). */
  ingestFilters: () => readonly string[];
  /** A client without a login connecting from this machine acts as the cloud (`dockside broker` on loopback). */
  anonymousFromLoopback?: boolean;
  /** One line per refused client, topic and reason. */
  onRefused?: (line: string) => void;
}

/** aedes error codes for a refused CONNECT (MQTT 3.1.1 CONNACK return codes). */
const BAD_LOGIN = 4;
const NOT_AUTHORISED = 5;
const MAX_REPORTED = 256;

function digest(value: string | Uint8Array): Buffer {
  return createHash('sha256').update(value).digest();
}

function sameSecret(given: Uint8Array | undefined, expected: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

function refusal(message: string, returnCode: number): Error & { returnCode: number } {
  return Object.assign(new Error(message), { returnCode });
}

export interface BrokerAccess extends Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'> {
  roleOf: (client: Client) => BrokerRole | undefined;
  /** After a publish went through: a dock's own update_topo names the sub-devices it may speak for. */
  published: (topic: string, payload: Uint8Array, client: Client | null) => void;
  disconnected: (client: Client) => void;
  connectedDocks: () => string[];
}

export function createBrokerAccess(rules: AccessRules, remoteOf: (client: Client) => string | undefined): BrokerAccess {
  const roles = new WeakMap<Client, BrokerRole>();
  const claims = new DockClaims<Client>();
  const reported = new Set<string>();
  const report = (client: Client, what: string, reason: string) => {
    const key = `${client.id}|${what}|${reason}`;
    if (reported.has(key)) return;
    if (reported.size >= MAX_REPORTED) reported.delete(reported.values().next().value!);
    reported.add(key);
    rules.onRefused?.(`built-in broker refused ${what} from client "${client.id}" (${remoteOf(client) ?? 'unknown address'}): ${reason}`);
  };
  const apply = (client: Client, verdict: Verdict): Verdict => {
    if (verdict.ok && verdict.claim !== undefined) claims.bind(client, verdict.claim);
    return verdict;
  };
  const decide = (client: Client, action: 'publish' | 'subscribe', topic: string): Verdict => {
    const role = roles.get(client);
    const held = (sn: string) => claims.heldByOther(client, sn);
    if (role === 'cloud') return { ok: true };
    if (role === 'dock') return apply(client, action === 'publish' ? dockMayPublish(topic, claims.of(client), held) : dockMaySubscribe(topic, claims.of(client), held));
    if (role === 'ingest' && action === 'publish') return ingestMayPublish(topic, rules.ingestFilters());
    if (role === 'ingest') return { ok: false, reason: 'a vehicle client only publishes' };
    return { ok: false, reason: 'not logged in' };
  };

  return {
    authenticate(client, username, password, done) {
      const logins = rules.logins();
      if (username === undefined && password === undefined && rules.anonymousFromLoopback && isLoopback(remoteOf(client) ?? '')) {
        roles.set(client, 'cloud');
        return done(null, true);
      }
      for (const role of ['cloud', 'dock', 'ingest'] as const) {
        const login = logins[role];
        if (login && username === login.username && sameSecret(password, login.password)) {
          roles.set(client, role);
          return done(null, true);
        }
      }
      report(client, 'a login', username === undefined ? 'no username and password' : `user "${username}" with a wrong or unknown password`);
      done(refusal(username === undefined ? 'not authorised' : 'bad username or password', username === undefined ? NOT_AUTHORISED : BAD_LOGIN), false);
    },
    authorizePublish(client, packet, done) {
      // The broker's own messages ($SYS, wills it sends on a client's behalf) come without a client.
      if (!client) return done(null);
      const verdict = decide(client, 'publish', packet.topic);
      if (verdict.ok) return done(null);
      report(client, `a publish on ${packet.topic}`, verdict.reason);
      done(new Error(verdict.reason));
    },
    authorizeSubscribe(client, subscription, done) {
      const verdict = decide(client, 'subscribe', subscription.topic);
      if (verdict.ok) return done(null, subscription);
      report(client, `a subscription to ${subscription.topic}`, verdict.reason);
      // A null subscription is refused in the SUBACK (0x80); the client stays connected.
      done(null, null);
    },
    roleOf: (client) => roles.get(client),
    published(topic, payload, client) {
      if (!client || roles.get(client) !== 'dock') return;
      const t = djiTopic(topic);
      if (t?.leaf !== 'status' || t.sn !== claims.of(client).gateway) return;
      const subs = subDevicesOf(payload);
      if (subs) claims.setDevices(client, subs);
    },
    disconnected: (client) => claims.release(client),
    connectedDocks: () => claims.gateways(),
  };
}
