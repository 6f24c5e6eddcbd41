/**
 * The dashboards' filters (time range, district, H3 cell, period comparison) as signals, and the query every
 * chart sends. Ranges are aligned to whole buckets here, so the previous period has exactly as many buckets
 * as the current one and the two overlay point for point.
 */
import { computed, signal } from '@preact/signals';

export const RANGE_PRESETS = ['24h', '7d', '30d', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export type ChartBucket = '1h' | '1d';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Hong Kong is UTC+8 all year: its midnight is 16:00 UTC. */
const HK_OFFSET_MS = 8 * HOUR_MS;

export interface Range {
  fromMs: number;
  toMs: number;
  bucket: ChartBucket;
}

const ceilTo = (ms: number, stepMs: number, offsetMs = 0) => Math.ceil((ms + offsetMs) / stepMs) * stepMs - offsetMs;

/** The Hong Kong midnight that starts a `yyyy-mm-dd` date. */
export const hkMidnightMs = (date: string): number => Date.parse(`${date}T00:00:00+08:00`);

/** The range a preset means at `nowMs`; custom takes Hong Kong dates, both days included. */
export function rangeOf(preset: RangePreset, nowMs: number, custom?: { from: string; to: string }): Range {
  switch (preset) {
    case '24h': {
      const toMs = ceilTo(nowMs, HOUR_MS);
      return { fromMs: toMs - DAY_MS, toMs, bucket: '1h' };
    }
    case '7d': {
      const toMs = ceilTo(nowMs, HOUR_MS);
      return { fromMs: toMs - 7 * DAY_MS, toMs, bucket: '1h' };
    }
    case '30d': {
      const toMs = ceilTo(nowMs, DAY_MS, HK_OFFSET_MS);
      return { fromMs: toMs - 30 * DAY_MS, toMs, bucket: '1d' };
    }
    case 'custom': {
      const fromMs = hkMidnightMs(custom?.from ?? '');
      const toMs = hkMidnightMs(custom?.to ?? '') + DAY_MS;
      if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs <= fromMs) return rangeOf('24h', nowMs);
      return { fromMs, toMs, bucket: toMs - fromMs <= 7 * DAY_MS ? '1h' : '1d' };
    }
  }
}

/** The equally long range just before. */
export const previousRange = (range: Range): Range => ({ ...range, fromMs: 2 * range.fromMs - range.toMs, toMs: range.fromMs });

export const bucketMs = (bucket: ChartBucket): number => (bucket === '1h' ? HOUR_MS : DAY_MS);

export const preset = signal<RangePreset>('24h');
export const customDates = signal<{ from: string; to: string }>({ from: '', to: '' });
/** When the range was chosen: "last 24 h" stays the same 24 h until the user chooses again. */
export const anchorMs = signal<number>(Date.now());
/** District code letter, or '' for all of Hong Kong. */
export const district = signal<string>('');
/** H3 cell id, or ''. */
export const h3Cell = signal<string>('');
export const comparePrevious = signal<boolean>(true);

export function choosePreset(next: RangePreset): void {
  anchorMs.value = Date.now();
  preset.value = next;
}

export const range = computed<Range>(() => rangeOf(preset.value, anchorMs.value, customDates.value));

/** Query parameters of a range and the place filters. */
export function placeParams(): Record<string, string> {
  const params: Record<string, string> = {};
  if (district.value) params['district'] = district.value;
  if (h3Cell.value) params['h3'] = h3Cell.value;
  return params;
}

export function rangeParams(r: Range): Record<string, string> {
  return { from: new Date(r.fromMs).toISOString(), to: new Date(r.toMs).toISOString() };
}

export const H3_CELL_PATTERN = /^[0-9a-f]{15}$/;
