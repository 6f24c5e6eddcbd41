import type { BatchOutcome } from './commit-batch.js';
import { backoffDelayMs, classifyDbFailure, type DbFailureKind } from './db-failure.js';
import { SW_INGEST_STOPPING } from '../errors.js';
import type { IngestResult, IntakeItem, RejectedItem } from '../types.js';

/**
 * Collects messages into batches and commits them; each submit() resolves only after its message's
 * batch committed — that is when the transport may ack. While one batch commits the next one fills
 * (group commit), and once half a batch waits it may commit beside the first (maxInFlight; never a
 * batch with a device's birth or last will, which commits alone). With nothing in flight, a batch goes
 * when it has maxRows messages, when every message the transport can have in flight is waiting (half of
 * inFlightLimit), when the input went quiet (flushWhenIdle), or maxWaitMs after its first message.
 *
 * Database down: the batch goes back to the front, and is retried with exponential backoff; nothing
 * is acked meanwhile. At most maxBuffered messages are admitted; later submits wait unadmitted, and
 * as their promises stay pending the transports stop reading (backpressure, never a drop).
 */
export interface BatchWriterOptions {
  /** Largest batch, messages. Default 500. */
  maxRows: number;
  /** Longest a message waits for its batch to fill, ms. Default 20. */
  maxWaitMs: number;
  /** Messages admitted (queued, deferred or committing) before submit() holds the sender back. Default 10,000. */
  maxBuffered: number;
  /** First retry delay after a failed commit, ms (doubles each time). Default 100. */
  retryInitialMs: number;
  /** Longest retry delay, ms. Default 5,000. */
  retryMaxMs: number;
  /** How long a deferred message (unknown device) waits before its next look, ms. Default 100. */
  deferRecheckMs: number;
  /**
   * Batches committing at once. Default 2: a second batch goes while the first commits once half a batch
   * (maxRows / 2) waits, so the database does not wait for this thread to ack one batch and build the
   * next (and a server works on both at once). A batch holding a status message (a birth or a last will:
   * a device's state, whose order matters), or a retried or split one, commits alone. 1: one at a time.
   */
  maxInFlight: number;
}

export const DEFAULT_BATCH_WRITER_OPTIONS: BatchWriterOptions = {
  maxRows: 500,
  maxWaitMs: 20,
  maxBuffered: 10_000,
  retryInitialMs: 100,
  retryMaxMs: 5_000,
  deferRecheckMs: 100,
  maxInFlight: 2,
};

export interface CommitStats {
  rows: number;
  seconds: number;
  outcome: BatchOutcome;
}

export interface BatchWriterHooks {
  commit(items: IntakeItem[], firstSeenMs: number[], nowMs: number): Promise<BatchOutcome>;
  committed(stats: CommitStats): void;
  failed(err: unknown, kind: DbFailureKind, retryInMs: number, rows: number): void;
  /** A single message PostgreSQL refused even after the batch was split; it becomes a dead letter. */
  refused(item: IntakeItem, err: unknown): void;
}

interface Entry {
  item: IntakeItem;
  firstSeenMs: number;
  resolve: (result: IngestResult) => void;
  reject: (err: Error) => void;
  /** Set when PostgreSQL refused the row itself: commit it alone, as a dead letter. */
  isolated?: boolean;
}

export type WriterState = 'idle' | 'committing' | 'retrying' | 'closed';

export class BatchWriter {
  private readonly options: BatchWriterOptions;
  private queue: Entry[] = [];
  private deferred: Entry[] = [];
  private waiting: Entry[] = [];
  /** Halves of a batch PostgreSQL refused, committed one by one before anything else. */
  private splits: Entry[][] = [];
  private inFlight: Entry[][] = [];
  /** The batch in flight must commit alone (status messages, a retry or a split). */
  private alone = false;
  private attempt = 0;
  private waitTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private deferTimer: NodeJS.Timeout | null = null;
  private idleCheck: NodeJS.Immediate | null = null;
  private arrivals = 0;
  private closing = false;
  private closed = false;
  private drained: Array<() => void> = [];
  /** Messages that can be in flight at once (e.g. K MQTT connections × 1); reaching it flushes. */
  inFlightLimit = Number.POSITIVE_INFINITY;
  /** Flush once the event loop has no more arrivals to hand over (aedes hands over one socket read at once). */
  flushWhenIdle = false;
  lastError: unknown = null;

  constructor(private readonly hooks: BatchWriterHooks, options: Partial<BatchWriterOptions> = {}) {
    this.options = { ...DEFAULT_BATCH_WRITER_OPTIONS, ...options };
  }

