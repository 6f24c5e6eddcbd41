import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { pino, type Logger } from 'pino';
import {
  DEFAULT_TOPIC_PREFIX,
  decodeConfig,
  describeInvalid,
  deviceTopic,
  encodeMessage,
  makeMessage,
  validateMessage,
  type ConfigMessage,
  type DeviceKind,
  type EventMessage,
  type HealthMessage,
  type StatusMessage,
  type TelemetryMessage,
} from '@streetwise/protocol';
import { SW_EDGE_MESSAGE_INVALID, SW_EDGE_PUBLISHER_STATE } from '../errors.js';
import type { OutboxStore } from '../outbox/types.js';
import { createProcessProbe } from './process-probe.js';

type Location = { lat: number; lon: number };

/** What the retained birth message says about the device. */
export interface BirthInfo {
  kind: DeviceKind;
  location: Location;
  name?: string;
  district?: string;
  road?: string;
  capabilities?: string[];
  /** model name → version */
  models?: Record<string, string>;
  firmware?: string;
  configVersion?: number;
  /** Seconds between health messages, so the console can tell a silent device (set by the publisher from healthIntervalS). */
  healthIntervalS?: number;
}

/** Figures the pipeline adds to each health message (the publisher adds uptime, outbox, and CPU/RSS unless given). */
export interface HealthFigures {
  fps?: number;
  /** Frames per second the configuration asks for, all cameras together. */
  fpsTarget?: number;
  /** Camera pipeline runs that failed since start. */
  inferenceErrors?: number;
  inferenceMsP50?: number;
  inferenceMsP95?: number;
  cpuPct?: number;
  rssMb?: number;
  models?: Record<string, string>;
  configVersion?: number;
}

type Stamp = { id?: string; ts?: string };
export type EventBody = Omit<EventMessage, 'v' | 'id' | 'ts' | 'deviceId' | 'location'> & Stamp & { location?: Location };
export type TelemetryBody = Omit<TelemetryMessage, 'v' | 'id' | 'ts' | 'deviceId'> & Stamp;
export type ConfigHandler = (config: ConfigMessage) => void | Promise<void>;

export interface PublisherOptions {
  deviceId: string;
  /** Broker URL, e.g. mqtt://127.0.0.1:1883. */
  mqttUrl: string;
  /** Topic prefix. Default 'streetwise'. */
  prefix?: string;
  /** Where events and telemetry wait until the broker acknowledges them (PUBACK). */
  outbox: OutboxStore;
  birth: BirthInfo;
  /** Seconds between health messages; 0 turns them off. Default 30. */
  healthIntervalS?: number;
  /** Pipeline figures for each health message. */
  healthFigures?: () => HealthFigures;
  logger?: Logger;
  /** Most messages sent and not yet acknowledged. Default 32. */
  inflightWindow?: number;
  /** Extra MQTT.js options (username, password, reconnectPeriod, protocolVersion…); they win over ours. */
  mqtt?: Partial<IClientOptions>;
  /** Check each message against the protocol schema before it is queued. Default true. */
  validate?: boolean;
  /** Clock for message timestamps, ms since the epoch. Default Date.now. */
  now?: () => number;
}

export const DEFAULT_PUBLISHER_OPTIONS = {
  prefix: DEFAULT_TOPIC_PREFIX,
  healthIntervalS: 30,
  inflightWindow: 32,
  validate: true,
  /** MQTT 3.1.1: understood by both aedes and Mosquitto. */
  mqtt: { protocolVersion: 4, clean: true, keepalive: 30, reconnectPeriod: 1000, connectTimeout: 10_000, resubscribe: false } satisfies IClientOptions,
};

export interface PublisherStats {
  connected: boolean;
  /** Messages handed to the broker connection (including resends after a failed attempt). */
  sent: number;
  /** Messages acknowledged by the broker and removed from the outbox. */
  acked: number;
  inflight: number;
  outboxDepth: number;
  outboxDropped: number;
  connects: number;
  healthSent: number;
  configsReceived: number;
  configsRejected: number;
}

export interface Publisher {
  readonly deviceId: string;
  /** Start connecting (returns at once; the device works offline and catches up later). */
  start(): void;
  /** Say goodbye (retained offline status) when connected, then close the connection. The outbox stays open. */
  stop(): Promise<void>;
  publishEvent(body: EventBody): EventMessage;
  publishTelemetry(body: TelemetryBody): TelemetryMessage;
  /** Publish a health message now if connected (the timer calls this every healthIntervalS). */
  publishHealth(): HealthMessage | undefined;
  /** Receive valid config downlinks. Returns a function that removes the handler. */
  onConfig(handler: ConfigHandler): () => void;
  /** Change what the birth message says (configVersion, models…) and publish it again when connected. */
  updateBirth(patch: Partial<BirthInfo>): void;
  whenConnected(timeoutMs?: number): Promise<void>;
  /** Resolves when the outbox is empty and nothing is in flight. */
  whenDrained(timeoutMs?: number): Promise<void>;
  stats(): PublisherStats;
}

