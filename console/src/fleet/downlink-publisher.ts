/**
 * The console's one MQTT client: it publishes config downlinks (QoS 1) as the `downlink` credential and
 * subscribes to nothing (identity refuses a downlink credential any subscription). It connects in the
 * background and keeps reconnecting, so a broker that is down when the console starts, or restarts later,
 * only makes pushes answer 503 while it is away.
 */
import { randomBytes } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { FastifyBaseLogger } from 'fastify';
import type { DownlinkOptions } from './fleet-settings.js';

export type DownlinkState = 'connected' | 'disconnected' | 'not_configured';

export interface DownlinkPublisher {
  readonly state: DownlinkState;
  /** Why the last connection attempt failed (never a secret), while disconnected. */
  readonly lastError: string | undefined;
  readonly prefix: string | undefined;
  /** Resolves on the broker's PUBACK; rejects on a timeout or a refusal. */
  publish(topic: string, payload: Buffer): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_PUBLISH_TIMEOUT_MS = 10_000;

/** A publisher for a console without a broker: every push answers 503. */
export const NO_DOWNLINK: DownlinkPublisher = {
  state: 'not_configured',
  lastError: undefined,
  prefix: undefined,
  publish: () => Promise.reject(new Error('no MQTT broker is configured for downlinks')),
  close: async () => {},
};

export function createDownlinkPublisher(options: DownlinkOptions, log: FastifyBaseLogger): DownlinkPublisher {
  const clientOptions: IClientOptions = {
    clientId: options.clientId ?? `${options.username ?? 'console'}-${randomBytes(4).toString('hex')}`,
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.rejectUnauthorized !== undefined ? { rejectUnauthorized: options.rejectUnauthorized } : {}),
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
    // A push is answered with what happened; one held back across a reconnect would arrive unannounced.
    queueQoSZero: false,
  };
  const timeoutMs = options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
  const client: MqttClient = mqtt.connect(options.url, clientOptions);
  let lastError: string | undefined;
  let wasConnected = false;
  client.on('connect', () => {
    lastError = undefined;
    wasConnected = true;
    log.info({ clientId: clientOptions.clientId, username: options.username }, 'downlink publisher connected');
  });
  client.on('error', (err) => {
    // A refused login (CONNACK 4/5) repeats on every retry: logged once per change of reason.
    if (err.message !== lastError) log.warn({ err: err.message, clientId: clientOptions.clientId }, 'downlink publisher: broker refused or failed');
    lastError = err.message;
  });
  client.on('close', () => {
    if (wasConnected) log.warn({ clientId: clientOptions.clientId }, 'downlink publisher disconnected; reconnecting');
    wasConnected = false;
  });

  return {
    get state(): DownlinkState {
      return client.connected ? 'connected' : 'disconnected';
    },
    get lastError() {
      return lastError;
    },
    prefix: options.prefix,
    async publish(topic, payload) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no PUBACK within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([client.publishAsync(topic, payload, { qos: 1, retain: false }), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => client.endAsync(true),
  };
}
