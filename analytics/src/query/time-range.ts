/**
 * A half-open time range [from, to) in epoch milliseconds: parsing the request's `from`/`to`, the checks
 * that name the bad parameter, and the outward alignment to a bucket grid.
 */
import { badParameter } from '@streetwise/errors';
import { BUCKET_SPECS, DAY_MS, ceilToGrid, floorToGrid, type Bucket } from './bucket.js';

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * Parse an ISO 8601 instant. A date alone ("2024-03-01") means Hong Kong midnight of that day; a date-time
 * must carry its zone ("Z" or "+08:00"), so nobody's local clock changes the answer.
 */
export function parseInstant(text: string, parameter: string): number {
  if (!ISO_WITH_ZONE.test(text)) {
    throw badParameter(parameter, `must be an ISO 8601 date-time with a zone (e.g. 2024-03-01T00:00:00+08:00) or a date (Hong Kong midnight), not "${text}"`);
  }
  const ms = text.length === 10 ? Date.parse(`${text}T00:00:00+08:00`) : Date.parse(text);
  if (!Number.isFinite(ms) || !isRealCalendarDate(text)) {
    throw badParameter(parameter, `is not a real date: "${text}"`);
  }
  return ms;
}

/** Date.parse rolls 31 February over into March; a request that says it means a mistake. */
function isRealCalendarDate(text: string): boolean {
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth) return false;
  const clock = /T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  return !clock || (Number(clock[1]) <= 23 && Number(clock[2]) <= 59 && Number(clock[3] ?? 0) <= 59);
}

export interface RangeInput {
  from?: string | undefined;
  to?: string | undefined;
}

/** Default when a request names no range: the last 24 hours up to `nowMs`. */
export const DEFAULT_RANGE_MS = DAY_MS;

/**
 * The requested range. `to` defaults to now, `from` to 24 h before `to`. `to` earlier than `from` is an
 * error naming `to`; `to` equal to `from` is an empty range (answered with no rows).
 */
export function parseRange(input: RangeInput, nowMs: number): TimeRange {
  const toMs = input.to === undefined ? nowMs : parseInstant(input.to, 'to');
  const fromMs = input.from === undefined ? toMs - DEFAULT_RANGE_MS : parseInstant(input.from, 'from');
  if (toMs < fromMs) {
    throw badParameter('to', `must not be earlier than from: the range ${new Date(fromMs).toISOString()} … ${new Date(toMs).toISOString()} is inverted`);
  }
  return { fromMs, toMs };
}

export function isEmptyRange(range: TimeRange): boolean {
  return range.toMs <= range.fromMs;
}

/** Widen the range outwards to whole buckets (Hong Kong days and weeks for 1d/1w). */
export function alignRange(range: TimeRange, bucket: Bucket): TimeRange {
  if (isEmptyRange(range)) return range;
  const s = BUCKET_SPECS[bucket];
  return { fromMs: floorToGrid(range.fromMs, s.gridMs, s.originMs), toMs: ceilToGrid(range.toMs, s.gridMs, s.originMs) };
}

export function rangeDays(range: TimeRange): number {
  return (range.toMs - range.fromMs) / DAY_MS;
}

export function shiftRange(range: TimeRange, byMs: number): TimeRange {
  return { fromMs: range.fromMs + byMs, toMs: range.toMs + byMs };
}

export function rangeToIso(range: TimeRange): { from: string; to: string } {
  return { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString() };
}
