/**
 * Exceedance counts against an exposure limit (aqo.ts), per device or group:
 *  - hourly mean of a group = Σ readings / count of readings in the hour (sums from the aggregates);
 *  - 24-hour mean = mean of the day's hourly means (Hong Kong day), valid with ≥ 18 hourly means;
 *  - annual (period) mean = mean of the valid hourly means in the range — the AQO is for a calendar year,
 *    so on a shorter range it is only an indication.
 * An exceedance is a valid mean strictly above the limit. Within allowance: exceedances ≤ the number the
 * AQO allows per calendar year (for a range shorter than a year that is a floor, not a verdict).
 */
import type { Queryable } from '@streetwise/db';
import { bucketSql } from '../query/bucket.js';
import { deviceConditions, groupSql, needsDeviceJoin, type DeviceFilter, type GroupBy } from '../query/filters.js';
import { planQuery, type PlannerLimits, type QueryPlan, type SourceRequest } from '../query/planner.js';
import type { TimeRange } from '../query/time-range.js';
import { SqlParams, isoParam, toIso, toNumber, type SqlQuery } from '../query/sql.js';
import { TELEMETRY_SOURCES, telemetryFieldSql, type TelemetryField } from '../query/telemetry-fields.js';
import { MIN_HOURS_PER_DAY, type ExposureLimit } from './aqo.js';

export interface ExceedanceRequest {
  /** Planned with bucket 1h (1-hour limits) or 1d (24-hour and annual limits). */
  plan: QueryPlan;
  limit: ExposureLimit;
  filter: DeviceFilter;
  groupBy: Exclude<GroupBy, 'h3'>;
  /** Most exceedance periods listed per group. */
  maxListed?: number;
}

export interface ExceedanceRow {
  group: string | null;
  pollutant: ExposureLimit['pollutant'];
  averaging: ExposureLimit['averaging'];
  limit: number;
  unit: ExposureLimit['unit'];
  allowedPerYear: number | null;
  exceedances: number;
  validPeriods: number;
  periods: number;
  maxMean: number | null;
  meanOfPeriods: number | null;
  withinAllowance: boolean | null;
  /** Start of each exceeding period (first `maxListed`). */
  exceedingPeriods: string[];
}

/** Plan an exceedance count: hourly means need rows of an hour or finer; days for 24-hour and annual limits. */
export function planExceedances(range: TimeRange, limit: ExposureLimit, source?: SourceRequest, limits?: PlannerLimits): QueryPlan {
  return planQuery({ range, bucket: limit.averaging === '1h' ? '1h' : '1d', source, coarsest: '1h' }, limits);
}

export function buildExceedanceSql(request: ExceedanceRequest): SqlQuery {
  const { plan, limit, filter, groupBy } = request;
  if (plan.grain === '1d') throw new Error('exceedances need hourly means: plan them with planExceedances()');
  const source = TELEMETRY_SOURCES[plan.grain];
  const params = new SqlParams();
  const from = params.add(isoParam(plan.range.fromMs));
  const to = params.add(isoParam(plan.range.toMs));
  const sumField = `${limit.pollutant}_sum` as TelemetryField;
  const nField = `${limit.pollutant}_n` as TelemetryField;
  const where = [`${source.timeColumn} >= ${from}::timestamptz`, `${source.timeColumn} < ${to}::timestamptz`, ...deviceConditions(filter, params)];
  const join = needsDeviceJoin(filter, groupBy) ? '\nJOIN devices d ON d.id = t.device_id' : '';
  const hourly = `SELECT ${bucketSql('1h', source.timeColumn, from)} AS period, ${groupSql(groupBy)} AS grp,
         ${telemetryFieldSql(sumField, plan.grain)} / nullif(${telemetryFieldSql(nField, plan.grain)}, 0) AS mean
  FROM ${source.table} t${join}
  WHERE ${where.join(' AND ')}
  GROUP BY 1, 2
  HAVING ${telemetryFieldSql(nField, plan.grain)} > 0`;
  const limitParam = params.add(limit.limit);
  const maxListed = params.add(request.maxListed ?? 100);
  let periods: string;
  if (limit.averaging === '24h') {
    const minHours = params.add(MIN_HOURS_PER_DAY);
    periods = `daily AS (
  SELECT ${bucketSql('1d', 'h.period', from)} AS period, h.grp, avg(h.mean) AS mean, count(h.mean) AS hours
  FROM hourly h GROUP BY 1, 2),
periods AS (SELECT period, grp, mean, hours >= ${minHours}::int AS valid FROM daily)`;
  } else if (limit.averaging === 'annual') {
    // One period: the whole range, its mean the mean of the valid hourly means.
    periods = `periods AS (SELECT min(period) AS period, grp, avg(mean) AS mean, count(mean) > 0 AS valid FROM hourly GROUP BY grp)`;
  } else {
    periods = `periods AS (SELECT period, grp, mean, mean IS NOT NULL AS valid FROM hourly)`;
  }
  const text = `WITH hourly AS (
  ${hourly}),
${periods}
SELECT grp,
       count(*) FILTER (WHERE valid AND mean > ${limitParam}::float8)::float8 AS exceedances,
       count(*) FILTER (WHERE valid)::float8 AS valid_periods,
       count(*)::float8 AS periods,
       max(mean) FILTER (WHERE valid) AS max_mean,
       avg(mean) FILTER (WHERE valid) AS mean_of_periods,
       (array_agg(period ORDER BY period) FILTER (WHERE valid AND mean > ${limitParam}::float8))[1:${maxListed}::int] AS exceeding
FROM periods
GROUP BY grp
ORDER BY grp NULLS FIRST`;
  return { text, values: params.values };
}

export function parseExceedanceRows(rows: ReadonlyArray<Record<string, unknown>>, limit: ExposureLimit): ExceedanceRow[] {
  return rows.map((row) => {
    const exceedances = toNumber(row['exceedances']) ?? 0;
    const listed = Array.isArray(row['exceeding']) ? (row['exceeding'] as unknown[]) : [];
    return {
      group: row['grp'] === null ? null : String(row['grp']),
      pollutant: limit.pollutant,
      averaging: limit.averaging,
      limit: limit.limit,
      unit: limit.unit,
      allowedPerYear: limit.allowedPerYear,
      exceedances,
      validPeriods: toNumber(row['valid_periods']) ?? 0,
      periods: toNumber(row['periods']) ?? 0,
      maxMean: toNumber(row['max_mean']),
      meanOfPeriods: toNumber(row['mean_of_periods']),
      withinAllowance: limit.allowedPerYear === null ? null : exceedances <= limit.allowedPerYear,
      exceedingPeriods: listed.map(toIso),
    };
  });
}

export async function countExceedances(db: Queryable, request: ExceedanceRequest): Promise<ExceedanceRow[]> {
  if (request.plan.empty) return [];
  const sql = buildExceedanceSql(request);
  const { rows } = await db.query<Record<string, unknown>>(sql.text, sql.values);
  return parseExceedanceRows(rows, request.limit);
}
