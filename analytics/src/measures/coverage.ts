/**
 * Data completeness: per bucket, how many of the devices the request covers sent any reading, against how
 * many are registered. Every bucket of the range is answered (0 reporting where no device reported), so a
 * chart can show the holes in a series as holes and say how complete each point is.
 */
import { BUCKET_SPECS, bucketSql } from '../query/bucket.js';
import { deviceConditions, needsDeviceJoin, type DeviceFilter } from '../query/filters.js';
import type { QueryPlan } from '../query/planner.js';
import { SqlParams, isoParam, toIso, toNumber, type SqlQuery } from '../query/sql.js';
import { TELEMETRY_SOURCES } from '../query/telemetry-fields.js';

export interface CoverageRow {
  bucket: string;
  /** Devices with at least one reading in the bucket. */
  reporting: number;
  /** Devices registered that match the filter. */
  expected: number;
  /** reporting / expected; null when no device is expected. */
  share: number | null;
}

export function buildCoverageSql(plan: QueryPlan, filter: DeviceFilter): SqlQuery {
  const source = TELEMETRY_SOURCES[plan.grain];
  const params = new SqlParams();
  const from = params.add(isoParam(plan.range.fromMs));
  const to = params.add(isoParam(plan.range.toMs));
  const join = needsDeviceJoin(filter, 'none') ? '\nJOIN devices d ON d.id = t.device_id' : '';
  const where = [`${source.timeColumn} >= ${from}::timestamptz`, `${source.timeColumn} < ${to}::timestamptz`, ...deviceConditions(filter, params)];
  return {
    text: `SELECT ${bucketSql(plan.bucket, source.timeColumn, from)} AS bucket, count(DISTINCT t.device_id)::float8 AS reporting
FROM ${source.table} t${join}
WHERE ${where.join('\n  AND ')}
GROUP BY 1
ORDER BY 1`,
    values: params.values,
  };
}

/** Every bucket of the plan's range, with the reporting count where the query found one (else 0). */
export function coverageRows(plan: QueryPlan, rows: ReadonlyArray<Record<string, unknown>>, expected: number): CoverageRow[] {
  const reporting = new Map(rows.map((r) => [Date.parse(toIso(r['bucket'])), toNumber(r['reporting']) ?? 0]));
  const lengthMs = BUCKET_SPECS[plan.bucket].lengthMs ?? plan.range.toMs - plan.range.fromMs;
  const out: CoverageRow[] = [];
  if (plan.empty || lengthMs <= 0) return out;
  for (let start = plan.range.fromMs; start < plan.range.toMs; start += lengthMs) {
    const n = reporting.get(start) ?? 0;
    out.push({ bucket: new Date(start).toISOString(), reporting: n, expected, share: expected === 0 ? null : n / expected });
  }
  return out;
}
