/**
 * Past days of 5-minute telemetry for the devices the simulated fleet registered, generated inside the
 * database (one statement per 6 hours, as the analytics bench loads its days), then the continuous
 * aggregates refreshed: the planners' dashboards read the aggregates, so they have days to draw.
 * Traffic follows Hong Kong's daily peaks with a quieter weekend; air quality and noise drift with it.
 */
import { analyzeAggregates, computeFreeFlowSpeeds } from '@streetwise/analytics';
import type { Queryable } from '@streetwise/db';

const HOUR_MS = 3_600_000;
const STEP_MS = 6 * HOUR_MS;

/** Relative demand by Hong Kong hour: night trough, morning and evening peaks. */
const HOURLY_PROFILE = [0.15, 0.1, 0.08, 0.07, 0.1, 0.2, 0.45, 0.85, 1.0, 0.85, 0.7, 0.7, 0.72, 0.7, 0.7, 0.75, 0.85, 0.95, 1.0, 0.8, 0.6, 0.45, 0.35, 0.25];

// k is a per-device, per-slot pseudo-random number; weekends (Hong Kong time) carry 70 % of the weekday demand.
const GENERATE_SQL = `INSERT INTO telemetry (time, id, device_id, interval_s, count_person, count_car, count_motorcycle, count_bus, count_truck,
                       speed_kmh_avg, occupancy_pct, pm25, no2, noise_dba)
SELECT ts, gen_random_uuid(), d.id, 300,
       CASE WHEN env THEN NULL ELSE round(40 * p) + k % 5 END,
       CASE WHEN env THEN NULL ELSE round(60 * p) + k % 7 END,
       CASE WHEN env THEN NULL ELSE k % 3 END,
       CASE WHEN env THEN NULL ELSE round(6 * p) END,
       CASE WHEN env THEN NULL ELSE round(8 * p) + k % 2 END,
       CASE WHEN env THEN NULL ELSE round(75 - 35 * p) + k % 5 END,
       CASE WHEN env THEN NULL ELSE round(40 * p) END,
       CASE WHEN env THEN round(12 + 30 * p) + k % 9 END,
       CASE WHEN env THEN round(40 + 120 * p) + k % 25 END,
       CASE WHEN env THEN round(55 + 15 * p) + k % 4 END
FROM generate_series($1::timestamptz, $2::timestamptz - interval '5 minutes', interval '5 minutes') AS ts
CROSS JOIN (SELECT id, kind IN ('air_quality', 'noise') AS env, row_number() OVER (ORDER BY id) - 1 AS idx FROM devices) AS d
CROSS JOIN LATERAL (
  SELECT abs(hashtext(d.id || ts::text)) AS k,
         ($3::float8[])[extract(hour FROM ts AT TIME ZONE 'Asia/Hong_Kong')::int + 1]
           * CASE WHEN extract(isodow FROM ts AT TIME ZONE 'Asia/Hong_Kong') >= 6 THEN 0.7 ELSE 1 END AS p
) AS v`;

/** Loads `days` days ending at `endMs` (rounded down to the hour); returns the rows written. */
export async function loadPastTelemetry(db: Queryable, endMs: number, days = 7): Promise<number> {
  const end = Math.floor(endMs / HOUR_MS) * HOUR_MS;
  let rows = 0;
  for (let t = end - days * 24 * HOUR_MS; t < end; t += STEP_MS) {
    const r = await db.query(GENERATE_SQL, [new Date(t).toISOString(), new Date(Math.min(t + STEP_MS, end)).toISOString(), HOURLY_PROFILE]);
    rows += r.rowCount;
  }
  for (const view of ['telemetry_5m', 'telemetry_1h', 'telemetry_1d'] as const) await db.query(`CALL refresh_continuous_aggregate('${view}', NULL, NULL)`);
  await analyzeAggregates(db);
  await computeFreeFlowSpeeds(db, end);
  return rows;
}
