import { NOTIFY_CHANNELS, type Queryable } from '@streetwise/db';
import type { EventMessage, HealthMessage, Severity, StatusMessage, TelemetryMessage } from '@streetwise/protocol';
import * as sql from './batch-sql.js';
import { applyIncidentRules, isSafetyEvent, type IncidentRules, type OpenIncident, type SafetyEvent } from './incident-rules.js';
import { devicePayloads, eventPayloads, incidentPayloads } from './notify-payloads.js';
import { birthColumns, deadLetterColumns, eventColumns, healthColumns, telemetryColumns, type Timed } from './row-columns.js';
import type {
  AcceptedItem,
  DeadLetterSummary,
  DeviceChange,
  IncidentChange,
  IngestResult,
  IntakeItem,
  RejectedItem,
  StoredEvent,
} from './types.js';

/**
 * One batch, inside one transaction: look up the batch's devices, register births, refuse blocked
 * and unknown devices, insert events/telemetry/health (duplicates skipped by their message id),
 * run the incident rules on the events that were new, write dead letters, and NOTIFY — all of it
 * commits together or not at all. Acks are the caller's business, after this resolves.
 */
export interface BatchContext {
  rules: IncidentRules;
  /** A message from a device nobody registered waits this long for the device's birth, ms. */
  unknownDeviceGraceMs: number;
  /** Send NOTIFY sw_events / sw_incidents / sw_devices with the batch. */
  notify: boolean;
  nowMs: number;
  newId: () => string;
}

/** Per item: what happened, or 'deferred' (unknown device, still within its grace). */
export type ItemOutcome = IngestResult | 'deferred';

export interface BatchOutcome {
  outcomes: ItemOutcome[];
  events: StoredEvent[];
  incidents: IncidentChange[];
  devices: DeviceChange[];
  deadLetters: DeadLetterSummary[];
}

interface DeviceRow {
  id: string;
  blocked: boolean;
  district: string | null;
}

