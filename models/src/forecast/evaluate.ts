import { SW_MODEL_SERIES_TOO_SHORT } from '../errors.js';
import { FLOW_OUTPUTS, HORIZON_MINUTES, HORIZON_STEPS, LOOKBACK, SPEED_OUTPUTS, STEPS_PER_DAY, type ForecasterRuntime, type SeriesRow, type SeriesScales } from '@streetwise/inference';
import { PastScales } from './past-scales.js';

export { STEPS_PER_DAY };

/** Which baseline the model is compared with at a horizon: the better (lower MAE) of the two. */
export type Baseline = 'historical_average' | 'last_value';

export interface HorizonScore {
  minutes: number;
  /** Speed MAE, km/h, for the model, historical average and last value. */
  mae_model: number;
  mae_ha: number;
  mae_last: number;
  /** The better of historical average and last value at this horizon (lower speed MAE). */
  better_baseline: Baseline;
  /** 1 − mae_model / MAE of the better baseline: 0.1 = the model's speed MAE is 10% lower. */
  skill: number;
  /** Flow MAE, vehicles per five minutes (only when the series has flow). */
  mae_model_flow?: number;
  mae_ha_flow?: number;
  mae_last_flow?: number;
}

export interface Evaluation {
  horizons: HorizonScore[];
  origins: number;
}

/** The model's forecasts made at one origin t, from rows[0..t] only. */
export interface OriginForecast {
  origin: number;
  /** Speed, km/h, at +15/+30/+60 min. */
  speedKmh: number[];
  /** Flow, vehicles per five minutes, at +15/+30/+60 min (0s for a speed-only series). */
  flow: number[];
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

/** The origins evaluateSeries scores: a day in (historical average needs one), 60 minutes before the end. */
export function evaluationOrigins(length: number, firstOrigin = 0): { first: number; last: number } {
  const maxStep = HORIZON_STEPS[HORIZON_STEPS.length - 1]!;
  const first = Math.max(LOOKBACK - 1, STEPS_PER_DAY, firstOrigin);
  const last = length - 1 - maxStep;
  if (last < first) throw SW_MODEL_SERIES_TOO_SHORT(['input', length, first + maxStep + 1]);
  return { first, last };
}

/**
 * Forecasts at every origin first..last as a forecaster running live would have made them: the scales
 * (95th percentiles) come from rows[0..t] and the features read only rows[0..t], so nothing after an
 * origin can change its forecast (the test perturbs the future to check).
 */
export async function rollingForecasts(forecaster: ForecasterRuntime, rows: readonly SeriesRow[], first: number, last: number): Promise<OriginForecast[]> {
  const past = new PastScales();
  for (let i = 0; i < first; i++) past.add(rows[i]!);
  const out: OriginForecast[] = [];
  // Origins that share scales go to the model in one call.
  let batch: number[] = [];
  let batchScales: SeriesScales | undefined;
  const flush = async (): Promise<void> => {
    if (batch.length === 0 || batchScales === undefined) return;
    const scales = batchScales;
    const outputs = await forecaster.predictWindows(rows, batch, scales);
    batch.forEach((origin, i) => {
      const o = outputs[i]!;
      out.push({ origin, flow: FLOW_OUTPUTS.map((k) => o[k]! * scales.flowScale), speedKmh: SPEED_OUTPUTS.map((k) => o[k]! * scales.speedScale) });
    });
    batch = [];
  };
  for (let t = first; t <= last; t++) {
    past.add(rows[t]!);
    const scales = past.scales();
    if (batchScales === undefined || scales.flowScale !== batchScales.flowScale || scales.speedScale !== batchScales.speedScale || batch.length >= 4096) {
      await flush();
      batchScales = scales;
    }
    batch.push(t);
  }
  await flush();
  return out;
}

/**
 * Rolling-origin evaluation over a series: at every origin t (from options.firstOrigin) with a day of
 * history before it and 60 minutes after it, forecast t+15/30/60 min from rows[0..t] and score against
 * what happened, next to historical average (same time of day on earlier days) and last value.
 */
export async function evaluateSeries(forecaster: ForecasterRuntime, rows: readonly SeriesRow[], options: { firstOrigin?: number } = {}): Promise<Evaluation> {
  const { first, last } = evaluationOrigins(rows.length, options.firstOrigin);
  const hasFlow = rows[0]!.flow !== undefined;
  const speeds = rows.map((r) => r.speedKmh);
  const flows = rows.map((r) => r.flow ?? 0);
  const haSpeed = historicalAverage(speeds);
  const haFlow = historicalAverage(flows);
  const sums = HORIZON_STEPS.map(() => ({ model: 0, ha: 0, last: 0, modelFlow: 0, haFlow: 0, lastFlow: 0 }));
  const forecasts = await rollingForecasts(forecaster, rows, first, last);
  for (const { origin: t, speedKmh, flow } of forecasts) {
    HORIZON_STEPS.forEach((h, j) => {
      const target = t + h;
      const s = sums[j]!;
      s.model += Math.abs(speedKmh[j]! - speeds[target]!);
      s.ha += Math.abs(haSpeed[target]! - speeds[target]!);
      s.last += Math.abs(speeds[t]! - speeds[target]!);
      if (hasFlow) {
        s.modelFlow += Math.abs(flow[j]! - flows[target]!);
        s.haFlow += Math.abs(haFlow[target]! - flows[target]!);
        s.lastFlow += Math.abs(flows[t]! - flows[target]!);
      }
    });
  }
  const origins = forecasts.length;
  return {
    origins,
    horizons: HORIZON_MINUTES.map((minutes, j) => {
      const s = sums[j]!;
      const [model, ha, lastValue] = [s.model / origins, s.ha / origins, s.last / origins];
      return {
        minutes,
        mae_model: round(model),
        mae_ha: round(ha),
        mae_last: round(lastValue),
        better_baseline: ha < lastValue ? 'historical_average' : 'last_value',
        skill: round(1 - model / Math.min(ha, lastValue)),
        ...(hasFlow ? { mae_model_flow: round(s.modelFlow / origins), mae_ha_flow: round(s.haFlow / origins), mae_last_flow: round(s.lastFlow / origins) } : {}),
      };
    }),
  };
}
