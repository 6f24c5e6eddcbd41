/**
 * SQL besides the batch statement (batch-statement.ts): the device read, and the incident rules'
 * read and write. Both incident statements run in the batch's transaction, after its statement took
 * the advisory lock that serialises concurrent ingest workers' decisions.
 */
export const SELECT_DEVICES = `select id, blocked, district from devices where id = any($1::text[])`;

/** Open incidents the batch's new safety events may join. */
export const SELECT_OPEN_INCIDENTS = `
select id, device_id, type, status, district, severity, event_count, opened_at, last_event_at, last_event_id, lat, lon
from incidents
where status <> 'resolved' and device_id = any($1::text[]) and type = any($2::text[]) and last_event_at >= $3::timestamptz`;

/** Everything the rules decided, in one statement: new incidents, bumped ones, their log rows, and NOTIFY sw_incidents. */
export const WRITE_INCIDENTS = `
with notified as (
  select pg_notify('sw_incidents', p) from unnest($22::text[]) as p
), opened as (
  insert into incidents (id, type, severity, device_id, district, lat, lon, first_event_id, last_event_id, event_count,
                         opened_at, last_event_at)
  select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::uuid[],
                       $9::uuid[], $10::int[], $11::timestamptz[], $12::timestamptz[])
  returning id
), bumped as (
  update incidents i set event_count = i.event_count + u.added, last_event_id = u.last_event_id,
    last_event_at = greatest(i.last_event_at, u.last_event_at), opened_at = least(i.opened_at, u.opened_at),
    severity = u.severity, updated_at = now()
  from unnest($13::uuid[], $14::int[], $15::uuid[], $16::timestamptz[], $17::text[], $18::timestamptz[])
    as u(id, added, last_event_id, last_event_at, severity, opened_at)
  where i.id = u.id
  returning i.id
)
insert into incident_log (incident_id, action, actor, details)
select u.incident_id, u.action, 'ingest', u.details
from unnest($19::uuid[], $20::text[], $21::jsonb[]) as u(incident_id, action, details)
where (select count(*) from notified) >= 0`;
