/**
 * Time buckets. Every bucket is aligned to Hong Kong time: sub-day buckets to whole minutes/hours (Hong Kong
 * is UTC+8 all year, with no daylight saving since 1979, so an hour boundary in UTC is one in Hong Kong),
 * days to Hong Kong midnight, weeks to Monday 00:00 Hong Kong time. `all` is one bucket for the whole range.
 */
export const BUCKETS = ['1m', '5m', '15m', '1h', '1d', '1w', 'all'] as const;
export type Bucket = (typeof BUCKETS)[number];

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
/** Hong Kong's offset from UTC (HKT, UTC+8, no daylight saving). */
export const HK_OFFSET_MS = 8 * HOUR_MS;
/** Origin of day and week buckets: Monday 3 January 2000, 00:00 Hong Kong time. */
export const HK_ORIGIN_MS = Date.UTC(2000, 0, 3) - HK_OFFSET_MS;
export const HK_ORIGIN_SQL = "TIMESTAMPTZ '2000-01-03 00:00:00+08'";

export interface BucketSpec {
  bucket: Bucket;
  /** Length in ms; null for `all`. */
  lengthMs: number | null;
  /** The grid that the range is aligned to (outwards) before querying. */
  gridMs: number;
  /** An origin on that grid (epoch ms). */
  originMs: number;
  /** SQL interval literal, null for `all`. */
  interval: string | null;
}

const spec = (bucket: Bucket, lengthMs: number | null, gridMs: number, interval: string | null, originMs = 0): BucketSpec => ({
  bucket,
  lengthMs,
  gridMs,
  originMs,
  interval,
});

export const BUCKET_SPECS: Readonly<Record<Bucket, BucketSpec>> = {
  '1m': spec('1m', MINUTE_MS, MINUTE_MS, "INTERVAL '1 minute'"),
  '5m': spec('5m', 5 * MINUTE_MS, 5 * MINUTE_MS, "INTERVAL '5 minutes'"),
  '15m': spec('15m', 15 * MINUTE_MS, 15 * MINUTE_MS, "INTERVAL '15 minutes'"),
  '1h': spec('1h', HOUR_MS, HOUR_MS, "INTERVAL '1 hour'"),
  '1d': spec('1d', DAY_MS, DAY_MS, "INTERVAL '1 day'", HK_ORIGIN_MS),
  '1w': spec('1w', WEEK_MS, WEEK_MS, "INTERVAL '7 days'", HK_ORIGIN_MS),
  // One bucket over the whole range; the range is aligned to 5 minutes so the aggregates can answer it.
  all: spec('all', null, 5 * MINUTE_MS, null),
};

export function floorToGrid(ms: number, gridMs: number, originMs = 0): number {
  return originMs + Math.floor((ms - originMs) / gridMs) * gridMs;
}

export function ceilToGrid(ms: number, gridMs: number, originMs = 0): number {
  return originMs + Math.ceil((ms - originMs) / gridMs) * gridMs;
}

export function isOnGrid(ms: number, gridMs: number, originMs = 0): boolean {
  return (ms - originMs) % gridMs === 0;
}

/**
 * SQL for the bucket a row falls in. `column` is the row's time (or the aggregate's bucket); `rangeStart`
 * is the placeholder of the range start, used as the single bucket of `all`. Day and week buckets use a
 * fixed Hong Kong origin (time_bucket with an origin is cheaper than the time-zone form, and gives the same
 * answer for a zone without daylight saving; a test checks it against time_bucket(..., 'Asia/Hong_Kong')).
 */
export function bucketSql(bucket: Bucket, column: string, rangeStart: string): string {
  const s = BUCKET_SPECS[bucket];
  if (s.interval === null) return `${rangeStart}::timestamptz`;
  if (s.originMs !== 0) return `time_bucket(${s.interval}, ${column}, ${HK_ORIGIN_SQL})`;
  return `time_bucket(${s.interval}, ${column})`;
}

/** The wall-clock date and hour in Hong Kong of an instant (HK has a fixed offset). */
export function hongKongParts(ms: number): { date: string; hour: number; isoDayOfWeek: number } {
  const local = new Date(ms + HK_OFFSET_MS);
  const isoDayOfWeek = ((local.getUTCDay() + 6) % 7) + 1;
  return { date: local.toISOString().slice(0, 10), hour: local.getUTCHours(), isoDayOfWeek };
}
