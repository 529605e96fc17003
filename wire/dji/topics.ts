// Every DJI Cloud API topic, in one place: the core and the dock simulator both speak through it.
export const topics = {
  services: (gateway: string) => `thing/product/${gateway}/services`,
  servicesReply: (gateway: string) => `thing/product/${gateway}/services_reply`,
  events: (gateway: string) => `thing/product/${gateway}/events`,
  eventsReply: (gateway: string) => `thing/product/${gateway}/events_reply`,
  status: (gateway: string) => `sys/product/${gateway}/status`,
  statusReply: (gateway: string) => `sys/product/${gateway}/status_reply`,
  osd: (sn: string) => `thing/product/${sn}/osd`,
  state: (sn: string) => `thing/product/${sn}/state`,
} as const;

/**
 * What a dock asks its cloud while it joins (config, organisation binding), and the cloud's answer. Kept
 * apart from `topics`: only Dockside's own broker answers them, so the gateway client does not parse them.
 */
export const joinTopics = {
  requests: (gateway: string) => `thing/product/${gateway}/requests`,
  requestsReply: (gateway: string) => `thing/product/${gateway}/requests_reply`,
} as const;

/** What the app subscribes to on a gateway's broker. */
export const UPLINK_FILTERS = ['sys/product/+/status', 'thing/product/+/services_reply', 'thing/product/+/events', 'thing/product/+/osd', 'thing/product/+/state'] as const;

export type UplinkKind = 'status' | 'services_reply' | 'events' | 'osd' | 'state';
export type DownlinkKind = 'services' | 'events_reply' | 'status_reply';

const TOPIC_RE = /^(sys|thing)\/product\/([^/]+)\/([a-z_]+)$/;

/** Splits an uplink topic into the serial number and the kind, or null when it is not one of ours. */
export function parseTopic(topic: string): { sn: string; kind: UplinkKind | DownlinkKind } | null {
  const m = TOPIC_RE.exec(topic);
  if (!m) return null;
  const [, root, sn, leaf] = m as unknown as [string, string, string, string];
  const kind = leaf as UplinkKind | DownlinkKind;
  if (root === 'sys' && (kind === 'status' || kind === 'status_reply')) return { sn, kind };
  if (root === 'thing' && ['services', 'services_reply', 'events', 'events_reply', 'osd', 'state'].includes(kind)) {
    return { sn, kind };
  }
  return null;
}
