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

/** Features for the window ending at row `end` (inclusive); rows end-11..end must exist. */
export function windowFeatures(rows: readonly SeriesRow[], end: number, scales: SeriesScales, utcOffsetHours = DEFAULT_UTC_OFFSET_HOURS): Float32Array {
  const out = new Float32Array(N_FEATURES);
  const hasFlow = rows[end]?.flow !== undefined;
  for (let k = 0; k < LOOKBACK; k++) {
    const row = rows[end - (LOOKBACK - 1) + k]!;
    out[k] = hasFlow ? (row.flow ?? 0) / scales.flowScale : 0;
    out[LOOKBACK + k] = row.speedKmh / scales.speedScale;
  }
  out.set(timeFeatures(rows[end]!.timeMs, utcOffsetHours), 2 * LOOKBACK);
  out[2 * LOOKBACK + 4] = hasFlow ? 1 : 0;
  const history = 2 * LOOKBACK + 5;
  const hasHistory = end >= STEPS_PER_DAY;
  [0, ...HORIZON_STEPS].forEach((step, c) => {
    let total = 0;
    let count = 0;
    // Same time of day on earlier days: every index is at or before `end` (step < a day).
    for (let j = end + step - STEPS_PER_DAY; hasHistory && j >= 0; j -= STEPS_PER_DAY) {
      total += rows[j]!.speedKmh;
      count++;
    }
    out[history + c] = (hasHistory ? total / count : rows[end]!.speedKmh) / scales.speedScale;
  });
  out[N_FEATURES - 1] = hasHistory ? 1 : 0;
  return out;
}

export { STEP_MS };