export async function commitBatch(
  tx: Queryable,
  items: readonly IntakeItem[],
  firstSeenMs: readonly number[],
  ctx: BatchContext,
): Promise<BatchOutcome> {
  const outcomes: ItemOutcome[] = new Array<ItemOutcome>(items.length);
  const dead: RejectedItem[] = [];
  const deadIndex: number[] = [];
  const reject = (index: number, item: IntakeItem, reasonCode: RejectedItem['reasonCode'], reason: string): void => {
    dead.push({ topic: item.topic, payload: item.payload, clientId: item.clientId, receivedAtMs: item.receivedAtMs, accepted: false, reasonCode, reason, deviceId: item.deviceId });
    deadIndex.push(index);
  };

  // In-batch dedupe: a redelivery arriving next to its original is answered with the original's fate.
  const firstById = new Map<string, number>();
  const copyOf = new Map<number, number>();
  const accepted: number[] = [];
  items.forEach((item, index) => {
    if (!item.accepted) return reject(index, item, item.reasonCode, item.reason);
    const first = firstById.get(item.message.id);
    if (first !== undefined) copyOf.set(index, first);
    else {
      firstById.set(item.message.id, index);
      accepted.push(index);
    }
  });

  const deviceIds = [...new Set(accepted.map((i) => (items[i] as AcceptedItem).deviceId))];
  const devices = new Map<string, DeviceRow>();
  if (deviceIds.length > 0) {
    const found = await tx.query<DeviceRow>(sql.SELECT_DEVICES, [deviceIds]);
    for (const row of found.rows) devices.set(row.id, row);
  }
  const bornInBatch = new Set<string>();
  for (const i of accepted) {
    const item = items[i] as AcceptedItem;
    if (item.kind === 'status' && item.message.state === 'online' && devices.get(item.deviceId)?.blocked !== true) bornInBatch.add(item.deviceId);
  }

  const events: Array<Timed<EventMessage> & { index: number }> = [];
  const telemetry: Array<Timed<TelemetryMessage> & { index: number }> = [];
  const health: Array<Timed<HealthMessage> & { index: number }> = [];
  const lastBirth = new Map<string, StatusMessage>();
  const finalState = new Map<string, 'online' | 'offline'>();
  for (const i of accepted) {
    const item = items[i] as AcceptedItem;
    const device = devices.get(item.deviceId);
    if (device?.blocked === true) {
      reject(i, item, 'blocked_device', `device "${item.deviceId}" is blocked`);
      continue;
    }
    if (device === undefined && !bornInBatch.has(item.deviceId)) {
      if (ctx.nowMs - firstSeenMs[i]! < ctx.unknownDeviceGraceMs) outcomes[i] = 'deferred';
      else reject(i, item, 'unknown_device', `device "${item.deviceId}" is not registered: it must publish its birth (status "online" with kind and location) first`);
      continue;
    }
    const timed = { message: item.message, receivedAtMs: item.receivedAtMs, index: i };
    switch (item.kind) {
      case 'event':
        events.push(timed as Timed<EventMessage> & { index: number });
        break;
      case 'telemetry':
        telemetry.push(timed as Timed<TelemetryMessage> & { index: number });
        break;
      case 'health':
        health.push(timed as Timed<HealthMessage> & { index: number });
        break;
      case 'status':
        finalState.set(item.deviceId, item.message.state);
        if (item.message.state === 'online') lastBirth.set(item.deviceId, item.message);
        outcomes[i] = 'stored';
        break;
    }
  }

  const deviceChanges = await writeStatuses(tx, lastBirth, finalState);
  const stored = new Set<string>();
  for (const [rows, statement, columns] of [
    [events, sql.INSERT_EVENTS, eventColumns],
    [telemetry, sql.INSERT_TELEMETRY, telemetryColumns],
    [health, sql.INSERT_HEALTH, healthColumns],
  ] as const) {
    if (rows.length === 0) continue;
    const result = await tx.query<{ id: string }>(statement, columns(rows as never));
    for (const row of result.rows) stored.add(row.id);
    for (const row of rows) outcomes[row.index] = stored.has(row.message.id) ? 'stored' : 'duplicate';
  }

  const storedEvents = events.filter((e) => stored.has(e.message.id));
  const incidents = await runIncidentRules(tx, storedEvents, devices, ctx);

  if (dead.length > 0) await tx.query(sql.INSERT_DEAD_LETTERS, deadLetterColumns(dead));
  for (const i of deadIndex) outcomes[i] = 'dead_letter';
  for (const [copy, first] of copyOf) outcomes[copy] = outcomes[first] === 'deferred' ? 'deferred' : 'duplicate';

  const touched = [...new Set([...telemetry, ...health, ...events].filter((r) => stored.has(r.message.id)).map((r) => r.message.deviceId))];
  if (touched.length > 0) await tx.query(sql.TOUCH_DEVICES, [touched]);

  const summaries: StoredEvent[] = storedEvents.map(({ message: m }) => ({
    id: m.id, deviceId: m.deviceId, type: m.type, severity: m.severity, ts: m.ts, lat: m.location.lat, lon: m.location.lon,
  }));
  if (ctx.notify) await sendNotifications(tx, summaries, incidents, deviceChanges);
  return {
    outcomes,
    events: summaries,
    incidents,
    devices: deviceChanges,
    deadLetters: dead.map(({ topic, reasonCode, reason, clientId, deviceId }) => ({ topic, reasonCode, reason, clientId, deviceId })),
  };
}

/** Births upsert the device (last birth of the batch wins); a lone last will marks it offline. */
async function writeStatuses(
  tx: Queryable,
  lastBirth: ReadonlyMap<string, StatusMessage>,
  finalState: ReadonlyMap<string, 'online' | 'offline'>,
): Promise<DeviceChange[]> {
  const changes: DeviceChange[] = [];
  if (lastBirth.size > 0) {
    const result = await tx.query<{ id: string; state: 'online' | 'offline'; registered: boolean; changed: boolean }>(
      sql.UPSERT_BIRTHS,
      birthColumns([...lastBirth.values()], finalState),
    );
    for (const row of result.rows) if (row.registered || row.changed) changes.push({ id: row.id, state: row.state, registered: row.registered });
  }
  const offline = [...finalState].filter(([id, state]) => state === 'offline' && !lastBirth.has(id)).map(([id]) => id);
  if (offline.length > 0) {
    const result = await tx.query<{ id: string }>(sql.MARK_OFFLINE, [offline]);
    for (const row of result.rows) changes.push({ id: row.id, state: 'offline', registered: false });
  }
  return changes;
}

