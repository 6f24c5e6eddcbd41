/**
 * The write of one batch as ONE SQL statement: data-modifying CTEs for births, last wills, events,
 * telemetry, health, dead letters and last_seen_at, plus NOTIFY of the rows that were really new.
 * One statement is atomic by itself and costs one round trip to the database (the embedded one runs
 * in a worker thread; every round trip waits behind whatever the main thread is doing). Columns
 * travel as array literals.
 *
 * Only the parts a batch needs are in its statement. The statement returns one row per table written
 * (kind 'e' | 't' | 'h'): '*' when every row given was new (the usual case), else the ids it really
 * stored, comma-separated (null when none); one result row instead of one per row saves the embedded
 * database decoding and cloning ~500 row objects a batch. Then one row per device whose state changed
 * ('b' birth, 'o' offline).
 * Redeliveries are skipped by "on conflict do nothing": (id, time) is unique.
 */
export type Column = Array<string | number | boolean | null>;

export interface BatchParts {
  births?: Column[];
  offline?: string[];
  events?: Column[];
  telemetry?: Column[];
  health?: Column[];
  deadLetters?: Column[];
  touch?: string[];
  /** NOTIFY sw_events summaries of the events above "info", one JSON text each, with the chunk (payload) each goes in. */
  eventSummaries?: { ids: string[]; json: string[]; chunks: number[] };
  /** Take the incident rules' advisory lock (inside a transaction, before the incident read). */
  lockIncidents?: boolean;
  notify: boolean;
}

export interface BatchStatement {
  sql: string;
  params: unknown[];
}

/** NOTIFY payloads must stay under 8,000 bytes: device changes and counts (under 110 bytes each) in chunks of 60. */
const DEVICES_PER_NOTIFY = 60;
const COUNTS_PER_NOTIFY = 60;

