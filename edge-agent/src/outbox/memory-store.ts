import { SW_EDGE_OUTBOX_CLOSED, SW_EDGE_OUTBOX_RECORD_TOO_LARGE } from '../errors.js';
import { OutboxIndex, type IndexEntry } from './outbox-index.js';
import { DEFAULT_OUTBOX_BOUNDS, type OutboxBounds, type OutboxPriority, type OutboxRecord, type OutboxStats, type OutboxStore } from './types.js';

interface MemoryEntry extends IndexEntry {
  topic: string;
  payload: Buffer;
}

/** Per-record overhead counted against maxBytes, so both stores bound the same messages alike. */
export const RECORD_OVERHEAD_BYTES = 20;

/**
 * Outbox kept in memory: for simulated fleets in load mode, where thousands of devices share one process
 * and nothing must survive a restart. Same bound and drop policy as the disk store.
 */
export function createMemoryOutbox(options: Partial<OutboxBounds> = {}): OutboxStore {
  const { maxBytes } = { ...DEFAULT_OUTBOX_BOUNDS, ...options };
  const index = new OutboxIndex<MemoryEntry>(maxBytes);
  let nextSeq = 1;
  let closed = false;
  const check = () => {
    if (closed) throw SW_EDGE_OUTBOX_CLOSED(['memory']);
  };
  const drop = (seq: number) => {
    const entry = index.delete(seq);
    if (entry) index.countDrop(entry.priority);
  };

  return {
    append(priority: OutboxPriority, topic: string, payload: Buffer): number {
      check();
      const size = payload.byteLength + Buffer.byteLength(topic) + RECORD_OVERHEAD_BYTES;
      if (size > maxBytes) throw SW_EDGE_OUTBOX_RECORD_TOO_LARGE([size, maxBytes]);
      const seq = nextSeq++;
      if (!index.makeRoom(size, priority, drop)) {
        index.countDrop(priority);
        return seq;
      }
      index.add({ seq, priority, size, topic, payload });
      return seq;
    },
    peek(afterSeq: number, max: number): OutboxRecord[] {
      check();
      const out: OutboxRecord[] = [];
      for (const e of index.after(afterSeq, max)) out.push({ seq: e.seq, priority: e.priority, topic: e.topic, payload: e.payload });
      return out;
    },
    remove(seq: number): boolean {
      check();
      return index.delete(seq) !== undefined;
    },
    stats(): OutboxStats {
      return index.stats(0, 0);
    },
    flush(): void {},
    close(): void {
      closed = true;
    },
  };
}
