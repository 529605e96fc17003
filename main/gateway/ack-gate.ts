// Holds each QoS 1 PUBACK until what its message caused is durable, without stalling mqtt.js.
//
// mqtt.js handles one incoming packet at a time and sends the PUBACK from inside that pump; delaying the
// handleMessage callback would therefore serialise every message behind an fsync (about 2 ms on a laptop
// disk: some 500 messages/s, less than 200 docks reporting four times a second). Instead the pump runs on,
// the journal's group commit takes a whole burst in one fsync, and the PUBACKs leave in order once it lands.
// A PUBACK whose connection is gone by then is dropped: the broker redelivers the message.
import type { MqttClient } from 'mqtt';

type SendPacket = (packet: { cmd: string }, cb?: (err?: Error) => void, cbStorePut?: unknown, noStore?: boolean) => void;

export function gatePubacks(client: MqttClient, durable: () => Promise<void>): void {
  const target = client as unknown as { _sendPacket: SendPacket; stream: unknown; connected: boolean };
  const send = target._sendPacket.bind(client);
  let released: Promise<void> = Promise.resolve();
  target._sendPacket = (packet, cb, cbStorePut, noStore) => {
    if (packet.cmd !== 'puback') return send(packet, cb, cbStorePut, noStore);
    const barrier = durable();
    const stream = target.stream;
    cb?.();
    released = released.then(() =>
      barrier.then(
        () => {
          if (target.stream === stream && target.connected) send(packet, undefined, undefined, true);
        },
        () => undefined,
      ),
    );
  };
}