const NEEDS_ESCAPE = /["\\]/;

/**
 * A column as PostgreSQL's array literal text (`{"a","b",NULL}`), made here rather than by the
 * database driver: the embedded database's driver would do it on its worker thread, the one that
 * inserts, and escape every element with two regular expressions; here only elements holding `"` or
 * `\` are escaped, and the worker gets one string per column instead of an array of values to copy.
 */
export function arrayLiteral(column: Column): string {
  let text = '{';
  for (let i = 0; i < column.length; i++) {
    const value = column[i];
    if (i > 0) text += ',';
    if (value === null || value === undefined) text += 'NULL';
    else if (typeof value === 'string') text += NEEDS_ESCAPE.test(value) ? `"${value.replace(/["\\]/g, '\\$&')}"` : `"${value}"`;
    else if (typeof value === 'boolean') text += value ? 't' : 'f';
    else text += String(value);
  }
  return `${text}}`;
}

export function buildBatchStatement(parts: BatchParts): BatchStatement {
  const params: unknown[] = [];
  const p = (value: unknown, cast: string): string => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  const unnest = (columns: Column[], casts: string[]): string => columns.map((column, i) => p(arrayLiteral(column), `${casts[i]}[]`)).join(', ');
  /** The table's row: '*' when every row given was inserted (the usual case), else the inserted ids, comma-separated. */
  const storedIds = (kind: string, cte: string, given: number): string =>
    `select '${kind}', case when (select count(*) from ${cte}) = ${given} then '*' else (select string_agg(id::text, ',') from ${cte}) end, null, null`;
  const ctes: string[] = [];
  const results: string[] = [];
  const forced: string[] = [];

  if (parts.lockIncidents) {
    ctes.push('serialised as (select pg_advisory_xact_lock(7411) as locked)');
    forced.push('(select count(*) from serialised)');
  }
  if (parts.births && parts.births[0]!.length > 0) {
    ctes.push(`births as (
  insert into devices as d (id, kind, name, district, road, lat, lon, capabilities, models, firmware, config_version, state, last_seen_at, state_changed_at)
  select u.id, u.kind, u.name, u.district, u.road, u.lat, u.lon,
         coalesce(array(select jsonb_array_elements_text(u.capabilities)), '{}'::text[]), coalesce(u.models, '{}'::jsonb),
         u.firmware, u.config_version, u.state, now(), now()
  from unnest(${unnest(parts.births, ['text', 'text', 'text', 'text', 'text', 'float8', 'float8', 'jsonb', 'jsonb', 'text', 'int', 'text'])})
    as u(id, kind, name, district, road, lat, lon, capabilities, models, firmware, config_version, state)
  on conflict (id) do update set
    kind = excluded.kind, name = coalesce(excluded.name, d.name), district = coalesce(excluded.district, d.district),
    road = coalesce(excluded.road, d.road), lat = coalesce(excluded.lat, d.lat), lon = coalesce(excluded.lon, d.lon),
    capabilities = excluded.capabilities, models = excluded.models, firmware = coalesce(excluded.firmware, d.firmware),
    config_version = coalesce(excluded.config_version, d.config_version), state = excluded.state, last_seen_at = now(),
    state_changed_at = case when d.state <> excluded.state then now() else d.state_changed_at end
  where not d.blocked
  returning d.id, d.state, (d.registered_at = now()) as registered, (d.state_changed_at = now()) as changed)`);
    results.push(`select 'b', id, state, registered from births where registered or changed`);
  }
  if (parts.offline && parts.offline.length > 0) {
    ctes.push(`offline as (
  update devices set state = 'offline', state_changed_at = now(), last_seen_at = now()
  where id = any(${p(parts.offline, 'text[]')}) and state <> 'offline' and not blocked
  returning id)`);
    results.push(`select 'o', id, 'offline', false from offline`);
  }
  if (parts.events && parts.events[0]!.length > 0) {
    ctes.push(`ins_e as (
  insert into events (time, id, device_id, type, severity, class, track_id, confidence, lat, lon, rule, direction,
                      speed_kmh, count, duration_s, model_version, attrs, has_snapshot, received_at)
  select * from unnest(${unnest(parts.events, ['timestamptz', 'uuid', 'text', 'text', 'text', 'text', 'int', 'real', 'float8', 'float8', 'text', 'text', 'real', 'int', 'real', 'text', 'jsonb', 'bool', 'timestamptz'])})
  on conflict do nothing
  returning id, device_id, type, severity)`);
    results.push(storedIds('e', 'ins_e', parts.events[0]!.length));
    if (parts.notify) {
      // Events above "info" are listed one by one: summaries made in JS, chunked to fit NOTIFY, sent
      // only for the events really inserted (the join drops redeliveries). One json parameter: PG
      // parses a JSON array faster than an array literal full of escaped quotes.
      if (parts.eventSummaries && parts.eventSummaries.ids.length > 0) {
        const { ids, json, chunks } = parts.eventSummaries;
        ctes.push(`notify_e as (
  select pg_notify('sw_events', '{"v":1,"events":[' || string_agg(s.summary::text, ',' order by s.n) || ']}')
  from json_array_elements(${p(`[${json.join(',')}]`, 'json')}) with ordinality as s(summary, n)
  join unnest(${p(ids, 'uuid[]')}, ${p(chunks, 'int[]')}) with ordinality as c(id, chunk, n) using (n)
  where c.id in (select id from ins_e)
  group by c.chunk)`);
        forced.push('(select count(*) from notify_e)');
      }
      // "info" events (detections, line crossings: the bulk) are counted per device and type.
      ctes.push(`notify_c as (
  select pg_notify('sw_events', json_build_object('v', 1, 'counts', json_agg(json_build_array(device_id, type, n)))::text)
  from (select device_id, type, n, (row_number() over () - 1) / ${COUNTS_PER_NOTIFY} as chunk
        from (select device_id, type, count(*) as n from ins_e where severity = 'info' group by device_id, type) g) c
  group by chunk)`);
      forced.push('(select count(*) from notify_c)');
    }
  }
  if (parts.telemetry && parts.telemetry[0]!.length > 0) {
    ctes.push(`ins_t as (
  insert into telemetry (time, id, device_id, interval_s, approach, count_person, count_bicycle, count_car, count_motorcycle,
                         count_bus, count_truck, speed_kmh_avg, speed_kmh_p85, occupancy_pct, queue_length_m, zone_occupancy,
                         pm25, no2, noise_dba, congestion_index, received_at)
  select * from unnest(${unnest(parts.telemetry, ['timestamptz', 'uuid', 'text', 'int', 'text', 'int', 'int', 'int', 'int', 'int', 'int', 'real', 'real', 'real', 'real', 'int', 'real', 'real', 'real', 'real', 'timestamptz'])})
  on conflict do nothing
  returning id)`);
    results.push(storedIds('t', 'ins_t', parts.telemetry[0]!.length));
  }
  if (parts.health && parts.health[0]!.length > 0) {
    ctes.push(`ins_h as (
  insert into health (time, id, device_id, uptime_s, fps, inference_ms_p50, inference_ms_p95, cpu_pct, rss_mb, outbox_depth,
                      outbox_dropped, models, config_version, received_at)
  select * from unnest(${unnest(parts.health, ['timestamptz', 'uuid', 'text', 'float8', 'real', 'real', 'real', 'real', 'real', 'int', 'int', 'jsonb', 'int', 'timestamptz'])})
  on conflict do nothing
  returning id)`);
    results.push(storedIds('h', 'ins_h', parts.health[0]!.length));
  }
  if (parts.deadLetters && parts.deadLetters[0]!.length > 0) {
    ctes.push(`dead as (
  insert into dead_letters (received_at, topic, payload, reason_code, reason, client_id, device_id)
  select u.received_at, u.topic, decode(u.payload, 'base64'), u.reason_code, u.reason, u.client_id, u.device_id
  from unnest(${unnest(parts.deadLetters, ['timestamptz', 'text', 'text', 'text', 'text', 'text', 'text'])})
    as u(received_at, topic, payload, reason_code, reason, client_id, device_id))`);
  }
  if (parts.touch && parts.touch.length > 0) {
    ctes.push(`touched as (update devices set last_seen_at = now() where id = any(${p(parts.touch, 'text[]')}))`);
  }
  if (parts.notify && results.some((r) => r.includes('from births') || r.includes('from offline'))) {
    const changed = [
      ...(results.some((r) => r.includes('from births')) ? [`select id, state, registered from births where registered or changed`] : []),
      ...(results.some((r) => r.includes('from offline')) ? [`select id, 'offline' as state, false as registered from offline`] : []),
    ].join(' union all ');
    ctes.push(`notify_d as (
  select pg_notify('sw_devices', json_build_object('v', 1, 'devices', json_agg(json_build_object('id', id, 'state', state, 'registered', registered)))::text)
  from (select *, (row_number() over () - 1) / ${DEVICES_PER_NOTIFY} as chunk from (${changed}) c0) c group by chunk)`);
    forced.push('(select count(*) from notify_d)');
  }

  // Plain CTEs run only when referenced: the NOTIFY and lock ones are referenced by this last row.
  results.push(`select 'n', ${forced.length > 0 ? `(${forced.join(' + ')})::text` : `'0'`}, null, null`);
  const body = `select k, id, state, registered from (\n${results.join('\nunion all ')}\n) as r(k, id, state, registered)`;
  return { sql: ctes.length > 0 ? `with ${ctes.join(',\n')}\n${body}` : body, params };
}

/** Stored ids by kind, and device changes, from the statement's rows. */
export interface BatchWriteResult {
  stored: Set<string>;
  devices: Array<{ id: string; state: 'online' | 'offline'; registered: boolean }>;
}

/** `given`: the ids of the rows the statement was given, per table ('*' means all of them were stored). */
export function readBatchResult(
  rows: ReadonlyArray<{ k: string; id: string | null; state: string | null; registered: boolean | null }>,
  given: { e?: readonly string[]; t?: readonly string[]; h?: readonly string[] },
): BatchWriteResult {
  const stored = new Set<string>();
  const devices: BatchWriteResult['devices'] = [];
  for (const row of rows) {
    if (row.k === 'e' || row.k === 't' || row.k === 'h') {
      if (row.id === '*') for (const id of given[row.k] ?? []) stored.add(id);
      else if (row.id !== null && row.id !== '') for (const id of row.id.split(',')) stored.add(id);
    }
    else if (row.k === 'b' || row.k === 'o') devices.push({ id: row.id!, state: row.state as 'online' | 'offline', registered: row.registered === true });
  }
  return { stored, devices };
}
