import type { OutboxPriority, OutboxStats } from './types.js';

export interface IndexEntry {
  seq: number;
  priority: OutboxPriority;
  /** Size counted against the bound, bytes. */
  size: number;
}

/** FIFO of seqs with lazy deletion: removed seqs are skipped when they reach the head. */
class SeqQueue {
  private items: number[] = [];
  private head = 0;

  push(seq: number): void {
    this.items.push(seq);
  }

  /** Oldest seq still present in `live`, or undefined. */
  oldest(live: Map<number, unknown>): number | undefined {
    while (this.head < this.items.length) {
      const seq = this.items[this.head]!;
      if (live.has(seq)) return seq;
      this.head++;
    }
    this.compact();
    return undefined;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  sortAll(): void {
    this.items = this.items.slice(this.head).sort((a, b) => a - b);
    this.head = 0;
  }
}

/**
 * The bookkeeping both outbox stores share: waiting entries in seq order, their total size, and the drop
 * policy (oldest telemetry first, events last) that keeps the total within maxBytes.
 */
export class OutboxIndex<E extends IndexEntry> {
  /** seq → entry; a Map iterates in insertion order, which is seq order (recovery inserts sorted). */
  readonly entries = new Map<number, E>();
  private readonly telemetry = new SeqQueue();
  private readonly events = new SeqQueue();
  bytes = 0;
  droppedEvents = 0;
  droppedTelemetry = 0;

  constructor(readonly maxBytes: number) {}

  add(entry: E): void {
    this.entries.set(entry.seq, entry);
    (entry.priority === 'event' ? this.events : this.telemetry).push(entry.seq);
    this.bytes += entry.size;
  }

  /** After loading entries out of order (recovery), restore seq order. */
  sortBySeq(): void {
    const sorted = [...this.entries.values()].sort((a, b) => a.seq - b.seq);
    this.entries.clear();
    for (const e of sorted) this.entries.set(e.seq, e);
    this.telemetry.sortAll();
    this.events.sortAll();
  }

  delete(seq: number): E | undefined {
    const entry = this.entries.get(seq);
    if (entry === undefined) return undefined;
    this.entries.delete(seq);
    this.bytes -= entry.size;
    return entry;
  }

  /**
   * Make room for a new entry of `size` bytes: drop the oldest telemetry first, then the oldest events
   * (new telemetry never evicts events). `drop(seq)` must remove the entry (via delete) and count it.
   * Returns false when the new entry itself must be dropped.
   */
  makeRoom(size: number, priority: OutboxPriority, drop: (seq: number) => void): boolean {
    if (size > this.maxBytes) return false;
    while (this.bytes + size > this.maxBytes) {
      const telemetrySeq = this.telemetry.oldest(this.entries);
      if (telemetrySeq !== undefined) {
        drop(telemetrySeq);
        continue;
      }
      if (priority === 'telemetry') return false;
      const eventSeq = this.events.oldest(this.entries);
      if (eventSeq === undefined) return false;
      drop(eventSeq);
    }
    return true;
  }

  /** The store's stats: what the index counts, plus the store's own disk figures. */
  stats(diskBytes: number, tornRecords: number): OutboxStats {
    return {
      depth: this.entries.size,
      bytes: this.bytes,
      dropped: this.droppedEvents + this.droppedTelemetry,
      droppedEvents: this.droppedEvents,
      droppedTelemetry: this.droppedTelemetry,
      diskBytes,
      tornRecords,
    };
  }

  countDrop(priority: OutboxPriority): void {
    if (priority === 'event') this.droppedEvents++;
    else this.droppedTelemetry++;
  }

  /** Waiting entries with seq > afterSeq, oldest first, at most max. */
  *after(afterSeq: number, max: number): Generator<E> {
    let n = 0;
    for (const entry of this.entries.values()) {
      if (n >= max) return;
      if (entry.seq <= afterSeq) continue;
      n++;
      yield entry;
    }
  }
}
