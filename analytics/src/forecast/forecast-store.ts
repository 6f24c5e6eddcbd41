/** Writing forecasts (upsert: a later run for the same target replaces the earlier one) and reading them. */
import { motorVehiclesSql } from '../measures/volume.js';
import { SqlParams, isoParam, type SqlQuery } from '../query/sql.js';

export interface StoredForecast {
  deviceId: string;
  horizonMin: number;
  /** End of the forecast 5-minute interval = the telemetry_5m bucket key it will be compared with. */
  targetMs: number;
  issuedAtMs: number;
  flow: number | null;
  speedKmh: number | null;
  modelName: string;
  modelVersion: string;
}

export function buildUpsertForecastsSql(forecasts: readonly StoredForecast[]): SqlQuery {
  return {
    text: `INSERT INTO forecasts (device_id, horizon_min, target_time, issued_at, flow, speed_kmh, model_name, model_version)
SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::timestamptz[], $5::real[], $6::real[], $7::text[], $8::text[])
ON CONFLICT (device_id, horizon_min, target_time) DO UPDATE
  SET issued_at = excluded.issued_at, flow = excluded.flow, speed_kmh = excluded.speed_kmh,
      model_name = excluded.model_name, model_version = excluded.model_version, created_at = now()`,
    values: [
      forecasts.map((f) => f.deviceId),
      forecasts.map((f) => f.horizonMin),
      forecasts.map((f) => isoParam(f.targetMs)),
      forecasts.map((f) => isoParam(f.issuedAtMs)),
      forecasts.map((f) => f.flow),
      forecasts.map((f) => f.speedKmh),
      forecasts.map((f) => f.modelName),
      forecasts.map((f) => f.modelVersion),
    ],
  };
}

/**
 * Actual 5-minute flow and speed next to the forecasts for the same intervals, for some devices, one
 * horizon. Actual: telemetry_5m; forecast: the forecasts table. Rows for every 5-minute bucket that has either.
 */
export function buildForecastVsActualSql(deviceIds: readonly string[], fromMs: number, toMs: number, horizonMin: number): SqlQuery {
  const params = new SqlParams();
  const devices = params.add([...deviceIds]);
  const from = params.add(isoParam(fromMs));
  const to = params.add(isoParam(toMs));
  const horizon = params.add(horizonMin);
  return {
    text: `WITH actual AS (
  SELECT t.device_id, t.bucket,
         ${motorVehiclesSql('t')}::float8 AS flow,
         (t.speed_sum / nullif(t.speed_n, 0))::float8 AS speed
  FROM telemetry_5m t
  WHERE t.device_id = ANY(${devices}::text[]) AND t.bucket >= ${from}::timestamptz AND t.bucket < ${to}::timestamptz),
predicted AS (
  SELECT f.device_id, f.target_time AS bucket, f.flow::float8 AS flow, f.speed_kmh::float8 AS speed, f.issued_at, f.model_version
  FROM forecasts f
  WHERE f.device_id = ANY(${devices}::text[]) AND f.horizon_min = ${horizon}::int
    AND f.target_time >= ${from}::timestamptz AND f.target_time < ${to}::timestamptz)
SELECT coalesce(a.device_id, p.device_id) AS device_id, coalesce(a.bucket, p.bucket) AS bucket,
       a.flow AS actual_flow, a.speed AS actual_speed, p.flow AS forecast_flow, p.speed AS forecast_speed,
       p.issued_at, p.model_version
FROM actual a FULL JOIN predicted p ON p.device_id = a.device_id AND p.bucket = a.bucket
ORDER BY 1, 2`,
    values: params.values,
  };
}
