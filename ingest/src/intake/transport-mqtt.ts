import { hostname } from 'node:os';
import mqtt, { type IClientOptions, type IPublishPacket, type ISubscriptionMap, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { DEFAULT_TOPIC_PREFIX, sharedUplinkFilter, uplinkFilter } from '@streetwise/protocol';
import { installAckWindow, supportsAckWindow } from './ack-window.js';
import { SW_INGEST_BROKER_UNREACHABLE, SW_INGEST_SUBSCRIBE_FAILED } from '../errors.js';
import type { FlowHints, MessageHandler, Transport, TransportHealth } from './transport.js';

export interface MqttTransportOptions {
  kind: 'mqtt';
  /** Broker URL, e.g. mqtt://127.0.0.1:1883. */
  url: string;
  /** Subscriber connections in the shared-subscription group. Default 32. */
  connections?: number;
  /**
   * Messages one connection may hold unacked while they wait for their batch to commit (its MQTT 5
   * Receive Maximum, which the broker respects). Default 64: 32 × 64 = 2,048 in flight. 1 = the
   * plain MQTT.js behaviour (one message per connection).
   */
  inFlightPerConnection?: number;
  /** Shared-subscription group: every ingest worker of one deployment uses the same. Default 'ingest'. */
  group?: string;
  /** Client ids are `<clientIdPrefix>-<k>`; keep it stable so a restarted worker reclaims its sessions. Default `<group>-<hostname>`. */
  clientIdPrefix?: string;
  /** How long the broker keeps a disconnected worker's session (and queues its share), seconds. Default 3600. */
  sessionExpirySeconds?: number;
  username?: string;
  password?: string;
  /** Give up start() when the broker does not answer within this, ms. Default 30,000. */
  connectTimeoutMs?: number;
  /** Delay between reconnect attempts, ms. Default 1,000. */
  reconnectPeriodMs?: number;
  /**
   * 'member' (default): a worker of the group. 'drain': take over a stopped worker's sessions (same
   * `clientIdPrefix`) only to empty their queues: its shared subscription is removed at once, so no
   * new share arrives, and MQTT 5 only (sessions end with a session expiry of 0).
   */
  role?: TransportRole;
  /** Told what happens to each session (the drain program's report). */
  sessions?: SessionObserver;
}

export type TransportRole = 'member' | 'drain';

export interface SessionObserver {
  /** A CONNACK: whether the broker still held this client id's session (and so its queue). */
  connected(clientId: string, sessionPresent: boolean): void;
  /** The connection closed; ended: the session went with it (expiry 0), else the broker keeps it. */
  closed(clientId: string, ended: boolean): void;
}

export const DEFAULT_MQTT_TRANSPORT = {
  connections: 32,
  inFlightPerConnection: 64,
  group: 'ingest',
  sessionExpirySeconds: 3_600,
  connectTimeoutMs: 30_000,
  reconnectPeriodMs: 1_000,
};

/** CONNACK codes that mean "this broker does not speak MQTT 5": 3.1.1's 1, and v5's 0x84. */
const PROTOCOL_REFUSED = new Set([1, 0x84]);

type Mode = 'shared-v5' | 'plain-v311';

/**
 * MQTT 5 brokers (Mosquitto 2, EMQX): K connections in one shared-subscription group, persistent
 * sessions (clean=false + session expiry), QoS 1. Each connection holds up to W messages unacked until
 * their batch commits (ack-window.ts: MQTT.js alone would allow one, see MQTT.js #691, #776), and
 * tells the broker W as its Receive Maximum; K × W messages make the batches. Client ids are stable
 * (`<prefix>-<k>`): a restarted worker takes its sessions back, and with them the messages the broker
 * queued for it while it was down.
 *
 * A broker that refuses MQTT 5 or shared subscriptions gets one MQTT 3.1.1 connection with a plain
 * persistent subscription: correct, but batches of one (a warning says so).
 */
export function createMqttTransport(options: MqttTransportOptions, prefix: string = DEFAULT_TOPIC_PREFIX, handle: MessageHandler, logger: Logger): Transport {
  const settings = { ...DEFAULT_MQTT_TRANSPORT, ...options };
  const clientIdPrefix = options.clientIdPrefix ?? `${settings.group}-${hostname().replace(/[^A-Za-z0-9_-]/g, '')}`;
  let clients: MqttClient[] = [];
  let mode: Mode = 'shared-v5';
  let accepting = false;
  let lastError = '';
  /** Messages that arrived after pause(): never acked, so ending their session would lose them. */
  let refusedWhileStopping = 0;
  const window = supportsAckWindow() ? settings.inFlightPerConnection : 1;
  if (window < settings.inFlightPerConnection) logger.warn('this MQTT.js cannot hold several PUBACKs per connection: one message in flight per connection');

  /** Resolves once the message may be acked; never settles while paused or stopping (not acked: the session keeps it). */
  function onMessage(packet: IPublishPacket): Promise<void> {
    if (!accepting) {
      refusedWhileStopping += 1;
      return new Promise<void>(() => {});
    }
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    return handle({ topic: packet.topic, payload, clientId: null, receivedAtMs: Date.now() }).then(() => undefined);
  }

  /** One message at a time per connection: MQTT.js acks when this callback fires. */
  function oneAtATime(packet: IPublishPacket, done: (err?: Error) => void): void {
    onMessage(packet).then(() => done(), () => {}); // rejected (stopping): leave it unacked
  }

  function connectOne(k: number, protocolVersion: 4 | 5): MqttClient {
    const clientOptions: IClientOptions = {
      protocolVersion,
      clientId: `${clientIdPrefix}-${k}`,
      clean: false,
      reconnectPeriod: settings.reconnectPeriodMs,
      connectTimeout: settings.connectTimeoutMs,
      manualConnect: true,
      resubscribe: true,
      ...(protocolVersion === 5 ? { properties: { sessionExpiryInterval: settings.sessionExpirySeconds, receiveMaximum: window } } : {}),
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
    };
    const client = mqtt.connect(options.url, clientOptions);
    // Before connect: a resumed session delivers its queued messages right after CONNACK.
    client.handleMessage = protocolVersion === 5 && window > 1 ? installAckWindow(client, onMessage).handleMessage : oneAtATime;
    client.on('error', (err) => {
      lastError = err.message;
      logger.warn({ err, clientId: clientOptions.clientId }, 'MQTT connection error');
    });
    let connects = 0;
    client.on('connect', (connack) => {
      options.sessions?.connected(clientOptions.clientId!, connack.sessionPresent);
      connects += 1;
      // Mosquitto 2.0.11 restores a session from its persistence file after a restart (sessionPresent,
      // queued messages and all) but not its shared subscription, and MQTT.js re-subscribes only when
      // the session is gone: subscribe again after every reconnect of a member (the same filter replaces itself).
      if (connects > 1 && connack.sessionPresent && mode === 'shared-v5' && options.role !== 'drain') {
        // `resubscribe: true`: MQTT.js would otherwise skip a filter it believes subscribed already.
        const again = { [sharedUplinkFilter(settings.group, prefix)]: { qos: 1 }, resubscribe: true } as ISubscriptionMap;
        client.subscribe(again, (err, granted) => {
          const refused = err ?? (granted?.some((g) => g.qos >= 0x80) ? new Error(`refused: ${JSON.stringify(granted)}`) : undefined);
          if (refused) logger.error({ err: refused, clientId: clientOptions.clientId }, 'could not subscribe again after a reconnect');
        });
      }
    });
    client.on('offline', () => logger.warn({ clientId: clientOptions.clientId }, 'MQTT connection lost; reconnecting'));
    client.connect();
    return client;
  }

  function waitConnected(client: MqttClient): Promise<'connected' | 'refused'> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(() => reject(SW_INGEST_BROKER_UNREACHABLE([options.url, lastError || `no answer within ${settings.connectTimeoutMs} ms`]))), settings.connectTimeoutMs);
      const onConnect = (): void => finish(() => resolve('connected'));
      const onError = (err: Error & { code?: unknown }): void => {
        if (typeof err.code === 'number' && PROTOCOL_REFUSED.has(err.code)) finish(() => resolve('refused'));
      };
      const finish = (then: () => void): void => {
        clearTimeout(timer);
        client.off('connect', onConnect);
        client.off('error', onError);
        then();
      };
      client.on('connect', onConnect);
      client.on('error', onError);
    });
  }

  async function subscribe(client: MqttClient, filter: string): Promise<boolean> {
    const granted = await client.subscribeAsync(filter, { qos: 1 });
    const code = granted[0]?.qos ?? 0x80;
    return code < 0x80;
  }

  async function endAll(force: boolean, endSessions = false): Promise<void> {
    const ending = clients.splice(0);
    // A message refused while stopping lives only in its session: keep the sessions, so it is not lost.
    const end = endSessions && mode === 'shared-v5' && refusedWhileStopping === 0;
    if (endSessions && !end) logger.error({ refusedWhileStopping }, 'messages arrived while stopping: the sessions are kept so the broker delivers them again');
    await Promise.all(
      ending.map(async (c) => {
        await c.endAsync(force, end ? { properties: { sessionExpiryInterval: 0 } } : {}).catch(() => undefined);
        options.sessions?.closed(c.options.clientId!, end);
      }),
    );
  }

  /** Drain: the dead worker's sessions, each without its subscription; what they queued still arrives. */
  /** Opens every MQTT 5 connection; false (all ended) when the broker refuses MQTT 5. */
  async function connectAllV5(): Promise<boolean> {
    clients = Array.from({ length: settings.connections }, (_, k) => connectOne(k, 5));
    const results = await Promise.all(clients.map(waitConnected)).catch(async (err: unknown) => {
      await endAll(true);
      throw err;
    });
    if (!results.includes('refused')) return true;
    await endAll(true);
    return false;
  }

  async function startDrain(): Promise<void> {
    if (!(await connectAllV5())) throw SW_INGEST_BROKER_UNREACHABLE([options.url, 'the broker refused MQTT 5: only MQTT 5 sessions can be drained']);
    const filter = sharedUplinkFilter(settings.group, prefix);
    await Promise.all(clients.map((c) => c.unsubscribeAsync(filter)));
  }

  async function startShared(): Promise<boolean> {
    if (!(await connectAllV5())) return false;
    const filter = sharedUplinkFilter(settings.group, prefix);
    const granted = await Promise.all(clients.map((c) => subscribe(c, filter)));
    if (granted.every(Boolean)) return true;
    await endAll(false, true);
    return false;
  }

  async function startPlain(): Promise<void> {
    mode = 'plain-v311';
    logger.warn({ url: options.url }, 'the broker refuses MQTT 5 shared subscriptions: using one MQTT 3.1.1 connection (batches of one message)');
    clients = [connectOne(0, 4)];
    const result = await waitConnected(clients[0]!);
    if (result === 'refused') throw SW_INGEST_BROKER_UNREACHABLE([options.url, 'the broker refused MQTT 3.1.1 too']);
    const filter = uplinkFilter(prefix);
    if (!(await subscribe(clients[0]!, filter))) {
      await endAll(true);
      throw SW_INGEST_SUBSCRIBE_FAILED([filter, 'not granted']);
    }
  }

  return {
    kind: 'mqtt',
    async start() {
      accepting = true;
      if (options.role === 'drain') await startDrain();
      else if (!(await startShared())) await startPlain();
      logger.info({ url: options.url, mode, role: options.role ?? 'member', connections: clients.length, clientIdPrefix }, 'ingest subscribed');
    },
    pause() {
      accepting = false;
    },
    async stop(stopOptions = {}) {
      accepting = false;
      // Messages still held were never acked: a graceful DISCONNECT keeps them in the session for next time.
      await endAll(false, stopOptions.endSessions === true);
    },
    health(): TransportHealth {
      const connected = clients.filter((c) => c.connected).length;
      if (clients.length > 0 && connected === clients.length) return { status: 'up', detail: `${mode}, ${connected} connections` };
      if (connected > 0) return { status: 'degraded', detail: `${mode}, ${connected} of ${clients.length} connections up` };
      return { status: 'down', detail: lastError || 'not connected' };
    },
    flowHints(): FlowHints {
      return { inFlightLimit: mode === 'shared-v5' ? settings.connections * window : 1, flushWhenIdle: false };
    },
  };
}