let defaultLogger: Logger | undefined;
const rootLogger = () => (defaultLogger ??= pino({ level: process.env.LOG_LEVEL ?? 'info' }));

/**
 * MQTT publisher of one device. Delivery contract: QoS 1; a message leaves the outbox only after its
 * PUBACK; messages go out in outbox order, at most inflightWindow at a time; after a reconnect MQTT.js
 * resends the unacknowledged ones first. Presence: retained birth on every connect, retained last will.
 */
export function createPublisher(options: PublisherOptions): Publisher {
  const opts = { ...DEFAULT_PUBLISHER_OPTIONS, ...options };
  const { deviceId, prefix, outbox, inflightWindow } = opts;
  const now = opts.now ?? Date.now;
  const log = (opts.logger ?? rootLogger()).child({ component: 'publish', deviceId });
  const topics = {
    status: deviceTopic(deviceId, 'status', prefix),
    event: deviceTopic(deviceId, 'event', prefix),
    telemetry: deviceTopic(deviceId, 'telemetry', prefix),
    health: deviceTopic(deviceId, 'health', prefix),
    config: deviceTopic(deviceId, 'config', prefix),
  };
  let birth: BirthInfo = { ...opts.birth, ...(opts.healthIntervalS !== undefined ? { healthIntervalS: opts.healthIntervalS } : {}) };
  const startedAt = now();
  const probe = createProcessProbe();
  const configHandlers = new Set<ConfigHandler>();
  const inflight = new Set<number>();
  let cursor = 0;
  let client: MqttClient | undefined;
  let healthTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let waiters: Array<{ ready: () => boolean; resolve: () => void }> = [];
  const counters = { sent: 0, acked: 0, connects: 0, healthSent: 0, configsReceived: 0, configsRejected: 0 };

  const statusMessage = (state: 'online' | 'offline'): StatusMessage =>
    state === 'online'
      ? makeMessage('status', { deviceId, state, ...birth }, now())
      : makeMessage('status', { deviceId, state, kind: birth.kind, location: birth.location }, now());

  function check<K extends 'event' | 'telemetry' | 'health'>(kind: K, message: unknown): void {
    if (opts.validate && !validateMessage(kind, message)) throw SW_EDGE_MESSAGE_INVALID([kind, describeInvalid(kind, message) ?? 'invalid']);
  }

  function settleWaiters(): void {
    if (waiters.length === 0) return;
    waiters = waiters.filter((w) => {
      if (!w.ready()) return true;
      w.resolve();
      return false;
    });
  }

  function waitFor(ready: () => boolean, what: string, timeoutMs: number): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters = waiters.filter((w) => w !== waiter);
        reject(SW_EDGE_PUBLISHER_STATE([deviceId, `not ${what} after ${timeoutMs} ms`]));
      }, timeoutMs);
      const waiter = { ready, resolve: () => (clearTimeout(timer), resolve()) };
      waiters.push(waiter);
    });
  }

  function onAck(seq: number, err: Error | undefined): void {
    inflight.delete(seq);
    if (err) {
      // Not acknowledged (connection ended by force): send it again from the outbox later.
      log.debug({ seq, err: err.message }, 'publish not acknowledged; will resend');
      cursor = 0;
    } else {
      outbox.remove(seq);
      counters.acked++;
    }
    pump();
    settleWaiters();
  }

  /** Send waiting outbox records, oldest first, keeping at most inflightWindow unacknowledged. */
  function pump(): void {
    if (!client?.connected || stopped) return;
    while (inflight.size < inflightWindow) {
      const batch = outbox.peek(cursor, inflightWindow - inflight.size);
      if (batch.length === 0) return;
      for (const record of batch) {
        cursor = record.seq;
        if (inflight.has(record.seq)) continue;
        inflight.add(record.seq);
        counters.sent++;
        client.publish(record.topic, record.payload, { qos: 1 }, (err) => onAck(record.seq, err));
      }
    }
  }

  function enqueue(priority: 'event' | 'telemetry', topic: string, message: object): void {
    outbox.append(priority, topic, encodeMessage(message));
    pump();
  }

  async function handleConfig(payload: Buffer): Promise<void> {
    counters.configsReceived++;
    const decoded = decodeConfig(payload);
    if (!decoded.ok) {
      counters.configsRejected++;
      log.warn({ code: decoded.code, reason: decoded.reason }, 'config downlink rejected');
      api.publishEvent({ type: 'config_rejected', severity: 'low', attrs: { reason: decoded.reason.slice(0, 256), code: decoded.code } });
      return;
    }
    for (const handler of configHandlers) {
      try {
        await handler(decoded.message);
      } catch (err) {
        log.error({ err }, 'config handler failed');
      }
    }
  }

  function publishBirth(): void {
    client?.publish(topics.status, encodeMessage(statusMessage('online')), { qos: 1, retain: true });
  }

  const willOf = () => ({ topic: topics.status, payload: encodeMessage(statusMessage('offline')), qos: 1 as const, retain: true });

  const api: Publisher = {
    deviceId,
    start() {
      if (client) throw SW_EDGE_PUBLISHER_STATE([deviceId, 'start() was called twice']);
      stopped = false;
      client = mqtt.connect(opts.mqttUrl, { ...DEFAULT_PUBLISHER_OPTIONS.mqtt, clientId: deviceId, will: willOf(), ...opts.mqtt });
      const c = client;
      c.on('connect', () => {
        counters.connects++;
        log.info({ connects: counters.connects, outboxDepth: outbox.stats().depth }, 'connected');
        publishBirth();
        c.subscribe(topics.config, { qos: 1 });
        pump();
        settleWaiters();
      });
      c.on('message', (topic, payload) => {
        if (topic === topics.config) void handleConfig(payload);
      });
      // The will's timestamp is fixed at CONNECT: refresh it before every reconnect so ingest accepts it.
      c.on('close', () => {
        if (c.options.will) c.options.will = { ...c.options.will, ...willOf() };
        settleWaiters();
      });
      c.on('error', (err) => log.debug({ err: err.message }, 'mqtt error'));
      if (opts.healthIntervalS > 0) {
        healthTimer = setInterval(() => api.publishHealth(), opts.healthIntervalS * 1000);
        healthTimer.unref();
      }
    },
    async stop() {
      if (!client) return;
      stopped = true;
      if (healthTimer) clearInterval(healthTimer);
      const c = client;
      client = undefined;
      if (c.connected) {
        try {
          await c.publishAsync(topics.status, encodeMessage(statusMessage('offline')), { qos: 1, retain: true });
          await c.endAsync();
        } catch (err) {
          log.debug({ err }, 'clean disconnect failed');
          await c.endAsync(true);
        }
      } else {
        await c.endAsync(true);
      }
      inflight.clear();
      cursor = 0;
      settleWaiters();
    },
    publishEvent(body) {
      const message = makeMessage('event', { ...body, deviceId, location: body.location ?? birth.location }, now());
      check('event', message);
      enqueue('event', topics.event, message);
      return message;
    },
    publishTelemetry(body) {
      const message = makeMessage('telemetry', { ...body, deviceId }, now());
      check('telemetry', message);
      enqueue('telemetry', topics.telemetry, message);
      return message;
    },
    publishHealth() {
      if (!client?.connected) return undefined;
      const figures = opts.healthFigures?.() ?? {};
      const box = outbox.stats();
      const message = makeMessage(
        'health',
        {
          deviceId,
          uptimeS: Math.round((now() - startedAt) / 1000),
          ...probe.sample(),
          outboxDepth: Math.min(box.depth, 1_000_000),
          outboxDropped: Math.min(box.dropped, 1_000_000),
          models: birth.models,
          configVersion: birth.configVersion,
          ...figures,
        },
        now(),
      );
      check('health', message);
      client.publish(topics.health, encodeMessage(message), { qos: 1 });
      counters.healthSent++;
      return message;
    },
    onConfig(handler) {
      configHandlers.add(handler);
      return () => configHandlers.delete(handler);
    },
    updateBirth(patch) {
      birth = { ...birth, ...patch };
      if (client?.connected) publishBirth();
    },
    whenConnected(timeoutMs = 10_000) {
      return waitFor(() => client?.connected === true, 'connected', timeoutMs);
    },
    whenDrained(timeoutMs = 10_000) {
      return waitFor(() => inflight.size === 0 && outbox.stats().depth === 0, 'drained', timeoutMs);
    },
    stats() {
      const box = outbox.stats();
      return { connected: client?.connected === true, ...counters, inflight: inflight.size, outboxDepth: box.depth, outboxDropped: box.dropped };
    },
  };
  return api;
}
