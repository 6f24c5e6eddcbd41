/**
 * Hour-of-week profile: for each of the 168 Hong Kong hours of the week (Monday 00:00 … Sunday 23:00), the
 * mean hourly motor-vehicle volume and pedestrian count over the hours of that kind that had readings, and
 * the reading-weighted mean speed. An hour in which no device reported is left out of the mean (it is
 * missing data, not zero traffic); `hours` says how many went into each mean.
 */
import { hongKongParts } from '../query/bucket.js';
import type { DeviceFilter, GroupBy, TimeOfDayFilter } from '../query/filters.js';
import type { QueryPlan } from '../query/planner.js';
import { toNumber, type SqlQuery } from '../query/sql.js';
import { buildSeriesSql } from '../query/telemetry-series.js';
import type { TelemetrySums } from '../query/telemetry-fields.js';
import { countOf, ratio } from './telemetry-measure.js';
import { motorVehiclesOf, motorVehiclesSql } from './volume.js';

export interface HourOfWeek {
  group: string | null;
  /** ISO day of week, 1 = Monday. */
  isoDayOfWeek: number;
  /** Hong Kong hour, 0–23. */
  hour: number;
  hours: number;
  motorVehiclesPerHour: number;
  personsPerHour: number;
  speedKmhAvg: number | null;
}

export const HOUR_OF_WEEK_FIELDS = ['samples', 'count_car', 'count_motorcycle', 'count_bus', 'count_truck', 'volume', 'count_person', 'speed_sum', 'speed_n'] as const;

export interface HourlyRow {
  bucket: string;
  group: string | null;
  sums: Partial<TelemetrySums>;
}

/** From hourly rows (one per hour and group), the profile per group, ordered by group, day, hour. */
export function hourOfWeekProfile(rows: readonly HourlyRow[]): HourOfWeek[] {
  const cells = new Map<string, { group: string | null; d: number; h: number; hours: number; vehicles: number; persons: number; speedSum: number; speedN: number }>();
  for (const row of rows) {
    if (!row.sums.samples) continue;
    const { isoDayOfWeek, hour } = hongKongParts(Date.parse(row.bucket));
    const key = `${row.group ?? ''}|${isoDayOfWeek}|${hour}`;
    const cell = cells.get(key) ?? { group: row.group, d: isoDayOfWeek, h: hour, hours: 0, vehicles: 0, persons: 0, speedSum: 0, speedN: 0 };
    cell.hours += 1;
    cell.vehicles += motorVehiclesOf(row.sums);
    cell.persons += countOf(row.sums.count_person);
    cell.speedSum += row.sums.speed_sum ?? 0;
    cell.speedN += row.sums.speed_n ?? 0;
    cells.set(key, cell);
  }
  return [...cells.values()]
    .sort((a, b) => ((a.group ?? '') !== (b.group ?? '') ? ((a.group ?? '') < (b.group ?? '') ? -1 : 1) : a.d - b.d || a.h - b.h))
    .map((c) => ({
      group: c.group,
      isoDayOfWeek: c.d,
      hour: c.h,
      hours: c.hours,
      motorVehiclesPerHour: c.vehicles / c.hours,
      personsPerHour: c.persons / c.hours,
      speedKmhAvg: ratio(c.speedSum, c.speedN),
    }));
}

/**
 * The same profile computed in the database (one row per group and hour of week instead of one per hour):
 * the hourly series as a CTE, then grouped by Hong Kong day of week and hour. Not for groupBy=h3 (rolled up
 * in JS from per-device rows).
 */
export function buildHourOfWeekSql(request: { plan: QueryPlan; filter: DeviceFilter; groupBy: Exclude<GroupBy, 'h3'>; timeOfDay?: TimeOfDayFilter | undefined }): SqlQuery {
  const hourly = buildSeriesSql({ ...request, fields: HOUR_OF_WEEK_FIELDS, presentWhen: ['samples'], withTotal: false });
  const vehicles = motorVehiclesSql('h');
  const local = "(h.bucket AT TIME ZONE 'Asia/Hong_Kong')";
  return {
    text: `WITH h AS (
${hourly.text})
SELECT h.grp, extract(isodow FROM ${local})::int AS dow, extract(hour FROM ${local})::int AS hour,
       count(*)::float8 AS hours,
       sum(${vehicles})::float8 / count(*) AS vehicles,
       sum(coalesce(h.count_person, 0))::float8 / count(*) AS persons,
       sum(h.speed_sum) / nullif(sum(h.speed_n), 0) AS speed
FROM h
GROUP BY 1, 2, 3
ORDER BY 1 NULLS FIRST, 2, 3`,
    values: hourly.values,
  };
}

export function parseHourOfWeekRows(rows: ReadonlyArray<Record<string, unknown>>): HourOfWeek[] {
  return rows.map((r) => ({
    group: r['grp'] === null ? null : String(r['grp']),
    isoDayOfWeek: toNumber(r['dow']) ?? 0,
    hour: toNumber(r['hour']) ?? 0,
    hours: toNumber(r['hours']) ?? 0,
    motorVehiclesPerHour: toNumber(r['vehicles']) ?? 0,
    personsPerHour: toNumber(r['persons']) ?? 0,
    speedKmhAvg: toNumber(r['speed']),
  }));
}
