/**
 * The SQL of incidents, in one place. Every statement that returns an incident returns it as JSON
 * built by INCIDENT_JSON, so the HTTP API, ingest's bus and every message show the same fields with
 * the same time format. Statements that change an incident bump its version and updated_at.
 */
import { NOTIFY_CHANNELS } from '@streetwise/db';
import type { StampColumn } from './state-machine.js';

/**
 * "Not resolved" (ACTIVE_STATUSES) on the incidents alias, written as the predicate of the partial index
 * incidents_open_idx (0001_core) so the planner can use that index.
 */
export const activeIncidentSql = (alias: string): string => `${alias}.status <> 'resolved'`;

/** ISO 8601 UTC with milliseconds, as JavaScript's Date#toISOString writes it. */
const iso = (column: string): string => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** One incident (table alias `i`) as IncidentView JSON. */
export const INCIDENT_JSON = `json_build_object(
  'id', i.id, 'type', i.type, 'severity', i.severity, 'status', i.status, 'deviceId', i.device_id, 'district', i.district,
  'lat', i.lat, 'lon', i.lon, 'eventCount', i.event_count, 'openedAt', ${iso('i.opened_at')}, 'lastEventAt', ${iso('i.last_event_at')},
  'acknowledgedAt', ${iso('i.acknowledged_at')}, 'dispatchedAt', ${iso('i.dispatched_at')}, 'resolvedAt', ${iso('i.resolved_at')},
  'version', i.version, 'updatedAt', ${iso('i.updated_at')})`;

/** $1 status or null, $2 true for "not resolved only", $3 district or null, $4 limit, $5 offset. Newest first. */
export const LIST_INCIDENTS = `
select ${INCIDENT_JSON} as incident from incidents i
where ($1::text is null or i.status = $1) and ($2::boolean is not true or ${activeIncidentSql('i')}) and ($3::text[] is null or i.district = any($3::text[])) and ($4::text[] is null or i.device_id = any($4::text[]))
order by i.opened_at desc, i.id limit $5 offset $6`;

export const SELECT_INCIDENT = `select ${INCIDENT_JSON} as incident from incidents i where i.id = $1`;

/** The same, holding the row until the transaction ends (operator actions). */
export const SELECT_INCIDENT_FOR_UPDATE = `${SELECT_INCIDENT} for update`;

export const SELECT_LOG = `
select ${iso('l.at')} as at, l.action, l.actor, l.actor_kind as "actorKind", l.note, l.details
from incident_log l where l.incident_id = $1 order by l.at, l.id`;

/**
 * An operator's move: $1 id, $2 new status, $3 log action, $4 actor kind, $5 actor id, $6 note.
 * `stamp` comes from the closed StampColumn union, never from input.
 */
export function applyMoveSql(stamp: StampColumn): string {
  return `
with moved as (
  update incidents i set status = $2, ${stamp} = now(), version = i.version + 1, updated_at = now()
  where i.id = $1
  returning ${INCIDENT_JSON} as incident
), logged as (
  insert into incident_log (incident_id, action, actor_kind, actor, note) values ($1, $3, $4, $5, $6)
)
select incident from moved`;
}

/**
 * Incidents that are not resolved of the given devices ($1) and types ($2) whose last event is at or
 * after $3: the ones new safety events may join (ingest's rules).
 */
export const SELECT_OPEN_INCIDENTS = `
select id, device_id, type, status, district, severity, event_count, opened_at, last_event_at, last_event_id, lat, lon
from incidents i
where ${activeIncidentSql('i')} and device_id = any($1::text[]) and type = any($2::text[]) and last_event_at >= $3::timestamptz`;

/**
 * Everything ingest's rules decided, in one statement: new incidents ($1–$12), incidents new events
 * joined ($13–$18, version + 1), their log rows ($19–$21, by actor $22/$23), and one row per changed
 * incident ($24 ids, $25 actions, in that order) with the incident as it is now.
 */
export const WRITE_RULE_CHANGES = `
with opened as (
  insert into incidents as i (id, type, severity, device_id, district, lat, lon, first_event_id, last_event_id, event_count,
                              opened_at, last_event_at)
  select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::uuid[],
                       $9::uuid[], $10::int[], $11::timestamptz[], $12::timestamptz[])
  returning i.id, ${INCIDENT_JSON} as incident
), bumped as (
  update incidents i set event_count = i.event_count + u.added, last_event_id = u.last_event_id,
    last_event_at = greatest(i.last_event_at, u.last_event_at), opened_at = least(i.opened_at, u.opened_at),
    severity = u.severity, version = i.version + 1, updated_at = now()
  from unnest($13::uuid[], $14::int[], $15::uuid[], $16::timestamptz[], $17::text[], $18::timestamptz[])
    as u(id, added, last_event_id, last_event_at, severity, opened_at)
  where i.id = u.id
  returning i.id, ${INCIDENT_JSON} as incident
), logged as (
  insert into incident_log (incident_id, action, actor_kind, actor, details)
  select u.incident_id, u.action, $22, $23, u.details
  from unnest($19::uuid[], $20::text[], $21::jsonb[]) as u(incident_id, action, details)
)
select c.action, x.incident
from unnest($24::uuid[], $25::text[]) with ordinality as c(id, action, n)
join (select id, incident from opened union all select id, incident from bumped) x on x.id = c.id
order by c.n`;

/** One NOTIFY sw_incidents per payload in $1, in order. */
export const NOTIFY_INCIDENTS = `select pg_notify('${NOTIFY_CHANNELS.incidents}', p) from unnest($1::text[]) with ordinality as t(p, n) order by n`;
