/**
 * The input of a forecast run: each device's last 12 five-minute intervals (motor-vehicle flow as the volume
 * measure counts it, and mean speed, from telemetry_5m), the same times of day on the 7 days before (the
 * model's history features: the speed at t, t+15, t+30 and t+60 min on earlier days), and its scales (95th
 * percentiles of flow and speed over the last 24 hours, as the model was trained with). A device needs all
 * 12 recent intervals with a speed to be forecast; the history rows are passed where they exist (the
 * forecaster reads rows by time, so the rows in between need not be read).
 */
import { MOTOR_VEHICLE_FIELDS, motorVehiclesSql } from '../measures/volume.js';
import { MINUTE_MS } from '../query/bucket.js';
import { SqlParams, isoParam, toNumber, type SqlQuery } from '../query/sql.js';

export const LOOKBACK_INTERVALS = 12;
export const STEP_MS = 5 * MINUTE_MS;
export const SCALE_WINDOW_MS = 24 * 60 * MINUTE_MS;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Earlier days whose same-time-of-day intervals are read (the model was trained on series up to a week long). */
export const HISTORY_DAYS = 7;
/** The history features' offsets from the last interval, in intervals: t, +15, +30, +60 min. */
const HISTORY_STEPS = [0, 3, 6, 12] as const;

/** Bucket keys of the history rows: the last interval's time of day (and +15/30/60 min) on each of the days before. */
export function historyBuckets(issuedAtMs: number): number[] {
  const last = issuedAtMs - STEP_MS;
  const out: number[] = [];
  for (let d = HISTORY_DAYS; d >= 1; d--) for (const h of HISTORY_STEPS) out.push(last + h * STEP_MS - d * DAY_MS);
  return out;
}

// Flow is the volume measure's motor vehicles (measures/volume.ts): motor class counts plus the volume of
// readings without classes (telemetry_5m.volume), so a loop detector of the Transport Department's feed
// has a flow series like a camera.
const FLOW_SQL = motorVehiclesSql('t');
const HAS_FLOW_SQL = `(${MOTOR_VEHICLE_FIELDS.map((f) => `t.${f} IS NOT NULL`).join(' OR ')})`;

/** The 12 intervals before `issuedAtMs` (a 5-minute boundary) and the history buckets, for every device with a speed in them. */
export function buildHistorySql(issuedAtMs: number): SqlQuery {
  const params = new SqlParams();
  const from = params.add(isoParam(issuedAtMs - LOOKBACK_INTERVALS * STEP_MS));
  const to = params.add(isoParam(issuedAtMs));
  const earlier = params.add(historyBuckets(issuedAtMs).map(isoParam));
  return {
    text: `SELECT t.device_id, t.bucket, ${FLOW_SQL}::float8 AS flow, ${HAS_FLOW_SQL} AS has_flow, (t.speed_sum / t.speed_n)::float8 AS speed
FROM telemetry_5m t
WHERE ((t.bucket >= ${from}::timestamptz AND t.bucket < ${to}::timestamptz) OR t.bucket = ANY(${earlier}::timestamptz[])) AND t.speed_n > 0
ORDER BY t.device_id, t.bucket`,
    values: params.values,
  };
}

/** Per device: 95th percentiles of 5-minute flow and speed over the last 24 hours (at least 1). */
export function buildScalesSql(issuedAtMs: number): SqlQuery {
  const params = new SqlParams();
  const from = params.add(isoParam(issuedAtMs - SCALE_WINDOW_MS));
  const to = params.add(isoParam(issuedAtMs));
  return {
    text: `SELECT t.device_id,
       greatest(1, coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY ${FLOW_SQL}) FILTER (WHERE ${HAS_FLOW_SQL}), 1))::float8 AS flow_scale,
       greatest(1, percentile_cont(0.95) WITHIN GROUP (ORDER BY t.speed_sum / t.speed_n))::float8 AS speed_scale
FROM telemetry_5m t
WHERE t.bucket >= ${from}::timestamptz AND t.bucket < ${to}::timestamptz AND t.speed_n > 0
GROUP BY t.device_id`,
    values: params.values,
  };
}

export interface HistoryRow {
  timeMs: number;
  speedKmh: number;
  flow: number | undefined;
}

export interface DeviceHistory {
  deviceId: string;
  rows: HistoryRow[];
}

/**
 * Group the history query's rows by device and keep devices with all 12 recent intervals; their rows are the
 * history rows (in time order) then the 12. Row times are the 5-minute bucket keys (a reading with time T
 * sits in the bucket that starts at T rounded down).
 */
export function completeHistories(rows: ReadonlyArray<Record<string, unknown>>, issuedAtMs: number): { ready: DeviceHistory[]; incomplete: string[] } {
  const byDevice = new Map<string, HistoryRow[]>();
  for (const r of rows) {
    const id = String(r['device_id']);
    const list = byDevice.get(id) ?? [];
    const time = r['bucket'] instanceof Date ? r['bucket'].getTime() : Date.parse(String(r['bucket']));
    list.push({ timeMs: time, speedKmh: toNumber(r['speed']) ?? 0, flow: r['has_flow'] === true ? (toNumber(r['flow']) ?? 0) : undefined });
    byDevice.set(id, list);
  }
  const ready: DeviceHistory[] = [];
  const incomplete: string[] = [];
  const first = issuedAtMs - LOOKBACK_INTERVALS * STEP_MS;
  for (const [deviceId, list] of byDevice) {
    list.sort((a, b) => a.timeMs - b.timeMs);
    const recent = list.filter((row) => row.timeMs >= first);
    const complete = recent.length === LOOKBACK_INTERVALS && recent.every((row, i) => row.timeMs === first + i * STEP_MS);
    if (complete) ready.push({ deviceId, rows: list });
    else incomplete.push(deviceId);
  }
  return { ready, incomplete };
}
