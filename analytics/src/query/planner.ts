/**
 * The query planner: which table answers a request. It picks the coarsest continuous aggregate that
 * answers exactly — telemetry_1h when the bucket is a whole number of hours and the (aligned) range starts
 * and ends on whole hours, telemetry_5m when both are on 5-minute boundaries — and raw rows only when the
 * request asks for them (source=raw) or needs them (a bucket under 5 minutes). Day and week buckets start
 * at Hong Kong midnight, which is a whole UTC hour, so the hourly aggregate answers them exactly.
 */
import {
  SW_ANALYTICS_RANGE_TOO_LARGE,
  SW_ANALYTICS_RANGE_TOO_LARGE_FOR_RAW,
  SW_ANALYTICS_SOURCE_MISMATCH,
  parameterError,
} from '../errors.js';
import { BUCKET_SPECS, HOUR_MS, MINUTE_MS, isOnGrid, type Bucket } from './bucket.js';
import { alignRange, isEmptyRange, rangeDays, rangeToIso, type TimeRange } from './time-range.js';

export const SOURCE_REQUESTS = ['auto', 'raw', '5m', '1h'] as const;
export type SourceRequest = (typeof SOURCE_REQUESTS)[number];
export type Grain = 'raw' | '5m' | '1h';

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

const GRAIN_MS: Record<Exclude<Grain, 'raw'>, number> = { '1h': HOUR_MS, '5m': 5 * MINUTE_MS };

/** Why a grain cannot answer exactly, or null when it can. */
export function inexactBecause(grain: Exclude<Grain, 'raw'>, bucket: Bucket, range: TimeRange): string | null {
  const grainMs = GRAIN_MS[grain];
  const lengthMs = BUCKET_SPECS[bucket].lengthMs;
  if (lengthMs !== null && lengthMs % grainMs !== 0) return `a ${bucket} bucket is not a whole number of ${grain} buckets`;
  if (!isOnGrid(range.fromMs, grainMs) || !isOnGrid(range.toMs, grainMs)) return `the range does not start and end on ${grain} boundaries`;
  return null;
}

export function planQuery(request: PlanRequest, limits: PlannerLimits = DEFAULT_PLANNER_LIMITS): QueryPlan {
  const { bucket } = request;
  const source = request.source ?? 'auto';
  const empty = isEmptyRange(request.range);
  const range = alignRange(request.range, bucket);
  const lengthMs = BUCKET_SPECS[bucket].lengthMs;
  const buckets = empty || lengthMs === null ? 1 : (range.toMs - range.fromMs) / lengthMs;
  if (buckets > limits.maxBuckets) {
    const iso = rangeToIso(range);
    throw parameterError(SW_ANALYTICS_RANGE_TOO_LARGE, 'bucket', [iso.from, iso.to, bucket, buckets, limits.maxBuckets]);
  }
  let grain: Grain;
  let reason: string;
  if (source === 'raw') {
    grain = 'raw';
    reason = 'raw rows were asked for (source=raw)';
  } else if (source === '1h' || source === '5m') {
    const why = inexactBecause(source, bucket, range);
    if (why !== null) throw parameterError(SW_ANALYTICS_SOURCE_MISMATCH, 'source', [source, bucket, why]);
    grain = source;
    reason = `the ${source} aggregate was asked for (source=${source})`;
  } else if (inexactBecause('1h', bucket, range) === null) {
    grain = '1h';
    reason = `bucket ${bucket} and the range are whole hours: the hourly aggregate answers exactly`;
  } else if (inexactBecause('5m', bucket, range) === null) {
    grain = '5m';
    reason = `bucket ${bucket} is a whole number of 5-minute buckets: the 5-minute aggregate answers exactly`;
  } else {
    grain = 'raw';
    reason = `bucket ${bucket} is finer than the 5-minute aggregate: raw rows answer`;
  }
  if (grain === 'raw' && !empty && rangeDays(range) > limits.maxRawDays) {
    const iso = rangeToIso(range);
    throw parameterError(SW_ANALYTICS_RANGE_TOO_LARGE_FOR_RAW, 'to', [
      limits.maxRawDays,
      iso.from,
      iso.to,
      Math.round(rangeDays(range) * 100) / 100,
    ]);
  }
  return { grain, bucket, range, empty, reason };
}
