/**
 * Free-flow speed per device, the denominator of the congestion index.
 *
 * Definition: a speed configured for the device (analytics_free_flow.configured_kmh) if an operator set
 * one; otherwise the 85th percentile of the device's hourly mean speeds between 00:00 and 05:00 Hong Kong
 * time over the last 28 days — when roads are empty, drivers go as fast as the road lets them — provided
 * there are at least 10 such hours. A device with neither has no congestion index (null), rather than a
 * guessed one. Hourly means (telemetry_1h), not 5-minute ones: on 30 days × 500 devices the 5-minute
 * version read 840 k rows and held the single embedded connection for ~10 s; the hourly one reads 70 k.
 */
import type { Queryable } from '@streetwise/db';
import { DAY_MS, HOUR_MS, floorToGrid } from '../query/bucket.js';
import { SqlParams, isoParam, type SqlQuery } from '../query/sql.js';

export interface FreeFlowOptions {
  /** First local hour of the night window (inclusive). */
  nightStartHour: number;
  /** Local hour the night window ends (exclusive). */
  nightEndHour: number;
  lookbackDays: number;
  percentile: number;
  /** Fewest night hours with a speed for a computed value. */
  minHours: number;
}

export const DEFAULT_FREE_FLOW_OPTIONS: FreeFlowOptions = {
  nightStartHour: 0,
  nightEndHour: 5,
  lookbackDays: 28,
  percentile: 0.85,
  minHours: 10,
};

/** Recompute every device's computed free-flow speed from the hourly aggregate (upsert). */
export function buildComputeFreeFlowSql(nowMs: number, options: FreeFlowOptions = DEFAULT_FREE_FLOW_OPTIONS): SqlQuery {
  const params = new SqlParams();
  const to = floorToGrid(nowMs, HOUR_MS);
  const from = params.add(isoParam(to - options.lookbackDays * DAY_MS));
  const until = params.add(isoParam(to));
  const start = params.add(options.nightStartHour);
  const end = params.add(options.nightEndHour);
  const percentile = params.add(options.percentile);
  const min = params.add(options.minHours);
  const computedAt = params.add(isoParam(nowMs));
  const text = `INSERT INTO analytics_free_flow (device_id, computed_kmh, computed_intervals, computed_at, updated_at)
SELECT t.device_id,
       percentile_cont(${percentile}::float8) WITHIN GROUP (ORDER BY t.speed_sum::float8 / t.speed_n),
       count(*),
       ${computedAt}::timestamptz,
       ${computedAt}::timestamptz
FROM telemetry_1h t
WHERE t.bucket >= ${from}::timestamptz AND t.bucket < ${until}::timestamptz
  AND t.speed_n > 0
  AND extract(hour FROM t.bucket AT TIME ZONE 'Asia/Hong_Kong') >= ${start}::int
  AND extract(hour FROM t.bucket AT TIME ZONE 'Asia/Hong_Kong') < ${end}::int
GROUP BY t.device_id
HAVING count(*) >= ${min}::int
ON CONFLICT (device_id) DO UPDATE
  SET computed_kmh = excluded.computed_kmh, computed_intervals = excluded.computed_intervals,
      computed_at = excluded.computed_at, updated_at = excluded.updated_at`;
  return { text, values: params.values };
}

export async function computeFreeFlowSpeeds(db: Queryable, nowMs: number, options?: FreeFlowOptions): Promise<number> {
  const sql = buildComputeFreeFlowSql(nowMs, options);
  return (await db.query(sql.text, sql.values)).rowCount;
}

/** Set (or with null, clear) the configured free-flow speed of a device. */
export async function setConfiguredFreeFlow(db: Queryable, deviceId: string, speedKmh: number | null): Promise<void> {
  await db.query(
    `INSERT INTO analytics_free_flow (device_id, configured_kmh) VALUES ($1, $2)
     ON CONFLICT (device_id) DO UPDATE SET configured_kmh = excluded.configured_kmh, updated_at = now()`,
    [deviceId, speedKmh],
  );
}

export interface FreeFlowSpeed {
  deviceId: string;
  speedKmh: number;
  source: 'configured' | 'night_p85';
}

export async function listFreeFlowSpeeds(db: Queryable): Promise<FreeFlowSpeed[]> {
  const { rows } = await db.query<{ device_id: string; configured_kmh: number | null; computed_kmh: number | null }>(
    'SELECT device_id, configured_kmh, computed_kmh FROM analytics_free_flow ORDER BY device_id',
  );
  return rows.flatMap((r): FreeFlowSpeed[] => {
    if (r.configured_kmh !== null) return [{ deviceId: r.device_id, speedKmh: Number(r.configured_kmh), source: 'configured' as const }];
    if (r.computed_kmh !== null) return [{ deviceId: r.device_id, speedKmh: Number(r.computed_kmh), source: 'night_p85' as const }];
    return [];
  });
}
