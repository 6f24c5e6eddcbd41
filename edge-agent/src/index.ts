export { createMemoryOutbox } from './outbox/memory-store.js';
export { openFileOutbox, DEFAULT_FILE_OUTBOX_OPTIONS } from './outbox/file-store.js';
export type { FileOutboxOptions } from './outbox/file-store.js';
export { DEFAULT_OUTBOX_BOUNDS } from './outbox/types.js';
export type { OutboxStore, OutboxRecord, OutboxStats, OutboxPriority, OutboxBounds, FsyncPolicy } from './outbox/types.js';
export { createPublisher, DEFAULT_PUBLISHER_OPTIONS } from './publish/publisher.js';
export type {
  Publisher,
  PublisherOptions,
  PublisherStats,
  BirthInfo,
  HealthFigures,
  EventBody,
  TelemetryBody,
  ConfigHandler,
} from './publish/publisher.js';
export { createProcessProbe } from './publish/process-probe.js';
export type { ProcessProbe } from './publish/process-probe.js';
