/**
 * The additive fields a telemetry query can ask for, written once per source: over raw rows, and over the
 * continuous aggregates (telemetry_5m, telemetry_1h, telemetry_1d), which keep sums, counts and maxima. Averages are
 * always derived afterwards as sum / count — never averaged again — so every grain gives the same answer.
 */
import type { Grain } from './planner.js';

export const TELEMETRY_FIELDS = [
  'samples',
  'count_person',
  'count_bicycle',
  'count_car',
  'count_motorcycle',
  'count_bus',
  'count_truck',
  // Σ volume of the rows without any class count (loop detectors): see UNCLASSIFIED_VOLUME_SQL.
  'volume',
  'speed_sum',
  'speed_n',
  'occupancy_sum',
  'occupancy_n',
  'zone_occupancy_max',
  'queue_length_m_max',
  'pm25_sum',
  'pm25_n',
  'pm25_max',
  'no2_sum',
  'no2_n',
  'no2_max',
  'noise_sum',
  'noise_n',
  'noise_max',
  // Congestion: Σ speed / free-flow speed of the row's device, over the samples whose device has one.
  'speed_ratio_sum',
  'speed_ratio_n',
] as const;
export type TelemetryField = (typeof TELEMETRY_FIELDS)[number];
export type TelemetrySums = Record<TelemetryField, number | null>;

/** Fields that need the free-flow join (ff.free_flow_kmh). */
export const FREE_FLOW_FIELDS: ReadonlySet<TelemetryField> = new Set(['speed_ratio_sum', 'speed_ratio_n']);

/**
 * A row's vehicles come from its class counts when it has any, else from its `volume` (a loop detector
 * counts vehicles without classes). So `volume` sums only the rows with no class count — over raw rows
 * here, and in telemetry_5m by the same filter (db/migrations/0103_volume_aggregates.sql), whose hourly
 * and daily aggregates sum it again: every grain gives the same answer.
 */
export const UNCLASSIFIED_VOLUME_SQL =
  'sum(t.volume) FILTER (WHERE t.count_person IS NULL AND t.count_bicycle IS NULL AND t.count_car IS NULL AND t.count_motorcycle IS NULL AND t.count_bus IS NULL AND t.count_truck IS NULL)';

const RAW: Record<TelemetryField, string> = {
  samples: 'count(*)',
  count_person: 'sum(t.count_person)',
  count_bicycle: 'sum(t.count_bicycle)',
  count_car: 'sum(t.count_car)',
  count_motorcycle: 'sum(t.count_motorcycle)',
  count_bus: 'sum(t.count_bus)',
  count_truck: 'sum(t.count_truck)',
  volume: UNCLASSIFIED_VOLUME_SQL,
  speed_sum: 'sum(t.speed_kmh_avg::float8)',
  speed_n: 'count(t.speed_kmh_avg)',
  occupancy_sum: 'sum(t.occupancy_pct::float8)',
  occupancy_n: 'count(t.occupancy_pct)',
  zone_occupancy_max: 'max(t.zone_occupancy)',
  queue_length_m_max: 'max(t.queue_length_m)',
  pm25_sum: 'sum(t.pm25::float8)',
  pm25_n: 'count(t.pm25)',
  pm25_max: 'max(t.pm25)',
  no2_sum: 'sum(t.no2::float8)',
  no2_n: 'count(t.no2)',
  no2_max: 'max(t.no2)',
  noise_sum: 'sum(t.noise_dba::float8)',
  noise_n: 'count(t.noise_dba)',
  noise_max: 'max(t.noise_dba)',
  speed_ratio_sum: 'sum(t.speed_kmh_avg::float8 / ff.free_flow_kmh)',
  speed_ratio_n: 'count(t.speed_kmh_avg) FILTER (WHERE ff.free_flow_kmh IS NOT NULL)',
};

const AGGREGATE: Record<TelemetryField, string> = {
  samples: 'sum(t.samples)',
  count_person: 'sum(t.count_person)',
  count_bicycle: 'sum(t.count_bicycle)',
  count_car: 'sum(t.count_car)',
  count_motorcycle: 'sum(t.count_motorcycle)',
  count_bus: 'sum(t.count_bus)',
  count_truck: 'sum(t.count_truck)',
  volume: 'sum(t.volume)',
  speed_sum: 'sum(t.speed_sum)',
  speed_n: 'sum(t.speed_n)',
  occupancy_sum: 'sum(t.occupancy_sum)',
  occupancy_n: 'sum(t.occupancy_n)',
  zone_occupancy_max: 'max(t.zone_occupancy_max)',
  queue_length_m_max: 'max(t.queue_length_m_max)',
  pm25_sum: 'sum(t.pm25_sum)',
  pm25_n: 'sum(t.pm25_n)',
  pm25_max: 'max(t.pm25_max)',
  no2_sum: 'sum(t.no2_sum)',
  no2_n: 'sum(t.no2_n)',
  no2_max: 'max(t.no2_max)',
  noise_sum: 'sum(t.noise_sum)',
  noise_n: 'sum(t.noise_n)',
  noise_max: 'max(t.noise_max)',
  speed_ratio_sum: 'sum(t.speed_sum::float8 / ff.free_flow_kmh)',
  speed_ratio_n: 'sum(t.speed_n) FILTER (WHERE ff.free_flow_kmh IS NOT NULL)',
};

export interface TelemetrySource {
  table: string;
  timeColumn: string;
}

export const TELEMETRY_SOURCES: Record<Grain, TelemetrySource> = {
  raw: { table: 'telemetry', timeColumn: 't.time' },
  '5m': { table: 'telemetry_5m', timeColumn: 't.bucket' },
  '1h': { table: 'telemetry_1h', timeColumn: 't.bucket' },
  '1d': { table: 'telemetry_1d', timeColumn: 't.bucket' },
};

/** SQL for one field at one grain, as float8 (bigint sums would come back as strings from pg). */
export function telemetryFieldSql(field: TelemetryField, grain: Grain): string {
  return `(${(grain === 'raw' ? RAW : AGGREGATE)[field]})::float8`;
}

/** Σ over rows of several field sets (rolling devices up to H3 cells): sums and counts add, maxima max. */
export function mergeSums(into: Partial<TelemetrySums>, row: Partial<TelemetrySums>): void {
  for (const key of Object.keys(row) as TelemetryField[]) {
    const value = row[key];
    if (value === null || value === undefined) {
      if (!(key in into)) into[key] = null;
      continue;
    }
    const current = into[key];
    if (current === null || current === undefined) into[key] = value;
    else into[key] = key.endsWith('_max') ? Math.max(current, value) : current + value;
  }
}
