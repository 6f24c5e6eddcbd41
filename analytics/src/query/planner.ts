/**
 * The query planner: which table answers a request. It picks the coarsest continuous aggregate that
 * answers exactly — telemetry_1d when the bucket is whole Hong Kong days (1d, 1w, all) and the aligned
 * range runs from one Hong Kong midnight to another, telemetry_1h when the bucket and range are whole hours,
 * telemetry_5m when both are on 5-minute boundaries — and raw rows only when the request asks for them
 * (source=raw) or needs them (a bucket under 5 minutes). Hong Kong midnight is a whole UTC hour, so the
 * hourly aggregate also answers day and week buckets exactly.
 */
import {
  SW_ANALYTICS_RANGE_TOO_LARGE,
  SW_ANALYTICS_RANGE_TOO_LARGE_FOR_RAW,
  SW_ANALYTICS_SOURCE_MISMATCH,
} from '../errors.js';
import { BUCKET_SPECS, DAY_MS, HK_ORIGIN_MS, HOUR_MS, MINUTE_MS, isOnGrid, type Bucket } from './bucket.js';
import { alignRange, isEmptyRange, rangeDays, rangeToIso, type TimeRange } from './time-range.js';

export const SOURCE_REQUESTS = ['auto', 'raw', '5m', '1h', '1d'] as const;
export type SourceRequest = (typeof SOURCE_REQUESTS)[number];
export type Grain = 'raw' | '5m' | '1h' | '1d';
type AggregateGrain = Exclude<Grain, 'raw'>;
/** Coarsest first: the order the planner tries them in. */
export const AGGREGATE_GRAINS: readonly AggregateGrain[] = ['1d', '1h', '5m'];

export interface PlannerLimits {
  /** Longest range read from raw rows, days. */
  maxRawDays: number;
  /** Most buckets one request may ask for (before grouping). */
  maxBuckets: number;
}

export const DEFAULT_PLANNER_LIMITS: PlannerLimits = { maxRawDays: 7, maxBuckets: 50_000 };

export interface PlanRequest {
  range: TimeRange;
  bucket: Bucket;
  source?: SourceRequest | undefined;
  /**
   * The coarsest aggregate that can answer: '1h' when the request needs hourly rows (a local-hour filter,
   * hourly means for AQO exceedances).
   */
  coarsest?: AggregateGrain | undefined;
}

export interface QueryPlan {
  grain: Grain;
  bucket: Bucket;
  /** The range actually answered: the request's range widened to whole buckets. */
  range: TimeRange;
  /** True when the request's range is empty: the answer has no rows and no query runs. */
  empty: boolean;
  /** Why this grain, for the response's meta and for people reading logs. */
  reason: string;
}

/** Each aggregate's bucket length and origin: days start at Hong Kong midnight. */
const GRAIN_GRID: Record<AggregateGrain, { ms: number; originMs: number }> = {
  '1d': { ms: DAY_MS, originMs: HK_ORIGIN_MS },
  '1h': { ms: HOUR_MS, originMs: 0 },
  '5m': { ms: 5 * MINUTE_MS, originMs: 0 },
};

/** Why a grain cannot answer exactly, or null when it can. */
export function inexactBecause(grain: AggregateGrain, bucket: Bucket, range: TimeRange): string | null {
  const grid = GRAIN_GRID[grain];
  const s = BUCKET_SPECS[bucket];
  if (s.lengthMs !== null && (s.lengthMs % grid.ms !== 0 || !isOnGrid(s.originMs, grid.ms, grid.originMs))) {
    return `a ${bucket} bucket is not a whole number of ${grain} buckets`;
  }
  if (!isOnGrid(range.fromMs, grid.ms, grid.originMs) || !isOnGrid(range.toMs, grid.ms, grid.originMs)) {
    return `the range does not start and end on ${grain === '1d' ? 'Hong Kong midnights' : `${grain} boundaries`}`;
  }
  return null;
}

export function planQuery(request: PlanRequest, limits: PlannerLimits = DEFAULT_PLANNER_LIMITS): QueryPlan {
  const { bucket } = request;
  const allowed = AGGREGATE_GRAINS.slice(AGGREGATE_GRAINS.indexOf(request.coarsest ?? '1d'));
  const source = request.source ?? 'auto';
  const empty = isEmptyRange(request.range);
  const range = alignRange(request.range, bucket);
  const lengthMs = BUCKET_SPECS[bucket].lengthMs;
  const buckets = empty || lengthMs === null ? 1 : (range.toMs - range.fromMs) / lengthMs;
  if (buckets > limits.maxBuckets) {
    const iso = rangeToIso(range);
    throw SW_ANALYTICS_RANGE_TOO_LARGE([iso.from, iso.to, bucket, buckets, limits.maxBuckets], { parameter: 'bucket' });
  }
  let grain: Grain;
  let reason: string;
  if (source === 'raw') {
    grain = 'raw';
    reason = 'raw rows were asked for (source=raw)';
  } else if (source !== 'auto') {
    const why = allowed.includes(source) ? inexactBecause(source, bucket, range) : `this request needs rows of ${request.coarsest} or finer`;
    if (why !== null) throw SW_ANALYTICS_SOURCE_MISMATCH([source, bucket, why], { parameter: 'source' });
    grain = source;
    reason = `the ${source} aggregate was asked for (source=${source})`;
  } else {
    const exact = allowed.find((g) => inexactBecause(g, bucket, range) === null);
    grain = exact ?? 'raw';
    reason = exact
      ? `bucket ${bucket} and the range are whole ${exact === '1d' ? 'Hong Kong days' : `${exact} buckets`}: telemetry_${exact} answers exactly`
      : `bucket ${bucket} is finer than the 5-minute aggregate: raw rows answer`;
  }
  if (grain === 'raw' && !empty && rangeDays(range) > limits.maxRawDays) {
    const iso = rangeToIso(range);
    throw SW_ANALYTICS_RANGE_TOO_LARGE_FOR_RAW([limits.maxRawDays, iso.from, iso.to, Math.round(rangeDays(range) * 100) / 100], { parameter: 'to' });
  }
  return { grain, bucket, range, empty, reason };
}
