/**
 * The incident step: ingest's rules, run apart from the batches. A batch statement queues its new safety
 * events (incident_queue, migration 0014) in the same statement that stores them; this step takes
 * everything queued, in its own transaction — BEGIN with the rules' advisory lock (one decision at a time
 * across workers), one statement that deletes what it takes and reads the open incidents those events may
 * join, the rules' writes, and their NOTIFY with the COMMIT — so one step decides the safety events of
 * several batches. Nothing is lost in between: the queue is in the database, and every worker runs a step
 * when it starts and whenever one of its batches queued something. At most one step runs per worker, and
 * a new one starts at most every `intervalMs` (the events of that time are decided together).
 */
import type { Database } from '@streetwise/db';
import { INGEST_ACTOR, INGEST_RULES_LOCK_SQL, openIncidentsSql, toOpenIncident, writeRuleChanges, type IncidentMessage, type OpenIncidentSqlRow } from '@streetwise/incidents';
import type { Severity } from '@streetwise/protocol';
import { backoffDelayMs } from '../write/db-failure.js';
import { applyIncidentRules, type IncidentRules, type SafetyEvent } from './incident-rules.js';

export interface IncidentStepOptions {
  rules: IncidentRules;
  /** Send the sw_incidents NOTIFY with the writes. */
  notify: boolean;
  newId: () => string;
  /** Least time from one step's start to the next one's, ms. Default 50. */
  intervalMs?: number;
  /** Most queued events one step takes (the rest go in the next, at once). Default 5,000. */
  maxPerStep?: number;
  /** Retry delays after a failed step (the queue stays as it was), ms. Defaults 100 and 5,000. */
  retryInitialMs?: number;
  retryMaxMs?: number;
}

export interface IncidentStepHooks {
  /** A step committed: the sw_incidents messages of what it opened or changed, and how many events it took. */
  decided(messages: IncidentMessage[], taken: number, seconds: number): void;
  failed(err: unknown, retryInMs: number): void;
}

interface QueueRow {
  event_id: string;
  device_id: string;
  type: string;
  severity: Severity;
  ts: string;
  lat: number;
  lon: number;
  district: string | null;
}

/**
 * $1 most rows to take, $2 the longest rule window in ms. Rows 'q': the events taken (deleted), oldest first;
 * rows 'x': the open incidents of their devices and types whose last event is within the window before the
 * earliest of them. One snapshot, taken after the lock: every other worker's decisions are in it.
 */
const TAKE_QUEUE_SQL = `
with taken as (
  delete from incident_queue
  where event_id in (select event_id from incident_queue order by queued_at, event_id limit $1::int)
  returning event_id, device_id, type, severity, ts, lat, lon, district
)
select 'q' as k, row_to_json(t)::text as v from taken t
union all
select 'x', row_to_json(o)::text from (${openIncidentsSql(
  'array(select distinct device_id from taken)',
  'array(select distinct type from taken)',
  `(select min(ts) from taken) - $2::bigint * interval '1 millisecond'`,
)}) o`;

export class IncidentStep {
  private readonly intervalMs: number;
  private readonly maxPerStep: number;
  private readonly longestWindowMs: number;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Something may be queued that no step has taken yet. */
  private pending = false;
  private lastStartMs = 0;
  private attempt = 0;
  private closed = false;

  constructor(private readonly db: Database, private readonly options: IncidentStepOptions, private readonly hooks: IncidentStepHooks) {
    this.intervalMs = options.intervalMs ?? 50;
    this.maxPerStep = options.maxPerStep ?? 5_000;
    this.longestWindowMs = Math.max(0, ...Object.values(options.rules).map((rule) => rule?.windowMs ?? 0));
  }

  /** Safety events were queued (or may be, as at start): take them soon. */
  poke(): void {
    if (this.closed) return;
    this.pending = true;
    this.schedule();
  }

  /** Finish the running step and take what is still queued, for at most timeoutMs; what is left waits for the next start. */
  async close(timeoutMs: number): Promise<void> {
    if (this.closed) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    // Steps one after another, without the interval, until nothing is pending; not while the database fails.
    const drain = async (): Promise<void> => {
      for (;;) {
        if (this.running !== null) await this.running;
        else if (this.pending && this.attempt === 0) {
          if (this.timer !== null) clearTimeout(this.timer);
          this.timer = null;
          this.run();
        } else return;
      }
    };
    await Promise.race([drain(), deadline]);
    clearTimeout(timer);
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.running !== null || this.timer !== null || !this.pending || this.closed) return;
    const waitMs = Math.max(0, this.lastStartMs + this.intervalMs - Date.now());
    if (waitMs === 0) return this.run();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run();
    }, waitMs);
  }

  private run(): void {
    this.pending = false;
    this.lastStartMs = Date.now();
    this.running = this.step().then(
      (full) => {
        this.attempt = 0;
        if (full) this.pending = true; // more than one step's worth was queued
      },
      (err: unknown) => {
        this.pending = true; // the transaction rolled back: the queue is as it was
        const delayMs = backoffDelayMs(this.attempt, this.options.retryInitialMs ?? 100, this.options.retryMaxMs ?? 5_000);
        this.attempt += 1;
        this.hooks.failed(err, delayMs);
        this.lastStartMs = Date.now() + delayMs - this.intervalMs;
      },
    ).finally(() => {
      this.running = null;
      this.schedule();
    });
  }

  /** One step; resolves true when it took as many as it may (so more may wait). */
  private async step(): Promise<boolean> {
    const started = process.hrtime.bigint();
    const [messages, taken] = await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ k: string; v: string }>(TAKE_QUEUE_SQL, [this.maxPerStep, this.longestWindowMs]);
      const events: SafetyEvent[] = [];
      const open = [];
      for (const row of rows) {
        if (row.k === 'q') {
          const q = JSON.parse(row.v) as QueueRow;
          events.push({ id: q.event_id, deviceId: q.device_id, type: q.type, severity: q.severity, tsMs: Date.parse(q.ts), lat: q.lat, lon: q.lon, district: q.district });
        } else open.push(toOpenIncident(JSON.parse(row.v) as OpenIncidentSqlRow));
      }
      if (events.length === 0) return [[], 0] as const;
      const decision = applyIncidentRules(events, open, this.options.rules, this.options.newId);
      const changes = { opened: decision.opened, touched: decision.updated, log: decision.log, changes: decision.changes };
      return [await writeRuleChanges(tx, changes, INGEST_ACTOR, this.options.notify), events.length] as const;
    }, { atBegin: INGEST_RULES_LOCK_SQL });
    if (taken > 0) this.hooks.decided([...messages], taken, Number(process.hrtime.bigint() - started) / 1e9);
    return taken >= this.maxPerStep;
  }
}
