import { readFile } from 'node:fs/promises';
import { ForecasterRuntime, HORIZON_MINUTES, LOOKBACK, seriesScales as modelSeriesScales, windowFeatures, type SeriesRow, type SeriesScales } from '@streetwise/inference';
import { SW_EDGE_MODEL_LOAD } from '../errors.js';
import type { FiveMinuteBucket } from './flow-series.js';

/**
 * On-device traffic forecast through @streetwise/inference's ForecasterRuntime: the same features and output
 * layout as the models package and the analytics job use, and that models/train/forecaster.py is checked
 * against: the last 12 five-minute flows and speeds (scaled by the series' 95th percentiles), time of day and
 * day of week in local time, has-flow, the speed at the same time on earlier days (from the history passed:
 * a FlowSeries keeps a week; read by time, so gaps are fine); output flow and speed at +15, +30 and +60 min.
 */
export const FORECAST_LOOKBACK = LOOKBACK;
export const FORECAST_HORIZONS_MIN = HORIZON_MINUTES;

export interface ForecastPoint {
  minutes: number;
  flow: number;
  speedKmh: number;
}

const toRows = (buckets: readonly FiveMinuteBucket[]): SeriesRow[] => buckets.map((b) => ({ timeMs: b.endMs, flow: b.flow, speedKmh: b.speedKmh ?? 0 }));

/** The features the model is given for buckets ending now (what the runtime builds; for tests and debugging). */
export function buildFeatures(window: readonly FiveMinuteBucket[], scales: SeriesScales, utcOffsetMinutes: number): Float32Array {
  const rows = toRows(window);
  return windowFeatures(rows, rows.length - 1, scales, utcOffsetMinutes / 60);
}

/** Scales as in training: the 95th percentiles of the series (at least 1). */
export function seriesScales(history: readonly FiveMinuteBucket[]): SeriesScales {
  return modelSeriesScales(toRows(history.filter((b) => b.speedKmh !== undefined)));
}

export interface Forecaster {
  readonly version: string;
  /** Forecast past the last bucket; pass the whole history (a day and an hour at least for the history features). */
  forecast(buckets: readonly FiveMinuteBucket[], scales: SeriesScales): Promise<ForecastPoint[]>;
  dispose(): Promise<void>;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

export async function createOnnxForecaster(options: { modelPath: string; utcOffsetMinutes?: number; threads?: number }): Promise<Forecaster> {
  let runtime: ForecasterRuntime;
  try {
    const bytes = await readFile(options.modelPath);
    runtime = await ForecasterRuntime.load(bytes, { threads: options.threads ?? 1, utcOffsetHours: (options.utcOffsetMinutes ?? 480) / 60 });
  } catch (err) {
    throw SW_EDGE_MODEL_LOAD([options.modelPath, (err as Error).message], { cause: err });
  }
  return {
    version: runtime.version,
    async forecast(window, scales) {
      const forecasts = await runtime.forecast(toRows(window), scales);
      // Bounded for the telemetry schema; a bucket always has a flow, so the runtime returns one.
      return forecasts.map((f) => ({ minutes: f.minutes, flow: round1(Math.min(1_000_000, f.flow ?? 0)), speedKmh: round1(Math.min(300, f.speedKmh)) }));
    },
    async dispose() {
      await runtime.close();
    },
  };
}
