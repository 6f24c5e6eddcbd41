/** Reading incidents: lists, one incident with its log, and the events that raised it, as the HTTP API returns them. */
import type { Queryable } from '@streetwise/db';
import type { Severity } from '@streetwise/protocol';
import type { IncidentView } from './incident-message.js';
import * as sql from './incident-sql.js';
import type { ActorKind, IncidentStatus, LogAction } from './vocabulary.js';

export interface IncidentListFilter {
  status?: IncidentStatus | undefined;
  /** Only incidents that are not resolved. */
  active?: boolean | undefined;
  /** Any of these districts (as stored). */
  districts?: readonly string[] | undefined;
  /** Any of these devices. */
  devices?: readonly string[] | undefined;
  severities?: readonly Severity[] | undefined;
  types?: readonly string[] | undefined;
  /** Opened at or after this instant (ISO 8601). */
  since?: string | undefined;
  /** Default: newest first. */
  sort?: sql.IncidentSort | undefined;
  limit: number;
  offset: number;
}

export interface IncidentLogRow {
  /** Ascending in the order rows were written. */
  id: number;
  at: string;
  action: LogAction;
  /** The actor's id (a username, `ingest` or `console`). */
  actor: string;
  actorKind: ActorKind;
  note: string | null;
  details: Record<string, unknown> | null;
}

export interface IncidentWithLog extends IncidentView {
  log: IncidentLogRow[];
}

const orNull = <T>(values: readonly T[] | undefined): T[] | null => (values === undefined ? null : [...values]);

export async function listIncidents(q: Queryable, filter: IncidentListFilter): Promise<IncidentView[]> {
  const { rows } = await q.query<{ incident: IncidentView }>(sql.listIncidentsSql(filter.sort ?? 'newest'), [
    filter.status ?? null, filter.active ?? null, orNull(filter.districts), orNull(filter.devices), orNull(filter.severities), orNull(filter.types),
    filter.since ?? null, filter.limit, filter.offset,
  ]);
  return rows.map((r) => r.incident);
}

export async function getIncident(q: Queryable, id: string): Promise<IncidentWithLog | undefined> {
  const { rows } = await q.query<{ incident: IncidentView }>(sql.SELECT_INCIDENT, [id]);
  if (rows[0] === undefined) return undefined;
  const log = await q.query<{ entry: IncidentLogRow }>(sql.SELECT_LOG, [id]);
  return { ...rows[0].incident, log: log.rows.map((r) => r.entry) };
}

/** An event that raised or joined an incident, as the desk shows it. */
export interface IncidentEvent {
  id: string;
  time: string;
  type: string;
  severity: Severity;
  class: string | null;
  confidence: number | null;
  rule: string | null;
  /** The device sent a snapshot with it (ingest keeps only this fact, not the image). */
  hasSnapshot: boolean;
}

/**
 * The events ingest's rules joined to an incident, oldest first (at most `limit`, the latest): named by
 * the `opened`, `event` and rule `escalated` log rows' details {eventId, eventTs}, found by events'
 * unique (id, time), so only the chunks of those times are read.
 */
export async function incidentEvents(q: Queryable, incidentId: string, limit = 200): Promise<IncidentEvent[]> {
  const { rows } = await q.query<{ event: IncidentEvent }>(
    `select json_build_object('id', e.id, 'time', to_char(e.time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'type', e.type,
       'severity', e.severity, 'class', e.class, 'confidence', e.confidence, 'rule', e.rule, 'hasSnapshot', e.has_snapshot) as event
     from (select distinct (l.details->>'eventId')::uuid as id, (l.details->>'eventTs')::timestamptz as time
           from incident_log l
           where l.incident_id = $1 and l.actor_kind = 'system' and l.action in ('opened', 'event', 'escalated')
             and l.details ? 'eventId' and l.details ? 'eventTs'
           order by 2 desc limit $2) linked
     join events e on e.id = linked.id and e.time = linked.time
     order by e.time, e.id`,
    [incidentId, limit],
  );
  return rows.map((r) => r.event);
}
