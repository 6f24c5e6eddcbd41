/**
 * The SQL of one batch. Multi-row inserts read column arrays (row-columns.ts) through unnest, and
 * "on conflict do nothing … returning id" tells stored rows from redeliveries: (id, time) is unique.
 */
export const INSERT_EVENTS = `
insert into events (time, id, device_id, type, severity, class, track_id, confidence, lat, lon, rule, direction,
                    speed_kmh, count, duration_s, model_version, attrs, has_snapshot, received_at)
select * from unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::real[],
                     $9::float8[], $10::float8[], $11::text[], $12::text[], $13::real[], $14::int[], $15::real[], $16::text[],
                     $17::jsonb[], $18::bool[], $19::timestamptz[])
on conflict do nothing
returning id`;

export const INSERT_TELEMETRY = `
insert into telemetry (time, id, device_id, interval_s, approach, count_person, count_bicycle, count_car, count_motorcycle,
                       count_bus, count_truck, speed_kmh_avg, speed_kmh_p85, occupancy_pct, queue_length_m, zone_occupancy,
                       pm25, no2, noise_dba, congestion_index, received_at)
select * from unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::int[], $7::int[], $8::int[], $9::int[],
                     $10::int[], $11::int[], $12::real[], $13::real[], $14::real[], $15::real[], $16::int[], $17::real[],
                     $18::real[], $19::real[], $20::real[], $21::timestamptz[])
on conflict do nothing
returning id`;

export const INSERT_HEALTH = `
insert into health (time, id, device_id, uptime_s, fps, inference_ms_p50, inference_ms_p95, cpu_pct, rss_mb, outbox_depth,
                    outbox_dropped, models, config_version, received_at)
select * from unnest($1::timestamptz[], $2::uuid[], $3::text[], $4::float8[], $5::real[], $6::real[], $7::real[], $8::real[],
                     $9::real[], $10::int[], $11::int[], $12::jsonb[], $13::int[], $14::timestamptz[])
on conflict do nothing
returning id`;

export const INSERT_DEAD_LETTERS = `
insert into dead_letters (received_at, topic, payload, reason_code, reason, client_id, device_id)
select u.received_at, u.topic, decode(u.payload, 'base64'), u.reason_code, u.reason, u.client_id, u.device_id
from unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
  as u(received_at, topic, payload, reason_code, reason, client_id, device_id)`;

export const SELECT_DEVICES = `select id, blocked, district from devices where id = any($1::text[])`;

/** Births register or refresh a device; a blocked device is never touched by its own messages. */
export const UPSERT_BIRTHS = `
insert into devices as d (id, kind, name, district, road, lat, lon, capabilities, models, firmware, config_version, state,
                          last_seen_at, state_changed_at)
select u.id, u.kind, u.name, u.district, u.road, u.lat, u.lon,
       coalesce(array(select jsonb_array_elements_text(u.capabilities)), '{}'::text[]), coalesce(u.models, '{}'::jsonb),
       u.firmware, u.config_version, u.state, now(), now()
from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::jsonb[], $9::jsonb[],
            $10::text[], $11::int[], $12::text[])
  as u(id, kind, name, district, road, lat, lon, capabilities, models, firmware, config_version, state)
on conflict (id) do update set
  kind = excluded.kind, name = coalesce(excluded.name, d.name), district = coalesce(excluded.district, d.district),
  road = coalesce(excluded.road, d.road), lat = coalesce(excluded.lat, d.lat), lon = coalesce(excluded.lon, d.lon),
  capabilities = excluded.capabilities, models = excluded.models, firmware = coalesce(excluded.firmware, d.firmware),
  config_version = coalesce(excluded.config_version, d.config_version), state = excluded.state, last_seen_at = now(),
  state_changed_at = case when d.state <> excluded.state then now() else d.state_changed_at end
where not d.blocked
returning d.id, d.state, (d.registered_at = now()) as registered, (d.state_changed_at = now()) as changed`;

export const MARK_OFFLINE = `
update devices set state = 'offline', state_changed_at = now(), last_seen_at = now()
where id = any($1::text[]) and state <> 'offline' and not blocked
returning id`;

export const TOUCH_DEVICES = `update devices set last_seen_at = now() where id = any($1::text[])`;

export const SELECT_OPEN_INCIDENTS = `
select id, device_id, type, status, district, severity, event_count, opened_at, last_event_at, last_event_id, lat, lon
from incidents
where status <> 'resolved' and device_id = any($1::text[]) and type = any($2::text[]) and last_event_at >= $3::timestamptz`;

export const INSERT_INCIDENTS = `
insert into incidents (id, type, severity, device_id, district, lat, lon, first_event_id, last_event_id, event_count,
                       opened_at, last_event_at)
select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::uuid[],
                     $9::uuid[], $10::int[], $11::timestamptz[], $12::timestamptz[])`;

export const UPDATE_INCIDENTS = `
update incidents i set event_count = i.event_count + u.added, last_event_id = u.last_event_id,
  last_event_at = greatest(i.last_event_at, u.last_event_at), opened_at = least(i.opened_at, u.opened_at),
  severity = u.severity, updated_at = now()
from unnest($1::uuid[], $2::int[], $3::uuid[], $4::timestamptz[], $5::text[], $6::timestamptz[])
  as u(id, added, last_event_id, last_event_at, severity, opened_at)
where i.id = u.id`;

export const INSERT_INCIDENT_LOG = `
insert into incident_log (incident_id, action, actor, details)
select u.incident_id, u.action, 'ingest', u.details
from unnest($1::uuid[], $2::text[], $3::jsonb[]) as u(incident_id, action, details)`;

/** NOTIFY inside the transaction: listeners hear of a batch only if it commits. */
export const NOTIFY_MANY = `select pg_notify(u.channel, u.payload) from unnest($1::text[], $2::text[]) as u(channel, payload)`;

/** Serialise concurrent ingest workers' incident decisions (two workers, one device+type). */
export const LOCK_INCIDENTS = `select pg_advisory_xact_lock(7411)`;
