import { SW_MODEL_SERIES_TOO_SHORT } from '../errors.js';
import { FLOW_OUTPUTS, HORIZON_MINUTES, HORIZON_STEPS, LOOKBACK, seriesScales, SPEED_OUTPUTS, type ForecasterRuntime, type SeriesRow } from '@streetwise/inference';

/** Five-minute steps in a day: historical average looks back in whole days. */
export const STEPS_PER_DAY = 288;

export interface HorizonScore {
  minutes: number;
  /** Speed MAE, km/h, for the model, historical average and last value. */
  mae_model: number;
  mae_ha: number;
  mae_last: number;
  /** Flow MAE, vehicles per five minutes (only when the series has flow). */
  mae_model_flow?: number;
  mae_ha_flow?: number;
  mae_last_flow?: number;
}

export interface Evaluation {
  horizons: HorizonScore[];
  origins: number;
}

/** Historical average at every index: the mean of the values at the same time of day on all earlier days (NaN on day one). */
export function historicalAverage(values: readonly number[]): Float64Array {
  const sum = new Float64Array(values.length);
  const count = new Uint32Array(values.length);
  const out = new Float64Array(values.length).fill(Number.NaN);
  for (let j = STEPS_PER_DAY; j < values.length; j++) {
    sum[j] = values[j - STEPS_PER_DAY]! + sum[j - STEPS_PER_DAY]!;
    count[j] = 1 + count[j - STEPS_PER_DAY]!;
    out[j] = sum[j]! / count[j]!;
  }
  return out;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Rolling-origin evaluation over a series: at every origin t (from options.firstOrigin) with a day of
 * history before its targets and 60 minutes after it, forecast t+15/30/60 min and score against what happened, next to historical
 * average (same time of day on earlier days) and last value.
 */
export async function evaluateSeries(forecaster: ForecasterRuntime, rows: readonly SeriesRow[], options: { firstOrigin?: number } = {}): Promise<Evaluation> {
  const maxStep = HORIZON_STEPS[HORIZON_STEPS.length - 1]!;
  const first = Math.max(LOOKBACK - 1, STEPS_PER_DAY, options.firstOrigin ?? 0);
  const last = rows.length - 1 - maxStep;
  if (last < first) throw SW_MODEL_SERIES_TOO_SHORT(['input', rows.length, first + maxStep + 1]);
  const hasFlow = rows[0]!.flow !== undefined;
  const scales = seriesScales(rows);
  const speeds = rows.map((r) => r.speedKmh);
  const flows = rows.map((r) => r.flow ?? 0);
  const haSpeed = historicalAverage(speeds);
  const haFlow = historicalAverage(flows);
  const sums = HORIZON_STEPS.map(() => ({ model: 0, ha: 0, last: 0, modelFlow: 0, haFlow: 0, lastFlow: 0 }));
  let origins = 0;
  // Run the model in chunks to bound memory on long series.
  for (let start = first; start <= last; start += 4096) {
    const ends: number[] = [];
    for (let t = start; t <= Math.min(last, start + 4095); t++) ends.push(t);
    const outputs = await forecaster.predictWindows(rows, ends, scales);
    ends.forEach((t, i) => {
      const out = outputs[i]!;
      HORIZON_STEPS.forEach((h, j) => {
        const target = t + h;
        const s = sums[j]!;
        s.model += Math.abs(out[SPEED_OUTPUTS[j]!]! * scales.speedScale - speeds[target]!);
        s.ha += Math.abs(haSpeed[target]! - speeds[target]!);
        s.last += Math.abs(speeds[t]! - speeds[target]!);
        if (hasFlow) {
          s.modelFlow += Math.abs(out[FLOW_OUTPUTS[j]!]! * scales.flowScale - flows[target]!);
          s.haFlow += Math.abs(haFlow[target]! - flows[target]!);
          s.lastFlow += Math.abs(flows[t]! - flows[target]!);
        }
      });
      origins++;
    });
  }
  return {
    origins,
    horizons: HORIZON_MINUTES.map((minutes, j) => {
      const s = sums[j]!;
      return {
        minutes,
        mae_model: round(s.model / origins),
        mae_ha: round(s.ha / origins),
        mae_last: round(s.last / origins),
        ...(hasFlow ? { mae_model_flow: round(s.modelFlow / origins), mae_ha_flow: round(s.haFlow / origins), mae_last_flow: round(s.lastFlow / origins) } : {}),
      };
    }),
  };
}