interface IncidentRow {
  id: string;
  device_id: string;
  type: string;
  status: OpenIncident['status'];
  district: string | null;
  severity: Severity;
  event_count: number;
  opened_at: Date | string;
  last_event_at: Date | string;
  last_event_id: string;
  lat: number;
  lon: number;
}

async function runIncidentRules(
  tx: Queryable,
  storedEvents: ReadonlyArray<Timed<EventMessage>>,
  devices: ReadonlyMap<string, DeviceRow>,
  ctx: BatchContext,
): Promise<IncidentChange[]> {
  const safety: SafetyEvent[] = [];
  for (const { message: m } of storedEvents) {
    if (!isSafetyEvent(m.type, m.severity, ctx.rules)) continue;
    safety.push({
      id: m.id, deviceId: m.deviceId, type: m.type, severity: m.severity, tsMs: Date.parse(m.ts),
      lat: m.location.lat, lon: m.location.lon, district: devices.get(m.deviceId)?.district ?? null,
    });
  }
  if (safety.length === 0) return [];
  const longestWindowMs = Math.max(...safety.map((e) => ctx.rules[e.type as keyof IncidentRules]?.windowMs ?? 0));
  const sinceMs = Math.min(...safety.map((e) => e.tsMs)) - longestWindowMs;
  await tx.query(sql.LOCK_INCIDENTS);
  const open = await tx.query<IncidentRow>(sql.SELECT_OPEN_INCIDENTS, [
    [...new Set(safety.map((e) => e.deviceId))],
    [...new Set(safety.map((e) => e.type))],
    new Date(sinceMs).toISOString(),
  ]);
  const decision = applyIncidentRules(
    safety,
    open.rows.map((r) => ({
      id: r.id, deviceId: r.device_id, type: r.type, status: r.status, district: r.district, severity: r.severity,
      eventCount: Number(r.event_count), openedAtMs: new Date(r.opened_at).getTime(), lastEventAtMs: new Date(r.last_event_at).getTime(),
      lastEventId: r.last_event_id, lat: Number(r.lat), lon: Number(r.lon),
    })),
    ctx.rules,
    ctx.newId,
  );
  const iso = (ms: number): string => new Date(ms).toISOString();
  if (decision.opened.length > 0) {
    const o = decision.opened;
    await tx.query(sql.INSERT_INCIDENTS, [
      o.map((i) => i.id), o.map((i) => i.type), o.map((i) => i.severity), o.map((i) => i.deviceId), o.map((i) => i.district),
      o.map((i) => i.lat), o.map((i) => i.lon), o.map((i) => i.firstEventId), o.map((i) => i.lastEventId), o.map((i) => i.eventCount),
      o.map((i) => iso(i.openedAtMs)), o.map((i) => iso(i.lastEventAtMs)),
    ]);
  }
  if (decision.updated.length > 0) {
    const u = decision.updated;
    await tx.query(sql.UPDATE_INCIDENTS, [u.map((i) => i.id), u.map((i) => i.addedEvents), u.map((i) => i.lastEventId), u.map((i) => iso(i.lastEventAtMs)), u.map((i) => i.severity), u.map((i) => iso(i.openedAtMs))]);
  }
  if (decision.log.length > 0) {
    const l = decision.log;
    await tx.query(sql.INSERT_INCIDENT_LOG, [l.map((e) => e.incidentId), l.map((e) => e.action), l.map((e) => JSON.stringify(e.details))]);
  }
  return decision.changes;
}

async function sendNotifications(tx: Queryable, events: StoredEvent[], incidents: IncidentChange[], devices: DeviceChange[]): Promise<void> {
  const channels: string[] = [];
  const payloads: string[] = [];
  const add = (channel: string, list: string[]): void => {
    for (const payload of list) {
      channels.push(channel);
      payloads.push(payload);
    }
  };
  add(NOTIFY_CHANNELS.devices, devicePayloads(devices));
  add(NOTIFY_CHANNELS.incidents, incidentPayloads(incidents));
  add(NOTIFY_CHANNELS.events, eventPayloads(events));
  if (channels.length > 0) await tx.query(sql.NOTIFY_MANY, [channels, payloads]);
}
