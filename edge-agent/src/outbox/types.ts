/** Which messages the outbox gives up first when it is full: telemetry first, events last. */
export type OutboxPriority = 'telemetry' | 'event';

export type FsyncPolicy = 'always' | 'interval' | 'never';

export interface OutboxRecord {
  /** Monotonic sequence number: replay order. */
  readonly seq: number;
  readonly priority: OutboxPriority;
  readonly topic: string;
  readonly payload: Buffer;
}

export interface OutboxStats {
  /** Messages waiting (not yet acknowledged by the broker). */
  depth: number;
  /** Bytes the waiting messages take (record size, as counted against maxBytes). */
  bytes: number;
  /** Messages dropped because the outbox was full, since the store was opened. */
  dropped: number;
  droppedEvents: number;
  droppedTelemetry: number;
  /** Bytes on disk (0 for the memory store). */
  diskBytes: number;
  /** Damaged records (torn by a crash mid-write) found and cut off when the store was opened. */
  tornRecords: number;
}

/**
 * A bounded queue of messages waiting for a broker acknowledgement. Two implementations share one test
 * suite: the disk store (devices) and the memory store (simulators' load mode).
 * All methods are synchronous: an append has returned only once the record is written (and synced, per
 * the fsync policy).
 */
export interface OutboxStore {
  /** Add a message; returns its seq. May drop older messages (or this one) to stay within the bound. */
  append(priority: OutboxPriority, topic: string, payload: Buffer): number;
  /** Up to `max` waiting records with seq > afterSeq, oldest first. */
  peek(afterSeq: number, max: number): OutboxRecord[];
  /** Remove a message after its PUBACK. Returns false when it was no longer there (dropped, or removed before). */
  remove(seq: number): boolean;
  stats(): OutboxStats;
  /** Push written records to stable storage now. */
  flush(): void;
  close(): void;
}

export interface OutboxBounds {
  /** Largest total size of waiting records, bytes. Default 16 MiB. */
  maxBytes: number;
}

export const DEFAULT_OUTBOX_BOUNDS: OutboxBounds = { maxBytes: 16 * 1024 * 1024 };
