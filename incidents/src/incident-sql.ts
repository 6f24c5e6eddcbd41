/**
 * The SQL of incidents, in one place. Every statement that returns an incident returns it as JSON
 * built by INCIDENT_JSON, so the HTTP API, ingest's bus and every message show the same fields with
 * the same time format. Statements that change an incident bump its version and updated_at.
 */
import { NOTIFY_CHANNELS } from '@streetwise/db';
import { SEVERITIES } from '@streetwise/protocol';
import type { StampColumn } from './state-machine.js';

/**
 * "Not resolved" (ACTIVE_STATUSES) on the incidents alias, written as the predicate of the partial index
 * incidents_open_idx (0001_core) so the planner can use that index.
 */
export const activeIncidentSql = (alias: string): string => `${alias}.status <> 'resolved'`;

/** ISO 8601 UTC with milliseconds, as JavaScript's Date#toISOString writes it. */
const iso = (column: string): string => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * One incident (table alias `i`) as IncidentView JSON. `unitIds` and `seenBy` are read from units and
 * incident_log: inside one statement they show the rows as they were before it, so a statement that
 * changes units or adds a `viewed` row reads the incident again afterwards.
 */
export const INCIDENT_JSON = `json_build_object(
  'id', i.id, 'type', i.type, 'severity', i.severity, 'status', i.status, 'deviceId', i.device_id, 'district', i.district,
  'lat', i.lat, 'lon', i.lon, 'eventCount', i.event_count, 'openedAt', ${iso('i.opened_at')}, 'lastEventAt', ${iso('i.last_event_at')},
  'acknowledgedAt', ${iso('i.acknowledged_at')}, 'dispatchedAt', ${iso('i.dispatched_at')}, 'resolvedAt', ${iso('i.resolved_at')},
  'version', i.version, 'updatedAt', ${iso('i.updated_at')}, 'outcome', i.outcome,
  'unitIds', coalesce((select json_agg(u.id order by u.id) from units u where u.incident_id = i.id), '[]'::json),
  'seenBy', coalesce((select json_agg(s.actor order by s.first_id) from (
      select l.actor, min(l.id) as first_id from incident_log l where l.incident_id = i.id and l.action = 'viewed' group by l.actor) s), '[]'::json))`;

/** How a list is ordered; ties by id, so pages never overlap. */
export const INCIDENT_SORTS = ['newest', 'oldest', 'severity', 'updated'] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];

const ORDER_BY: Readonly<Record<IncidentSort, string>> = {
  newest: 'i.opened_at desc, i.id',
  oldest: 'i.opened_at, i.id',
  // The most urgent first, then the newest.
  severity: `array_position(array[${SEVERITIES.map((s) => `'${s}'`).join(', ')}], i.severity) desc nulls last, i.opened_at desc, i.id`,
  updated: 'i.updated_at desc, i.id',
};

/**
 * $1 status or null, $2 true for "not resolved only", $3 districts, $4 devices, $5 severities, $6 types
 * (each null for any), $7 opened at or after (null for any time), $8 limit, $9 offset. `sort` comes from
 * the closed IncidentSort union, never from input.
 */
export function listIncidentsSql(sort: IncidentSort): string {
  return `
select ${INCIDENT_JSON} as incident from incidents i
where ($1::text is null or i.status = $1) and ($2::boolean is not true or ${activeIncidentSql('i')})
  and ($3::text[] is null or i.district = any($3::text[])) and ($4::text[] is null or i.device_id = any($4::text[]))
  and ($5::text[] is null or i.severity = any($5::text[])) and ($6::text[] is null or i.type = any($6::text[]))
  and ($7::timestamptz is null or i.opened_at >= $7::timestamptz)
order by ${ORDER_BY[sort]} limit $8 offset $9`;
}

export const SELECT_INCIDENT = `select ${INCIDENT_JSON} as incident from incidents i where i.id = $1`;

/** The same, holding the row until the transaction ends (operator actions). */
export const SELECT_INCIDENT_FOR_UPDATE = `${SELECT_INCIDENT} for update`;

