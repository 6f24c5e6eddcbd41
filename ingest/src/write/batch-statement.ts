/**
 * The write of one batch as ONE SQL statement: data-modifying CTEs for births, last wills, the rows of
 * every row kind (kinds/registry.ts), dead letters and last_seen_at, plus NOTIFY of the rows that were
 * really new. One statement is atomic by itself and costs one round trip to the database (the embedded
 * one runs in a worker thread; every round trip waits behind whatever the main thread is doing).
 * Columns travel as array literals (unnest-rows.ts), one per column of a kind.
 *
 * Only the parts a batch needs are in its statement. The statement returns one row per row kind
 * written (k = the kind's name): '*' when every row given was new (the usual case), else the ids it
 * really stored, comma-separated (null when none); one result row instead of one per row saves the
 * embedded database decoding and cloning ~500 row objects a batch. Then one row per device whose
 * state changed ('b' birth, 'o' offline), one per incident opened for a key site gone offline ('i', its message),
 * and how many safety events it queued for the incident rules ('q').
 * Redeliveries are skipped by "on conflict do nothing": (id, time) is unique.
 */
import { NOTIFY_CHANNELS } from '@streetwise/db';
import type { IncidentMessage } from '@streetwise/incidents';
import type { MessageByKind } from '@streetwise/protocol';
import type { RejectedItem } from '../types.js';
import { deadLetterWrite } from './kinds/dead-letter.js';
import { incidentQueueWrite, type QueuedSafetyEvent } from './kinds/incident-queue.js';
import type { RowKind, RowKindName, Timed } from './kinds/kind.js';
import { isRowKind, ROW_KIND_NAMES, ROW_KINDS } from './kinds/registry.js';
import { birthWrite, updateLastWills, upsertBirths, type Birth } from './kinds/status.js';
import { insertRows, unnestRows, type Bind } from './unnest-rows.js';
import { keySiteOfflineCtes } from './key-site-offline.js';

/** A batch's rows of each row kind. */
export type BatchRows = { [K in RowKindName]?: ReadonlyArray<Timed<MessageByKind[K]>> };

export interface BatchParts {
  births?: readonly Birth[];
  offline?: string[];
  rows?: BatchRows;
  deadLetters?: readonly RejectedItem[];
  touch?: string[];
  /** A new incident id for each device whose final state in the batch is offline (used when it is a key site). */
  offlineIncidentIds?: ReadonlyMap<string, string>;
  /** NOTIFY sw_events summaries of the events above "info", one JSON text each, with the chunk (payload) each goes in. */
  eventSummaries?: { ids: string[]; json: string[]; chunks: number[] };
  /**
   * The batch's safety events: those really inserted are queued for the incident rules (incident_queue,
   * migration 0014) in this same statement, so an acked event always gets its turn at the rules.
   */
  queueSafety?: readonly QueuedSafetyEvent[];
  notify: boolean;
}

export interface BatchStatement {
  sql: string;
  params: unknown[];
}

/** NOTIFY payloads must stay under 8,000 bytes: device changes and counts (under 110 bytes each) in chunks of 60. */
const DEVICES_PER_NOTIFY = 60;
/** Device ids are at most 64 characters: 100 of them (quoted, comma-separated) fit one NOTIFY sw_health. */
const HEALTH_DEVICES_PER_NOTIFY = 100;
const COUNTS_PER_NOTIFY = 60;

/** The CTE inserting a row kind's rows. */
const insertedCte = (kind: RowKindName): string => `ins_${kind}`;

/** A row kind's insert: redeliveries skipped, the inserted rows' ids (and what the kind reads back) returned. */
function insertKindRows<K extends RowKindName>(kind: K, rows: ReadonlyArray<Timed<MessageByKind[K]>>, bind: Bind): string {
  const write: RowKind<K> = ROW_KINDS[kind];
  return `${insertRows(write, unnestRows(write, rows, bind))}
  on conflict do nothing
  returning ${['id', ...(write.returning ?? [])].join(', ')}`;
}

