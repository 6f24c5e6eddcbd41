/**
 * The one telemetry query every traffic and environment measure is built on: additive fields per
 * (bucket, group), from the source the planner chose, filtered on time and device attributes, paginated.
 */
import { bucketSql } from './bucket.js';
import { deviceConditions, groupSql, needsDeviceJoin, timeOfDayConditions, type DeviceFilter, type GroupBy, type TimeOfDayFilter } from './filters.js';
import type { QueryPlan } from './planner.js';
import { SqlParams, isoParam, toIso, toNumber, type SqlQuery } from './sql.js';
import { FREE_FLOW_FIELDS, TELEMETRY_SOURCES, telemetryFieldSql, type TelemetryField, type TelemetrySums } from './telemetry-fields.js';

export interface Page {
  limit: number;
  offset: number;
}

export interface SeriesRequest {
  plan: QueryPlan;
  fields: readonly TelemetryField[];
  filter: DeviceFilter;
  groupBy: GroupBy;
  timeOfDay?: TimeOfDayFilter | undefined;
  /** Keep only rows in which one of these fields has data (a count > 0, or another field non-null). */
  presentWhen?: readonly TelemetryField[] | undefined;
  /** Add `total_rows` (rows before pagination); default true. */
  withTotal?: boolean | undefined;
  /** Omit to read every row (used when rows are rolled up afterwards, e.g. to H3 cells). */
  page?: Page | undefined;
}

export interface SeriesRow {
  bucket: string;
  /** The group's key (device id, district, road, kind), null when not grouped. */
  group: string | null;
  sums: Partial<TelemetrySums>;
}

export interface SeriesResult {
  rows: SeriesRow[];
  /** Rows in the whole answer, before pagination. */
  total: number;
}

/** The free-flow speed of each device: a configured value wins over the computed one (free-flow.ts). */
export const FREE_FLOW_JOIN =
  'LEFT JOIN (SELECT device_id, coalesce(configured_kmh, computed_kmh) AS free_flow_kmh FROM analytics_free_flow) ff ON ff.device_id = t.device_id';

export function buildSeriesSql(request: SeriesRequest): SqlQuery {
  const { plan, fields, filter, groupBy, page, timeOfDay, presentWhen } = request;
  const source = TELEMETRY_SOURCES[plan.grain];
  const params = new SqlParams();
  const from = params.add(isoParam(plan.range.fromMs));
  const to = params.add(isoParam(plan.range.toMs));
  const joins: string[] = [];
  if (needsDeviceJoin(filter, groupBy)) joins.push('JOIN devices d ON d.id = t.device_id');
  if (fields.some((f) => FREE_FLOW_FIELDS.has(f))) joins.push(FREE_FLOW_JOIN);
  const where = [
    `${source.timeColumn} >= ${from}::timestamptz`,
    `${source.timeColumn} < ${to}::timestamptz`,
    ...deviceConditions(filter, params),
    ...timeOfDayConditions(timeOfDay ?? {}, params, source.timeColumn),
  ];
  const select = [
    `${bucketSql(plan.bucket, source.timeColumn, from)} AS bucket`,
    `${groupSql(groupBy)} AS grp`,
    ...fields.map((f) => `${telemetryFieldSql(f, plan.grain)} AS ${f}`),
    ...(request.withTotal === false ? [] : ['count(*) OVER ()::float8 AS total_rows']),
  ];
  const having = presentWhen && presentWhen.length > 0
    ? `\nHAVING ${presentWhen.map((f) => `${telemetryFieldSql(f, plan.grain)} ${f.endsWith('_n') || f === 'samples' ? '> 0' : 'IS NOT NULL'}`).join(' OR ')}`
    : '';
  const pageSql = page ? `\nLIMIT ${params.add(page.limit)} OFFSET ${params.add(page.offset)}` : '';
  const text = `SELECT ${select.join(',\n       ')}
FROM ${source.table} t${joins.map((j) => `\n${j}`).join('')}
WHERE ${where.join('\n  AND ')}
GROUP BY 1, 2${having}
ORDER BY 1, 2 NULLS FIRST${pageSql}`;
  return { text, values: params.values };
}

export function parseSeriesRows(rows: ReadonlyArray<Record<string, unknown>>, fields: readonly TelemetryField[]): SeriesResult {
  const total = rows.length > 0 ? (toNumber(rows[0]?.['total_rows']) ?? rows.length) : 0;
  return {
    total,
    rows: rows.map((row) => {
      const sums: Partial<TelemetrySums> = {};
      for (const f of fields) sums[f] = toNumber(row[f]);
      return { bucket: toIso(row['bucket']), group: row['grp'] === null ? null : String(row['grp']), sums };
    }),
  };
}
