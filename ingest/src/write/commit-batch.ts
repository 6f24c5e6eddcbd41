import type { Database, Queryable } from '@streetwise/db';
import type { IncidentMessage } from '@streetwise/incidents';
import { planBatch, finishOutcomes, type ItemOutcome } from './batch-plan.js';
import { buildBatchStatement, readBatchResult } from './batch-statement.js';
import type { QueuedSafetyEvent } from './kinds/incident-queue.js';
import * as sql from './batch-sql.js';
import type { DeviceCache, KnownDevice } from './device-cache.js';
import { isSafetyEvent, type IncidentRules } from '../incidents/incident-rules.js';
import { eventSummaries } from '../notify/notify-payloads.js';
import type { RowKindName } from './kinds/kind.js';
import { ROW_KIND_NAMES } from './kinds/registry.js';
import { birthRows } from './kinds/status.js';
import type { DeadLetterSummary, DeviceChange, IntakeItem, StoredEvent } from '../types.js';

export type { ItemOutcome } from './batch-plan.js';

/**
 * Commit one batch, all or nothing, as ONE statement (batch-statement.ts): births, last wills, rows, dead
 * letters, last_seen_at, NOTIFY, and the new safety events queued for the incident rules, atomic by itself.
 * The rules run apart (incidents/incident-step.ts), told by queuedSafety. Acks are the caller's business,
 * after this resolves.
 */
export interface BatchContext {
  rules: IncidentRules;
  /** Devices known from earlier batches (see device-cache.ts). */
  devices: DeviceCache;
  /** A message from a device nobody registered waits this long for the device's birth, ms. */
  unknownDeviceGraceMs: number;
  /** Send NOTIFY sw_events / sw_incidents / sw_devices with the batch. */
  notify: boolean;
  nowMs: number;
  newId: () => string;
}

export interface BatchOutcome {
  outcomes: ItemOutcome[];
  events: StoredEvent[];
  incidents: IncidentMessage[];
  devices: DeviceChange[];
  deadLetters: DeadLetterSummary[];
  /** Safety events the statement queued for the incident rules (0: nothing for the rules step to do). */
  queuedSafety: number;
}

interface ResultRow {
  k: string;
  id: string | null;
  state: string | null;
  registered: boolean | null;
}

export async function commitBatch(db: Database, items: readonly IntakeItem[], firstSeenMs: readonly number[], ctx: BatchContext): Promise<BatchOutcome> {
  const deviceIds = items.flatMap((item) => (item.accepted ? [item.deviceId] : []));
  // No await when every device is cached: the statement reaches the database before the previous
  // batch's acks (already queued as microtasks) are written, so the database does not wait for them.
  const looked = lookUpDevices(db, deviceIds, ctx);
  const devices = looked instanceof Map ? looked : await looked;
  const plan = planBatch(items, firstSeenMs, devices, ctx);

  const statusDevices = new Set(plan.finalState.keys());
  const summaries: StoredEvent[] = plan.rows.event.map(({ message: m }) => ({
    id: m.id, deviceId: m.deviceId, type: m.type, severity: m.severity, ts: m.ts, lat: m.location.lat, lon: m.location.lon,
  }));
  const safety: QueuedSafetyEvent[] = summaries
    .filter((e) => isSafetyEvent(e.type, e.severity, ctx.rules))
    .map((e) => ({ ...e, district: devices.get(e.deviceId)?.district ?? null }));
  const statement = buildBatchStatement({
    births: birthRows(plan.births, plan.finalState),
    offline: [...plan.finalState].filter(([id, state]) => state === 'offline' && !plan.births.has(id)).map(([id]) => id),
    rows: plan.rows,
    eventSummaries: ctx.notify ? eventSummaries(summaries.filter((e) => e.severity !== 'info')) : undefined,
    deadLetters: plan.deadLetters,
    // A device whose status is written in this statement gets last_seen_at there (one write per row and statement).
    touch: ctx.devices.dueForTouch([...plan.seenDevices].filter((id) => !statusDevices.has(id)), ctx.nowMs),
    offlineIncidentIds: new Map([...plan.finalState].filter(([, state]) => state === 'offline').map(([id]) => [id, ctx.newId()])),
    queueSafety: safety,
    notify: ctx.notify,
  });

  const given: { [K in RowKindName]?: string[] } = {};
  for (const kind of ROW_KIND_NAMES) given[kind] = plan.rows[kind].map((r) => r.message.id);
  // One statement, atomic by itself: safety events go to the incident queue with their rows, and the rules
  // step (incidents/incident-step.ts) decides them in its own transaction, for several batches at once.
  const written = readBatchResult((await db.query<ResultRow>(statement.sql, statement.params)).rows, given);

  return {
    outcomes: finishOutcomes(plan, written.stored),
    events: summaries.filter((e) => written.stored.has(e.id)),
    incidents: written.incidents,
    queuedSafety: written.queued,
    devices: written.devices,
    deadLetters: plan.deadLetters.map(({ topic, reasonCode, reason, clientId, deviceId }) => ({ topic, reasonCode, reason, clientId, deviceId })),
  };
}

/** Devices of the batch: from the cache when fresh (at once), else one read (which refreshes the cache). */
function lookUpDevices(db: Queryable, ids: readonly string[], ctx: BatchContext): Map<string, KnownDevice> | Promise<Map<string, KnownDevice>> {
  const devices = new Map<string, KnownDevice>();
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const cached = ctx.devices.get(id, ctx.nowMs);
    if (cached !== undefined) devices.set(id, cached);
    else missing.push(id);
  }
  if (missing.length === 0) return devices;
  return db.query<KnownDevice>(sql.SELECT_DEVICES, [missing]).then((found) => {
    for (const row of found.rows) {
      devices.set(row.id, row);
      ctx.devices.remember(row, ctx.nowMs);
    }
    return devices;
  });
}
