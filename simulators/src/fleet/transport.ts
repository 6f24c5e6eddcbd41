import { deviceTopic, encodeMessage, type MessageByKind, type UplinkKind } from '@streetwise/protocol';
import mqtt, { type MqttClient } from 'mqtt';

/**
 * How one simulated device reaches the broker. The fleet does not care whether this is a bare MQTT.js
 * client or the edge agent's publisher (outbox, birth, last will): both sit behind this interface.
 */
export interface DeviceTransport {
  /** Connect and publish the retained birth; resolves on the first successful connection. */
  start(): Promise<void>;
  /** Queue one message for delivery (QoS 1). Resolves when the transport has accepted it. */
  publish<K extends Exclude<UplinkKind, 'status'>>(kind: K, message: MessageByKind[K]): Promise<void>;
  /** Break the network connection without a clean disconnect (the broker sends the last will); reconnect after ms. */
  dropFor(ms: number): void;
  /** Clean shutdown: publish offline status, disconnect. */
  stop(): Promise<void>;
  readonly connected: boolean;
  /** Messages accepted but not yet acknowledged by the broker. */
  readonly pending: number;
}

export interface MqttTransportOptions {
  url: string;
  deviceId: string;
  topicPrefix: string;
  birth: () => MessageByKind['status'];
  will: () => MessageByKind['status'];
  /** Wait between reconnect attempts, ms. Default 2000. */
  reconnectPeriodMs?: number;
  /** Keepalive, seconds. Default 30. */
  keepaliveS?: number;
  /** Give up waiting for the first connection after this long, ms. Default 15000. */
  connectTimeoutMs?: number;
  onError?: (err: Error) => void;
}

/** A bare MQTT.js client per device: client id = device id, retained birth, last will, QoS 1. */
export class MqttTransport implements DeviceTransport {
  private client: MqttClient | undefined;
  private inFlight = 0;
  constructor(private readonly options: MqttTransportOptions) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  get pending(): number {
    return this.inFlight;
  }

  start(): Promise<void> {
    const { url, deviceId, topicPrefix } = this.options;
    const reconnectPeriod = this.options.reconnectPeriodMs ?? 2000;
    const statusTopic = deviceTopic(deviceId, 'status', topicPrefix);
    const client = mqtt.connect(url, {
      clientId: deviceId,
      clean: true,
      keepalive: this.options.keepaliveS ?? 30,
      reconnectPeriod,
      connectTimeout: this.options.connectTimeoutMs ?? 15_000,
      will: { topic: statusTopic, payload: encodeMessage(this.options.will()), qos: 1, retain: true },
    });
    this.client = client;
    client.on('connect', () => {
      client.options.reconnectPeriod = reconnectPeriod;
      client.publish(statusTopic, encodeMessage(this.options.birth()), { qos: 1, retain: true }, (err) => {
        if (err) this.options.onError?.(err);
      });
    });
    client.on('error', (err) => this.options.onError?.(err));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no connection after ${this.options.connectTimeoutMs ?? 15_000} ms`)), this.options.connectTimeoutMs ?? 15_000);
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  publish<K extends Exclude<UplinkKind, 'status'>>(kind: K, message: MessageByKind[K]): Promise<void> {
    const client = this.client;
    if (!client) return Promise.reject(new Error('transport not started'));
    this.inFlight++;
    return new Promise((resolve, reject) => {
      client.publish(deviceTopic(this.options.deviceId, kind, this.options.topicPrefix), encodeMessage(message), { qos: 1 }, (err) => {
        this.inFlight--;
        if (err) reject(err);
        else resolve();
      });
    });
  }

  dropFor(ms: number): void {
    const client = this.client;
    if (!client) return;
    // MQTT.js schedules the next attempt with options.reconnectPeriod; the connect handler restores it.
    client.options.reconnectPeriod = Math.max(1, ms);
    client.stream.destroy();
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    if (client.connected) {
      const topic = deviceTopic(this.options.deviceId, 'status', this.options.topicPrefix);
      await new Promise<void>((resolve) => {
        client.publish(topic, encodeMessage(this.options.will()), { qos: 1, retain: true }, () => resolve());
      });
    }
    await client.endAsync(!client.connected);
  }
}
