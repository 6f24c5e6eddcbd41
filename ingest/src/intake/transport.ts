import type { IngestResult, Received } from '../types.js';

/**
 * What a transport hands ingest: one received message. The promise resolves once the message is
 * committed (or dead-lettered, or left alone) — only then may the transport ack it. It rejects when
 * ingest is stopping: then the transport must NOT ack, so the broker delivers the message again.
 */
export type MessageHandler = (received: Received) => Promise<IngestResult | 'ignored'>;

export interface TransportHealth {
  status: 'up' | 'down' | 'degraded';
  detail?: string;
}

/** Settings the transport gives the batch writer. */
export interface FlowHints {
  /** Most messages that can wait for a commit at once (K connections × 1 for MQTT.js). */
  inFlightLimit: number;
  /** Flush as soon as the event loop has handed over all arrivals (the embedded broker). */
  flushWhenIdle: boolean;
}

export interface Transport {
  readonly kind: 'aedes' | 'mqtt';
  start(): Promise<void>;
  /** Refuse new messages (they stay unacked) while the writer commits what it has. */
  pause(): void;
  stop(options?: { endSessions?: boolean }): Promise<void>;
  health(): TransportHealth;
  flowHints(): FlowHints;
}