export function buildBatchStatement(parts: BatchParts): BatchStatement {
  const params: unknown[] = [];
  const p = (value: unknown, cast: string): string => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  /** The kind's row: '*' when every row given was inserted (the usual case), else the inserted ids, comma-separated. */
  const storedIds = (kind: string, cte: string, given: number): string =>
    `select '${kind}', case when (select count(*) from ${cte}) = ${given} then '*' else (select string_agg(id::text, ',') from ${cte}) end, null, null`;
  const ctes: string[] = [];
  const results: string[] = [];
  const forced: string[] = [];

  if (parts.births && parts.births.length > 0) {
    ctes.push(`births as (\n  ${upsertBirths(unnestRows(birthWrite, parts.births, p))})`);
    results.push(`select 'b', id, state, registered from births where registered or changed`);
  }
  if (parts.offline && parts.offline.length > 0) {
    ctes.push(`offline as (\n  ${updateLastWills(p(parts.offline, 'text[]'))})`);
    results.push(`select 'o', id, 'offline', false from offline`);
  }
  for (const kind of ROW_KIND_NAMES) {
    const rows = parts.rows?.[kind];
    if (rows === undefined || rows.length === 0) continue;
    const cte = insertedCte(kind);
    ctes.push(`${cte} as (\n  ${insertKindRows(kind, rows, p)})`);
    results.push(storedIds(kind, cte, rows.length));
  }
  const wentOffline = [
    ...(parts.births && parts.births.length > 0 ? [`select id from births where changed and state = 'offline'`] : []),
    ...(parts.offline && parts.offline.length > 0 ? [`select id from offline`] : []),
  ];
  const offlineIds = parts.offlineIncidentIds;
  if (wentOffline.length > 0 && offlineIds && offlineIds.size > 0) {
    const ids = { devices: p([...offlineIds.keys()], 'text[]'), incidents: p([...offlineIds.values()], 'uuid[]') };
    ctes.push(...keySiteOfflineCtes(wentOffline.join(' union all '), ids, parts.notify));
    results.push(`select 'i', message, null, null from keysite_message`);
    if (parts.notify) forced.push('(select count(*) from keysite_notify)');
  }
  const health = insertedCte('health');
  if (parts.notify && (parts.rows?.health?.length ?? 0) > 0) {
    ctes.push(`notify_h as (
  select pg_notify('${NOTIFY_CHANNELS.health}', json_build_object('v', 1, 'devices', json_agg(device_id))::text)
  from (select device_id, (row_number() over () - 1) / ${HEALTH_DEVICES_PER_NOTIFY} as chunk from (select distinct device_id from ${health}) h0) h
  group by chunk)`);
    forced.push('(select count(*) from notify_h)');
  }
  const events = insertedCte('event');
  const safety = parts.queueSafety ?? [];
  if (safety.length > 0 && (parts.rows?.event?.length ?? 0) > 0) {
    // A data-modifying CTE always runs; the join keeps redeliveries (not inserted again) out of the queue.
    ctes.push(`queued as (
  ${insertRows(incidentQueueWrite, unnestRows(incidentQueueWrite, safety, p))}
  where u.event_id in (select id from ${events})
  on conflict do nothing
  returning 1)`);
    results.push(`select 'q', (select count(*) from queued)::text, null, null`);
  }
  if (parts.notify && (parts.rows?.event?.length ?? 0) > 0) {
    // Events above "info" are listed one by one: summaries made in JS, chunked to fit NOTIFY, sent
    // only for the events really inserted (the join drops redeliveries). One json parameter: PG
    // parses a JSON array faster than an array literal full of escaped quotes.
    if (parts.eventSummaries && parts.eventSummaries.ids.length > 0) {
      const { ids, json, chunks } = parts.eventSummaries;
      ctes.push(`notify_e as (
  select pg_notify('sw_events', '{"v":1,"events":[' || string_agg(s.summary::text, ',' order by s.n) || ']}')
  from json_array_elements(${p(`[${json.join(',')}]`, 'json')}) with ordinality as s(summary, n)
  join unnest(${p(ids, 'uuid[]')}, ${p(chunks, 'int[]')}) with ordinality as c(id, chunk, n) using (n)
  where c.id in (select id from ${events})
  group by c.chunk)`);
      forced.push('(select count(*) from notify_e)');
    }
    // "info" events (detections, line crossings: the bulk) are counted per device and type.
    ctes.push(`notify_c as (
  select pg_notify('sw_events', json_build_object('v', 1, 'counts', json_agg(json_build_array(device_id, type, n)))::text)
  from (select device_id, type, n, (row_number() over () - 1) / ${COUNTS_PER_NOTIFY} as chunk
        from (select device_id, type, count(*) as n from ${events} where severity = 'info' group by device_id, type) g) c
  group by chunk)`);
    forced.push('(select count(*) from notify_c)');
  }
  if (parts.deadLetters && parts.deadLetters.length > 0) {
    ctes.push(`dead as (\n  ${insertRows(deadLetterWrite, unnestRows(deadLetterWrite, parts.deadLetters, p))})`);
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
  /** Incidents the statement opened (a key site gone offline), as their sw_incidents message. */
  incidents: IncidentMessage[];
  /** Safety events it queued for the incident rules (parts.queueSafety). */
  queued: number;
}

/** `given`: the ids of the rows the statement was given, per row kind ('*' means all of them were stored). */
export function readBatchResult(
  rows: ReadonlyArray<{ k: string; id: string | null; state: string | null; registered: boolean | null }>,
  given: { readonly [K in RowKindName]?: readonly string[] },
): BatchWriteResult {
  const stored = new Set<string>();
  const devices: BatchWriteResult['devices'] = [];
  const incidents: IncidentMessage[] = [];
  let queued = 0;
  for (const row of rows) {
    if (isRowKind(row.k)) {
      if (row.id === '*') for (const id of given[row.k] ?? []) stored.add(id);
      else if (row.id !== null && row.id !== '') for (const id of row.id.split(',')) stored.add(id);
    }
    else if (row.k === 'b' || row.k === 'o') devices.push({ id: row.id!, state: row.state as 'online' | 'offline', registered: row.registered === true });
    else if (row.k === 'i' && row.id !== null) incidents.push(JSON.parse(row.id) as IncidentMessage);
    else if (row.k === 'q') queued = Number(row.id);
  }
  return { stored, devices, incidents, queued };
}
