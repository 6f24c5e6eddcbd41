import { MqttClient, type IPublishPacket } from 'mqtt';

/**
 * Many QoS 1 messages per MQTT.js connection waiting for their commit at once, each acked only once
 * it is committed.
 *
 * MQTT.js 5.16 handles one connection's packets strictly one at a time: after a QoS 1 PUBLISH it calls
 * `handleMessage(packet, callback)`, and only when `callback` fires does it send the PUBACK (through
 * its `_sendPacket`) and read the next packet (MQTT.js issues #691, #776). Held there until a commit,
 * a connection has one message in flight, and K connections make batches of at most K.
 *
 * So here `callback` fires at once, and the PUBACK MQTT.js then hands `_sendPacket` is kept back until
 * the message's promise resolves. How many messages one connection may hold is the broker's to
 * respect: the MQTT 5 CONNECT property Receive Maximum (set it to `window`). PUBACKs leave in the
 * order their PUBLISHes came (MQTT-4.6.0-2): a committed message waits for the ones before it.
 *
 * A message whose promise rejects (ingest stopping) is never acked, nor is anything after it on that
 * connection. When the connection drops, every held PUBACK is forgotten: the broker redelivers those
 * messages on the resumed session, and ingest stores them once (dedupe on the message id). A PUBACK
 * is never sent on a later connection than the one its PUBLISH came on.
 *
 * `_sendPacket` is MQTT.js's own (private) method: mqtt is pinned to 5.16.0 exactly, and
 * `supportsAckWindow` checks the hook is there before it is used (tests/integration prove it works).
 */
type SendPacket = (packet: { cmd: string; messageId?: number }, cb?: (err?: Error) => void, ...rest: unknown[]) => void;
interface Hookable {
  _sendPacket?: SendPacket;
}

interface Held {
  messageId: number;
  /** The PUBACK MQTT.js asked to send; undefined until it did. */
  puback?: { cmd: string; messageId?: number };
  /** Its message is committed: the PUBACK may go once those before it went. */
  committed: boolean;
}

/** Whether this MQTT.js has the `_sendPacket` the window hooks. */
export function supportsAckWindow(): boolean {
  return typeof (MqttClient.prototype as unknown as Hookable)._sendPacket === 'function';
}

export interface AckWindowStats {
  /** PUBACKs held right now. */
  held: number;
}

/**
 * Installs the window on `client` and returns the handleMessage to give it: `onMessage` is called
 * for each PUBLISH; the PUBACK goes when its promise resolves.
 */
export function installAckWindow(
  client: MqttClient,
  onMessage: (packet: IPublishPacket) => Promise<void>,
): { handleMessage: MqttClient['handleMessage']; stats: () => AckWindowStats } {
  const hookable = client as unknown as Hookable;
  const send: SendPacket = hookable._sendPacket!.bind(client);
  // This connection's held PUBACKs, in arrival order. A dropped connection's are forgotten: a late
  // commit of one of them finds it in no queue, so nothing is ever acked on a later connection.
  let queue: Held[] = [];
  client.on('close', () => {
    queue = [];
  });

  const release = (): void => {
    let n = 0;
    while (n < queue.length && queue[n]!.committed && queue[n]!.puback !== undefined) n += 1;
    if (n === 0) return;
    const going = queue.splice(0, n);
    if (!client.connected) return; // closing: the 'close' handler forgets them anyway
    for (const held of going) send(held.puback!);
  };

  hookable._sendPacket = (packet, cb, ...rest) => {
    if (packet.cmd !== 'puback') return send(packet, cb, ...rest);
    let held: Held | undefined;
    for (let i = queue.length - 1; i >= 0 && held === undefined; i--) {
      const h = queue[i]!;
      if (h.messageId === packet.messageId && h.puback === undefined) held = h;
    }
    if (held === undefined) return send(packet, cb, ...rest);
    held.puback = packet;
    cb?.(); // MQTT.js reads the next packet now
    release();
  };

  const handleMessage: MqttClient['handleMessage'] = (packet, callback) => {
    const publish = packet;
    if (publish.qos !== 1 || publish.messageId === undefined) {
      onMessage(publish).then(() => callback(), () => {}); // QoS 0: nothing to ack
      return;
    }
    const held: Held = { messageId: publish.messageId, committed: false };
    queue.push(held);
    onMessage(publish).then(
      () => {
        held.committed = true;
        release();
      },
      () => {}, // never committed: neither it nor anything after it on this connection is acked
    );
    callback();
  };

  return { handleMessage, stats: () => ({ held: queue.length }) };
}
