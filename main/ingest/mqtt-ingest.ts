// Vehicle events arriving over MQTT on the connected broker: Edgehog/Astarte OTAEvent (BSON) and CarOTA
// envelopes (JSON). The message is handed to the sink inside mqtt.js's `handleMessage`, which runs before
// the client sends PUBACK, so a QoS 1 message is acknowledged only once its events are durable.
import type { MqttClient } from 'mqtt';
import { deliver, refuse } from './deliver';
import { DEFAULT_CAROTA_TOPIC, EDGEHOG_OTA_INTERFACE, type VehicleProtocol } from '../../wire/vehicles';
import type { IngestSink } from './ingest-sink';
import { topicMatches } from './topic-filter';

/** Astarte MQTT v1: `<realm>/<device_id>/<interface>/<path>`; the object-aggregated path is `/event`. */
export function edgehogTopicFilter(realm = '+'): string {
  return `${realm}/+/${EDGEHOG_OTA_INTERFACE}/event`;
}

export interface MqttIngestOptions {
  /** Astarte realm to listen on; '+' (the default) listens on every realm. */
  astarteRealm?: string;
  /** CarOTA envelope topic filter (default `carota/+/ota`). */
  carotaTopic?: string;
  /** Told when a (re)subscription was confirmed, or why it failed. */
  onSubscribed?: (error?: Error) => void;
  /**
   * true (default): hold each message in mqtt.js's pump until the sink made it durable, so the PUBACK
   * follows. false: the client already holds PUBACKs until the sink's writes land (the gateway's PUBACK
   * gate); the sink is then called at once and the pump is not serialised behind each fsync.
   */
  holdPump?: boolean;
}

type HandleMessage = MqttClient['handleMessage'];
type Packet = Parameters<HandleMessage>[0];

export function attachMqttIngest(client: MqttClient, sink: IngestSink, opts: MqttIngestOptions = {}): { detach: () => void } {
  const edgehogFilter = edgehogTopicFilter(opts.astarteRealm ?? '+');
  const carotaFilter = opts.carotaTopic ?? DEFAULT_CAROTA_TOPIC;
  const filters = [edgehogFilter, carotaFilter];

  const protocolOf = (topic: string): VehicleProtocol | null => (topicMatches(edgehogFilter, topic) ? 'edgehog' : topicMatches(carotaFilter, topic) ? 'carota' : null);

  const receive = async (protocol: VehicleProtocol, packet: Packet): Promise<void> => {
    const origin = `mqtt ${packet.topic}`;
    const bytes = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    if (bytes.length === 0) {
      await refuse(sink, protocol, `empty ${protocol} message on ${packet.topic}`, '', origin);
      return;
    }
    if (protocol === 'edgehog') {
      await deliver(sink, { protocol, input: new Uint8Array(bytes), device: packet.topic.split('/')[1] }, origin);
    } else {
      await deliver(sink, { protocol, input: bytes.toString('utf8') }, origin);
    }
  };

  // Kept as it was, to be put back on detach; it is only ever called bound (previous).
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original: HandleMessage = client.handleMessage;
  const previous: HandleMessage = original.bind(client);
  const handleMessage: HandleMessage = (packet, callback) => {
    const protocol = typeof packet.topic === 'string' ? protocolOf(packet.topic) : null;
    if (protocol === null) return previous(packet, callback);
    const received = receive(protocol, packet);
    if (opts.holdPump === false) {
      // The sink was called synchronously above; the PUBACK gate waits for its write.
      received.catch(() => undefined);
      return previous(packet, callback);
    }
    // A sink failure leaves the message unacknowledged, so the broker delivers it again.
    received.then(
      () => callback(),
      (e: unknown) => callback(e as Error),
    );
  };
  client.handleMessage = handleMessage;

  // mqtt.js re-subscribes on reconnect only when a session was not kept and `resubscribe` is on; doing
  // it ourselves on every connect also covers a broker that restarted and lost its sessions.
  const subscribe = () => {
    client.subscribe(filters, { qos: 1 }, (err, granted) => {
      const refused = granted?.find((g) => g.qos === 128);
      if (err) opts.onSubscribed?.(err);
      else if (refused) opts.onSubscribed?.(new Error(`the broker refused the subscription to ${refused.topic}`));
      else opts.onSubscribed?.();
    });
  };
  if (client.connected) subscribe();
  client.on('connect', subscribe);

  return {
    detach() {
      client.off('connect', subscribe);
      if (client.handleMessage === handleMessage) client.handleMessage = original;
      if (client.connected) client.unsubscribe(filters);
    },
  };
}
