export { createMemoryOutbox } from './outbox/memory-store.js';
export { openFileOutbox, DEFAULT_FILE_OUTBOX_OPTIONS } from './outbox/file-store.js';
export type { FileOutboxOptions } from './outbox/file-store.js';
export { DEFAULT_OUTBOX_BOUNDS } from './outbox/types.js';
export type { OutboxStore, OutboxRecord, OutboxStats, OutboxPriority, OutboxBounds, FsyncPolicy } from './outbox/types.js';
