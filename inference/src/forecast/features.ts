/**
 * The forecaster's input features and output layout, as models/train/forecaster.py builds them (keep the two
 * in step):
 * 34 features = flow[t-11..t]/flowScale, speed[t-11..t]/speedScale, sin/cos of the minute of the day,
 * sin/cos of the day of the week (local time, Hong Kong by default), has_flow (1, or 0 with the flow
 * features zeroed for a speed-only series), then the series' own speed history: the mean speed at the
 * time of day of t, t+15, t+30, t+60 min on all earlier days of the rows given (/speedScale; all four
 * speed[t] when t is less than a day into the rows), and has_history (1 when t is at least a day in).
 * Outputs: flow at +15/+30/+60 min, then speed at +15/+30/+60 min, in the same scaled units.
 */
import { SW_INFERENCE_SERIES_ORDER } from '../errors.js';

export const LOOKBACK = 12;
export const STEP_MINUTES = 5;
export const HORIZON_STEPS = [3, 6, 12] as const;
export const HORIZON_MINUTES = [15, 30, 60] as const;
export const STEPS_PER_DAY = 288;
/** Speed history at t and at each horizon, then has_history. */
export const N_HISTORY_FEATURES = HORIZON_STEPS.length + 2;
export const N_FEATURES = 2 * LOOKBACK + 5 + N_HISTORY_FEATURES;
export const N_OUTPUTS = 6;
/** Output index of the flow, then of the speed, at each horizon (HORIZON_MINUTES order). */
export const FLOW_OUTPUTS = [0, 1, 2] as const;
export const SPEED_OUTPUTS = [3, 4, 5] as const;
export const DEFAULT_UTC_OFFSET_HOURS = 8;
const STEP_MS = STEP_MINUTES * 60_000;

export interface SeriesRow {
  timeMs: number;
  speedKmh: number;
  /** Vehicles in the five-minute interval; undefined in a speed-only series. */
  flow: number | undefined;
}

export interface SeriesScales {
  flowScale: number;
  speedScale: number;
}

/** The 95th percentile (linear interpolation, as numpy's default), at least 1. */
export function percentile95(values: readonly number[]): number {
  if (values.length === 0) return 1;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = 0.95 * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  const value = sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
  return Math.max(1, value);
}

export function seriesScales(rows: readonly SeriesRow[]): SeriesScales {
  const flows = rows.flatMap((r) => (r.flow === undefined ? [] : [r.flow]));
  return { flowScale: percentile95(flows), speedScale: percentile95(rows.map((r) => r.speedKmh)) };
}

export function timeFeatures(timeMs: number, utcOffsetHours = DEFAULT_UTC_OFFSET_HOURS): [number, number, number, number] {
  const localS = timeMs / 1000 + utcOffsetHours * 3600;
  const minute = (((localS % 86_400) + 86_400) % 86_400) / 60;
  const dow = (((Math.floor(localS / 86_400) + 4) % 7) + 7) % 7;
  return [Math.sin((2 * Math.PI * minute) / 1440), Math.cos((2 * Math.PI * minute) / 1440), Math.sin((2 * Math.PI * dow) / 7), Math.cos((2 * Math.PI * dow) / 7)];
}

/** A day, ms: the history features look back whole days by time. */
export const DAY_MS = STEPS_PER_DAY * STEP_MS;

/**
 * Rows by time slot (time / 5 min), so that features read "the row 15 minutes ago" or "the same time
 * yesterday" by time, not by position: a series with missing intervals is read correctly. Rows must be
 * in time order; a later row in the same slot wins.
 */
export class SeriesIndex {
  private readonly bySlot = new Map<number, number>();

  constructor(readonly rows: readonly SeriesRow[]) {
    rows.forEach((row, i) => {
      const prev = rows[i - 1];
      if (prev && row.timeMs < prev.timeMs) throw SW_INFERENCE_SERIES_ORDER([i, new Date(row.timeMs).toISOString(), i - 1, new Date(prev.timeMs).toISOString()]);
      this.bySlot.set(slotOf(row.timeMs), i);
    });
  }

  /** The row index at exactly this slot, if that interval was observed. */
  at(slot: number): number | undefined {
    return this.bySlot.get(slot);
  }

  /**
   * The row standing in for a slot of the lookback window: the row of that slot, else the last row before
   * it (the last observation carried forward), else — the window starts before the series — the first row.
   */
  filled(slot: number, end: number): number {
    const exact = this.bySlot.get(slot);
    if (exact !== undefined && exact <= end) return exact;
    let lo = 0;
    let hi = end;
    // The last row with a slot before this one, by binary search over rows[0..end].
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (slotOf(this.rows[mid]!.timeMs) < slot) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

const slotOf = (timeMs: number): number => Math.round(timeMs / STEP_MS);

/**
 * Features for the window ending at row `end` (inclusive), read by time: the lookback is the 12 slots up to
 * rows[end]'s time, a missing one filled with the last observation before it (see SeriesIndex.filled); the
 * history is the mean speed at the same time of day on every earlier day that was observed, and counts
 * when rows[0] is at least a day before rows[end] (has_history). A history column with no observed day
 * falls back to the speed at t, as without history. On contiguous rows this is exactly the row-position
 * reading models/train/forecaster.py uses. Pass `index` when building many windows over the same rows.
 */
export function windowFeatures(
  rows: readonly SeriesRow[],
  end: number,
  scales: SeriesScales,
  utcOffsetHours = DEFAULT_UTC_OFFSET_HOURS,
  index: SeriesIndex = new SeriesIndex(rows),
): Float32Array {
  const out = new Float32Array(N_FEATURES);
  const last = rows[end]!;
  const hasFlow = last.flow !== undefined;
  const endSlot = slotOf(last.timeMs);
  for (let k = 0; k < LOOKBACK; k++) {
    const row = rows[index.filled(endSlot - (LOOKBACK - 1) + k, end)]!;
    out[k] = hasFlow ? (row.flow ?? 0) / scales.flowScale : 0;
    out[LOOKBACK + k] = row.speedKmh / scales.speedScale;
  }
  out.set(timeFeatures(last.timeMs, utcOffsetHours), 2 * LOOKBACK);
  out[2 * LOOKBACK + 4] = hasFlow ? 1 : 0;
  const history = 2 * LOOKBACK + 5;
  const firstSlot = slotOf(rows[0]!.timeMs);
  const hasHistory = endSlot - firstSlot >= STEPS_PER_DAY;
  [0, ...HORIZON_STEPS].forEach((step, c) => {
    let total = 0;
    let count = 0;
    // Same time of day on earlier days: every slot is before endSlot (step < a day).
    for (let slot = endSlot + step - STEPS_PER_DAY; hasHistory && slot >= firstSlot; slot -= STEPS_PER_DAY) {
      const j = index.at(slot);
      if (j === undefined) continue;
      total += rows[j]!.speedKmh;
      count++;
    }
    out[history + c] = (count > 0 ? total / count : last.speedKmh) / scales.speedScale;
  });
  out[N_FEATURES - 1] = hasHistory ? 1 : 0;
  return out;
}

export { STEP_MS };