/** An incident's log, oldest first, as JSON (a bigint id stays a JSON number). */
export const SELECT_LOG = `
select json_build_object('id', l.id, 'at', ${iso('l.at')}, 'action', l.action, 'actor', l.actor, 'actorKind', l.actor_kind,
  'note', l.note, 'details', l.details) as entry
from incident_log l where l.incident_id = $1 order by l.at, l.id`;

/**
 * An operator's change that bumps the version, and its log row: $1 id, $2 status, $3 severity, $4 outcome
 * (null keeps it), $5 log action, $6 actor kind, $7 actor id, $8 note, $9 details (jsonb). `stamp` comes
 * from the closed StampColumn union, never from input; it keeps the first time a status was reached.
 */
export function applyChangeSql(stamp: StampColumn | undefined): string {
  return `
with changed as (
  update incidents i set status = $2, severity = $3, outcome = coalesce($4, i.outcome),${stamp ? ` ${stamp} = coalesce(i.${stamp}, now()),` : ''}
    version = i.version + 1, updated_at = now()
  where i.id = $1
  returning i.id
)
insert into incident_log (incident_id, action, actor_kind, actor, note, details)
select id, $5, $6, $7, $8, $9::jsonb from changed`;
}

/** A log row that changes nothing else (viewed, notified): $1 id, $2 action, $3 actor kind, $4 actor, $5 details. */
export const INSERT_RECORD_ONLY_LOG = `
insert into incident_log (incident_id, action, actor_kind, actor, details) values ($1, $2, $3, $4, $5::jsonb)
returning ${iso('at')} as at`;

/** Has $2 logged `viewed` on incident $1 within the last $3 seconds? */
export const RECENTLY_VIEWED = `
select exists (select 1 from incident_log l where l.incident_id = $1 and l.action = 'viewed' and l.actor = $2
  and l.at > now() - make_interval(secs => $3)) as recent`;

/**
 * Critical incidents nobody acknowledged whose escalation is due: opened at or before $1 (now) minus $2
 * seconds, not yet claimed. Oldest first, at most $3.
 */
export const SELECT_DUE_ESCALATIONS = `
select i.id from incidents i
where ${activeIncidentSql('i')} and i.status = 'open' and i.severity = 'critical' and i.escalation_notified_at is null
  and i.opened_at <= $1::timestamptz - make_interval(secs => $2)
order by i.opened_at, i.id limit $3`;

/**
 * Claim incident $1's escalation at $2: only one statement of all the console nodes' finds it unclaimed
 * (the row lock makes the others wait, then see it claimed). No new version: nothing an operator sees changed.
 */
export const CLAIM_ESCALATION = `
update incidents i set escalation_notified_at = $2::timestamptz
where i.id = $1 and i.escalation_notified_at is null and i.status = 'open'
returning ${INCIDENT_JSON} as incident`;

/**
 * Incidents that are not resolved of the given devices, of the given types, whose last event is at or
 * after the given time: the ones new safety events may join (ingest's rules). The three parameters are
 * SQL expressions (e.g. "$7::text[]"), so a statement with other parts can hold the read.
 */
export const openIncidentsSql = (deviceIds: string, types: string, since: string): string => `
select id, device_id, type, status, district, severity, event_count, opened_at, last_event_at, last_event_id, lat, lon
from incidents i
where ${activeIncidentSql('i')} and device_id = any(${deviceIds}) and type = any(${types}) and last_event_at >= ${since}`;

/** The read alone: devices $1, types $2, since $3. */
export const SELECT_OPEN_INCIDENTS = openIncidentsSql('$1::text[]', '$2::text[]', '$3::timestamptz');

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
    -- Never lower: an operator may have escalated it after the rules read it.
    severity = case when array_position(array[${SEVERITIES.map((s) => `'${s}'`).join(', ')}], u.severity)
                      >= array_position(array[${SEVERITIES.map((s) => `'${s}'`).join(', ')}], i.severity) then u.severity else i.severity end,
    version = i.version + 1, updated_at = now()
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