  get state(): WriterState {
    if (this.closed) return 'closed';
    if (this.retryTimer !== null) return 'retrying';
    return this.inFlight.length > 0 ? 'committing' : 'idle';
  }

  /** Messages admitted and not yet answered. */
  get buffered(): number {
    return this.queue.length + this.deferred.length + this.inFlight.reduce((n, b) => n + b.length, 0) + this.splits.reduce((n, s) => n + s.length, 0);
  }

  /** Messages held back because the buffer is full. */
  get backlogged(): number {
    return this.waiting.length;
  }

  submit(item: IntakeItem): Promise<IngestResult> {
    if (this.closing) return Promise.reject(SW_INGEST_STOPPING());
    return new Promise<IngestResult>((resolve, reject) => {
      const entry: Entry = { item, firstSeenMs: Date.now(), resolve, reject };
      if (this.buffered >= this.options.maxBuffered) {
        this.waiting.push(entry);
        return;
      }
      this.queue.push(entry);
      this.arrivals += 1;
      this.schedule();
    });
  }

  /**
   * Stop taking messages; commit what is admitted (as long as the database answers, up to
   * timeoutMs), then reject whatever is left so the transport does not ack it.
   */
  async close(timeoutMs: number): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    this.rejectAll(this.waiting);
    this.rejectAll(this.deferred);
    const done = new Promise<void>((resolve) => this.drained.push(resolve));
    this.schedule();
    this.checkDrained();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([done, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    this.closed = true;
    this.clearTimers();
    this.rejectAll(this.queue);
    for (const split of this.splits.splice(0)) this.rejectAll(split);
    this.checkDrained();
  }

  /**
   * afterCommit: whatever arrived while the last batch committed goes at once (group commit). With
   * transports that hold one message per connection, a batch also goes when half of what can be in
   * flight is waiting: then one half commits while the other half arrives, and the database and the
   * broker work at the same time instead of taking turns.
   */
  private schedule(afterCommit = false): void {
    if (this.retryTimer !== null || this.closed || this.alone) return;
    if (this.inFlight.length > 0) {
      // A second batch only once half a batch waits and may go beside the first (else it fills: group commit).
      if (this.inFlight.length < this.options.maxInFlight && this.splits.length === 0 && this.queue.length >= Math.ceil(this.options.maxRows / 2) && !holdsStatus(this.queue, this.options.maxRows)) void this.flush();
      return;
    }
    if (this.splits.length > 0) return void this.flush();
    if (this.queue.length === 0) return;
    const full =
      afterCommit ||
      this.queue.length >= this.options.maxRows ||
      this.queue.length + this.deferred.length >= Math.ceil(this.inFlightLimit / 2) ||
      this.closing;
    if (full) return void this.flush();
    if (this.flushWhenIdle && this.idleCheck === null) {
      const seen = this.arrivals;
      this.idleCheck = setImmediate(() => {
        this.idleCheck = null;
        if (this.arrivals === seen) void this.flush();
        else this.schedule();
      });
    }
    if (this.waitTimer === null) {
      const waitedMs = Date.now() - this.queue[0]!.firstSeenMs;
      this.waitTimer = setTimeout(() => {
        this.waitTimer = null;
        void this.flush();
      }, Math.max(0, this.options.maxWaitMs - waitedMs));
    }
  }

  private async flush(): Promise<void> {
    if (this.retryTimer !== null || this.closed || this.alone || this.inFlight.length >= this.options.maxInFlight) return;
    const split = this.splits.length > 0;
    const mustBeAlone = split || holdsStatus(this.queue, this.options.maxRows);
    if (this.inFlight.length > 0 && mustBeAlone) return; // goes once the batch in flight has committed
    this.clearFlushTimers();
    const batch = this.splits.shift() ?? this.queue.splice(0, this.options.maxRows);
    if (batch.length === 0) return;
    this.inFlight.push(batch);
    this.alone = mustBeAlone;
    const startedAt = process.hrtime.bigint();
    let outcome: BatchOutcome;
    try {
      outcome = await this.hooks.commit(batch.map((e) => e.item), batch.map((e) => e.firstSeenMs), Date.now());
    } catch (err) {
      this.land(batch);
      this.onFailure(batch, err);
      return;
    }
    this.land(batch);
    this.attempt = 0;
    this.lastError = null;
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    let deferredAny = false;
    batch.forEach((entry, i) => {
      const result = outcome.outcomes[i]!;
      if (result === 'deferred') {
        this.deferred.push(entry);
        deferredAny = true;
      } else entry.resolve(result);
    });
    const stored = outcome.outcomes.filter((o) => o !== 'deferred').length;
    try {
      this.hooks.committed({ rows: stored, seconds, outcome });
    } finally {
      // New devices may be what the deferred messages wait for: look again now.
      if (outcome.devices.some((d) => d.registered)) this.requeueDeferred();
      else if (deferredAny) this.armDeferTimer();
      this.admitWaiting();
      this.schedule(this.inFlight.length === 0);
      this.checkDrained();
    }
  }

  /** A batch's commit ended (either way): it is no longer in flight. */
  private land(batch: Entry[]): void {
    this.inFlight = this.inFlight.filter((b) => b !== batch);
    if (this.inFlight.length === 0) this.alone = false;
  }

  private onFailure(batch: Entry[], err: unknown): void {
    this.lastError = err;
    if (this.closed) return this.rejectAll(batch);
    const kind = classifyDbFailure(err);
    if (kind === 'data') {
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        this.splits.unshift(batch.slice(0, half), batch.slice(half));
        this.hooks.failed(err, kind, 0, batch.length);
        this.schedule();
        return;
      }
      const entry = batch[0]!;
      if (!entry.isolated) {
        this.hooks.refused(entry.item, err);
        entry.isolated = true;
        entry.item = asRefused(entry.item, err);
        this.splits.unshift([entry]);
        this.schedule();
        return;
      }
      // The dead letter itself was refused: nothing left to try. Answer it so ingest goes on.
      this.hooks.refused(entry.item, err);
      entry.resolve('dead_letter');
      this.schedule();
      this.checkDrained();
      return;
    }
    const delayMs = backoffDelayMs(this.attempt, this.options.retryInitialMs, this.options.retryMaxMs);
    this.attempt += 1;
    this.splits.unshift(batch); // retried as it was, before anything newer
    this.hooks.failed(err, kind, delayMs, batch.length);
    if (this.retryTimer !== null) return; // the other batch in flight failed first: one retry for both
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.schedule();
      if (this.inFlight.length === 0 && this.queue.length > 0) void this.flush();
    }, delayMs);
  }

  private requeueDeferred(): void {
    if (this.deferTimer !== null) clearTimeout(this.deferTimer);
    this.deferTimer = null;
    this.queue.unshift(...this.deferred.splice(0));
  }

  private armDeferTimer(): void {
    if (this.deferTimer !== null) return;
    this.deferTimer = setTimeout(() => {
      this.deferTimer = null;
      this.requeueDeferred();
      this.schedule();
    }, this.options.deferRecheckMs);
  }

  private admitWaiting(): void {
    while (this.waiting.length > 0 && this.buffered < this.options.maxBuffered) {
      this.queue.push(this.waiting.shift()!);
      this.arrivals += 1;
    }
  }

  private rejectAll(entries: Entry[]): void {
    for (const entry of entries.splice(0)) entry.reject(SW_INGEST_STOPPING());
  }

  private checkDrained(): void {
    if (!this.closing || this.buffered > 0) return;
    for (const resolve of this.drained.splice(0)) resolve();
  }

  private clearFlushTimers(): void {
    if (this.waitTimer !== null) clearTimeout(this.waitTimer);
    if (this.idleCheck !== null) clearImmediate(this.idleCheck);
    this.waitTimer = null;
    this.idleCheck = null;
  }

  private clearTimers(): void {
    this.clearFlushTimers();
    for (const timer of [this.retryTimer, this.deferTimer]) if (timer !== null) clearTimeout(timer);
    this.retryTimer = null;
    this.deferTimer = null;
  }
}

function asRefused(item: IntakeItem, err: unknown): RejectedItem {
  const message = err instanceof Error ? err.message : String(err);
  return {
    topic: item.topic,
    payload: item.payload,
    clientId: item.clientId,
    receivedAtMs: item.receivedAtMs,
    accepted: false,
    reasonCode: 'db_rejected',
    reason: `the database refused the row: ${message.slice(0, 300)}`,
    deviceId: item.deviceId,
  };
}

/** Whether the next batch (the first `rows` queued) holds a status message: a device's birth or last will. */
function holdsStatus(queue: readonly Entry[], rows: number): boolean {
  const end = Math.min(queue.length, rows);
  for (let i = 0; i < end; i++) {
    const item = queue[i]!.item;
    if (item.accepted && item.kind === 'status') return true;
  }
  return false;
}
