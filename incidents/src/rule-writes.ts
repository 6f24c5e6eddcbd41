/**
 * What ingest's incident rules read and write, inside the rules' transaction (after it took the advisory
 * lock that serialises concurrent ingest workers' decisions, INGEST_RULES_LOCK_SQL, with its BEGIN).
 */
import type { Queryable, TransactionQueryable } from '@streetwise/db';
import type { Severity } from '@streetwise/protocol';
import { buildIncidentMessage, encodeIncidentNotification, type IncidentMessage, type IncidentView } from './incident-message.js';
import * as sql from './incident-sql.js';
import type { Actor, IncidentStatus, RuleLogAction } from './vocabulary.js';

/** An incident that is not resolved, as ingest's rules need it. */
export interface OpenIncidentRow {
  id: string;
  deviceId: string;
  type: string;
  status: Exclude<IncidentStatus, 'resolved'>;
  district: string | null;
  severity: Severity;
  eventCount: number;
  openedAtMs: number;
  lastEventAtMs: number;
  lastEventId: string;
  lat: number;
  lon: number;
}

/** Taken with BEGIN by every ingest worker's rules step: one decision at a time across workers. */
export const INGEST_RULES_LOCK_SQL = 'SELECT pg_advisory_xact_lock(7411)';

/** A row of the open-incident read: as the driver returns it, or through row_to_json (timestamps as text). */
export interface OpenIncidentSqlRow {
  id: string;
  device_id: string;
  type: string;
  status: OpenIncidentRow['status'];
  district: string | null;
  severity: Severity;
  event_count: number;
  opened_at: Date | string;
  last_event_at: Date | string;
  last_event_id: string;
  lat: number;
  lon: number;
}

/** Incidents that are not resolved, of these devices and types, whose last event is at or after sinceMs. */
export async function selectOpenIncidents(q: Queryable, deviceIds: readonly string[], types: readonly string[], sinceMs: number): Promise<OpenIncidentRow[]> {
  const { rows } = await q.query<OpenIncidentSqlRow>(sql.SELECT_OPEN_INCIDENTS, [[...deviceIds], [...types], new Date(sinceMs).toISOString()]);
  return rows.map(toOpenIncident);
}

export function toOpenIncident(r: OpenIncidentSqlRow): OpenIncidentRow {
  return {
    id: r.id, deviceId: r.device_id, type: r.type, status: r.status, district: r.district, severity: r.severity,
    eventCount: Number(r.event_count), openedAtMs: new Date(r.opened_at).getTime(), lastEventAtMs: new Date(r.last_event_at).getTime(),
    lastEventId: r.last_event_id, lat: Number(r.lat), lon: Number(r.lon),
  };
}

/** A new incident from ingest's rules (status open, version 1). */
export interface OpenedIncident {
  id: string;
  type: string;
  severity: Severity;
  deviceId: string;
  district: string | null;
  lat: number;
  lon: number;
  firstEventId: string;
  lastEventId: string;
  eventCount: number;
  openedAtMs: number;
  lastEventAtMs: number;
}

/** New events joining an incident that is not resolved. */
export interface IncidentTouch {
  id: string;
  addedEvents: number;
  lastEventId: string;
  lastEventAtMs: number;
  /** The incident's severity after these events (never lower than before). */
  severity: Severity;
  /** Earlier than before when a late event belongs before the incident's first one. */
  openedAtMs: number;
}

export interface RuleLogRow {
  incidentId: string;
  action: RuleLogAction;
  details: Record<string, unknown>;
}

export interface RuleChanges {
  opened: readonly OpenedIncident[];
  touched: readonly IncidentTouch[];
  log: readonly RuleLogRow[];
  /** One per changed incident, in the order its message goes out: what happened to it. */
  changes: ReadonlyArray<{ incidentId: string; action: RuleLogAction }>;
}

/**
 * Write what ingest's rules decided (inside the rules' transaction) and, when `notify`, send one
 * sw_incidents message per changed incident, with the COMMIT (in its round trip on the embedded database).
 * Returns the messages, in the order of `changes`.
 */
export async function writeRuleChanges(tx: TransactionQueryable, decision: RuleChanges, actor: Actor, notify: boolean): Promise<IncidentMessage[]> {
  if (decision.changes.length === 0 && decision.log.length === 0) return [];
  const iso = (ms: number): string => new Date(ms).toISOString();
  const { opened: o, touched: u, log: l, changes: c } = decision;
  const { rows } = await tx.query<{ action: RuleLogAction; incident: IncidentView }>(sql.WRITE_RULE_CHANGES, [
    o.map((i) => i.id), o.map((i) => i.type), o.map((i) => i.severity), o.map((i) => i.deviceId), o.map((i) => i.district),
    o.map((i) => i.lat), o.map((i) => i.lon), o.map((i) => i.firstEventId), o.map((i) => i.lastEventId), o.map((i) => i.eventCount),
    o.map((i) => iso(i.openedAtMs)), o.map((i) => iso(i.lastEventAtMs)),
    u.map((i) => i.id), u.map((i) => i.addedEvents), u.map((i) => i.lastEventId), u.map((i) => iso(i.lastEventAtMs)), u.map((i) => i.severity), u.map((i) => iso(i.openedAtMs)),
    l.map((e) => e.incidentId), l.map((e) => e.action), l.map((e) => JSON.stringify(e.details)),
    actor.kind, actor.id,
    c.map((e) => e.incidentId), c.map((e) => e.action),
  ]);
  const messages = rows.map((r) => buildIncidentMessage(r.action, r.incident, actor));
  if (notify && messages.length > 0) tx.queryAtCommit(sql.NOTIFY_INCIDENTS, [messages.map((m) => encodeIncidentNotification(m))]);
  return messages;
}
