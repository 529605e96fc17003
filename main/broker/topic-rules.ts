// Who may publish and subscribe where on the built-in broker. Pure decisions over a topic, the client's
// role and what its connection has claimed; broker-access.ts applies them to aedes.
import { topicMatches } from '../ingest/topic-filter';

/** cloud: Dockside's own client; dock: the dock login; ingest: vehicle clients with the ingest login. */
export type BrokerRole = 'cloud' | 'dock' | 'ingest';

/** What one dock connection holds: its gateway SN (bound by its first DJI topic) and its sub-devices. */
export interface DockClaim {
  gateway?: string;
  devices: ReadonlySet<string>;
}

export type Verdict = { ok: true; claim?: string } | { ok: false; reason: string };

/** Downlinks: only the cloud sends on them. A dock that publishes here is forging the cloud. */
export const CLOUD_ONLY_LEAVES: readonly string[] = ['services', 'events_reply', 'status_reply', 'requests_reply', 'property/set', 'drc/down'];

const DJI_TOPIC = /^(sys|thing)\/product\/([^/]+)\/([a-z_]+(?:\/[a-z_]+)?)$/;

/** `thing/product/{sn}/{leaf}` or `sys/product/{sn}/status…`, with a concrete SN and no wildcard. */
export function djiTopic(topic: string): { sn: string; leaf: string } | null {
  const m = DJI_TOPIC.exec(topic);
  if (!m) return null;
  const [, root, sn, leaf] = m as unknown as [string, string, string, string];
  if (/[+#]/.test(sn)) return null;
  if (root === 'sys' && leaf !== 'status' && leaf !== 'status_reply') return null;
  return { sn, leaf };
}

/**
 * A dock touches only its own SN and its sub-devices'. The first DJI topic of a connection binds it to
 * that SN (a dock's first word is about itself: update_topo, or the `config` request when it joins),
 * unless another connected client holds that SN.
 */
function underOwnSerial(topic: string, claim: DockClaim, heldByOther: (sn: string) => boolean): Verdict {
  const t = djiTopic(topic);
  if (!t) return { ok: false, reason: `${topic} is not a DJI device topic` };
  if (claim.gateway === t.sn || claim.devices.has(t.sn)) return { ok: true };
  if (claim.gateway !== undefined) return { ok: false, reason: `this connection is dock ${claim.gateway}, not ${t.sn}` };
  if (heldByOther(t.sn)) return { ok: false, reason: `${t.sn} is already connected as another client` };
  return { ok: true, claim: t.sn };
}

export function dockMayPublish(topic: string, claim: DockClaim, heldByOther: (sn: string) => boolean): Verdict {
  const t = djiTopic(topic);
  if (t && CLOUD_ONLY_LEAVES.includes(t.leaf)) return { ok: false, reason: `only Dockside publishes on ${t.leaf}` };
  return underOwnSerial(topic, claim, heldByOther);
}

export function dockMaySubscribe(filter: string, claim: DockClaim, heldByOther: (sn: string) => boolean): Verdict {
  if (/[+#]/.test(filter)) return { ok: false, reason: `a dock subscribes to its own topics, not to ${filter}` };
  return underOwnSerial(filter, claim, heldByOther);
}

/** Vehicle clients publish their reports on the ingest topics and nothing else; they subscribe to nothing. */
export function ingestMayPublish(topic: string, filters: readonly string[]): Verdict {
  return filters.some((f) => topicMatches(f, topic)) ? { ok: true } : { ok: false, reason: `${topic} is not a vehicle ingest topic (${filters.join(', ')})` };
}
