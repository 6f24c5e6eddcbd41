import type { Aedes, AedesPublishPacket, Client, PublishPacket } from 'aedes';
import type { Logger } from 'pino';
import { DEFAULT_TOPIC_PREFIX, PROTOCOL_VERSION } from '@streetwise/protocol';
import { SW_INGEST_STOPPING } from '../errors.js';
import { matchesClientPattern } from './publisher-check.js';
import type { FlowHints, MessageHandler, Transport, TransportHealth } from './transport.js';

export interface AedesTransportOptions {
  kind: 'aedes';
  /** The embedded broker (aedes 1.x, MQTT 3.1.1). Ingest hooks its authorizePublish and authorizeForward. */
  aedes: Aedes;
  /** Client ids (or "prefix*") that may publish uplinks for any device, e.g. the simulator fleet. Default none. */
  trustedPublishers?: string[];
  /** Client ids (or "prefix*") that may publish downlink config, e.g. the console. Default none. */
  downlinkPublishers?: string[];
  /** The broker checks who may publish what (identity's hooks: username = client id = topic device, gateway scopes); ingest then does not. Default false. */
  brokerAuthorizes?: boolean;
}

type AuthorizePublish = Aedes['authorizePublish'];
type AuthorizeForward = Aedes['authorizeForward'];

/**
 * The in-process path for the embedded broker. aedes calls authorizePublish before it sends the
 * device's PUBACK, so ingest decodes and batches the message there and calls back only after the
 * commit: the device's PUBACK waits for its row. aedes hands over one socket read's packets at once,
 * so batches form even from one device. Dead-lettered messages are acked but never forwarded or
 * retained (a spoofed birth must not reach other subscribers). No exception ever reaches aedes.
 */
export function createAedesTransport(
  options: AedesTransportOptions,
  prefix: string = DEFAULT_TOPIC_PREFIX,
  handle: MessageHandler,
  logger: Logger,
): Transport {
  const { aedes } = options;
  const head = `${prefix}/${PROTOCOL_VERSION}/`;
  const configTail = '/config';
  const downlinkPublishers = options.downlinkPublishers ?? [];
  const refused = new WeakSet<Buffer>();
  let previousPublish: AuthorizePublish | null = null;
  let previousForward: AuthorizeForward | null = null;
  let accepting = false;

  const authorizePublish: AuthorizePublish = (client: Client | null, packet: PublishPacket, callback) => {
    try {
      if (!packet.topic.startsWith(head)) return previousPublish!.call(aedes, client, packet, callback);
      const clientId = client?.id ?? (packet as { clientId?: string }).clientId ?? null;
      if (packet.topic.endsWith(configTail) && (clientId === null || options.brokerAuthorizes === true || matchesClientPattern(clientId, downlinkPublishers))) {
        return previousPublish!.call(aedes, client, packet, callback);
      }
      if (!accepting) return callback(SW_INGEST_STOPPING());
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
      handle({ topic: packet.topic, payload, clientId, receivedAtMs: Date.now() }).then(
        (result) => {
          if (result === 'dead_letter') {
            refused.add(payload);
            packet.retain = false;
          }
          callback(null);
        },
        (err: Error) => callback(err),
      );
    } catch (err) {
      logger.error({ err, topic: packet.topic.slice(0, 200) }, 'ingest failed on a message; the publisher is disconnected without an ack');
      callback(err as Error);
    }
  };

  const authorizeForward: AuthorizeForward = (client: Client, packet: AedesPublishPacket) => {
    if (refused.has(packet.payload as Buffer)) return null;
    return previousForward!.call(aedes, client, packet);
  };

  return {
    kind: 'aedes',
    async start() {
      if (previousPublish === null) {
        previousPublish = aedes.authorizePublish;
        previousForward = aedes.authorizeForward;
        aedes.authorizePublish = authorizePublish;
        aedes.authorizeForward = authorizeForward;
      }
      accepting = true;
    },
    pause() {
      accepting = false;
    },
    // The hooks stay: while the broker lives on, uplinks are refused (no ack, so devices resend) instead of acked unstored.
    async stop() {
      accepting = false;
    },
    health(): TransportHealth {
      return aedes.closed ? { status: 'down', detail: 'embedded broker closed' } : { status: 'up', detail: `embedded broker, ${aedes.connectedClients} clients` };
    },
    flowHints(): FlowHints {
      return { inFlightLimit: Number.POSITIVE_INFINITY, flushWhenIdle: true };
    },
  };
}
