import ort from 'onnxruntime-node';
import { readFile } from 'node:fs/promises';
import { HORIZON_MINUTES, N_FEATURES, seriesScales as modelSeriesScales, windowFeatures, type SeriesRow, type SeriesScales } from '@streetwise/models';
import { SW_EDGE_MODEL_LOAD } from '../errors.js';
import { sessionOptions } from '../detect/onnx-detector.js';
import { readOnnxMetadata } from '../detect/onnx-metadata.js';
import type { FiveMinuteBucket } from './flow-series.js';

/**
 * On-device traffic forecast. The features are built by @streetwise/models (windowFeatures), the same code
 * the training side is checked against, so the device and models/train/forecaster.py cannot drift apart:
 * the last 12 five-minute flows and speeds (scaled by the series' 95th percentiles), time of day and day of
 * week in local time, has-flow; output flow and speed at +15, +30 and +60 min.
 */
export const FORECAST_LOOKBACK = 12;
export const FORECAST_HORIZONS_MIN = HORIZON_MINUTES;

export interface ForecastPoint {
  minutes: number;
  flow: number;
  speedKmh: number;
}

const toRows = (buckets: readonly FiveMinuteBucket[]): SeriesRow[] => buckets.map((b) => ({ timeMs: b.endMs, flow: b.flow, speedKmh: b.speedKmh ?? 0 }));

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
  forecast(window: readonly FiveMinuteBucket[], scales: SeriesScales): Promise<ForecastPoint[]>;
  dispose(): Promise<void>;
}

export async function createOnnxForecaster(options: { modelPath: string; utcOffsetMinutes?: number; threads?: number }): Promise<Forecaster> {
  let session: ort.InferenceSession;
  let version: string;
  try {
    const bytes = await readFile(options.modelPath);
    version = readOnnxMetadata(bytes).version ?? 'unknown';
    session = await ort.InferenceSession.create(bytes, sessionOptions(options.threads ?? 1));
  } catch (err) {
    throw SW_EDGE_MODEL_LOAD([options.modelPath, (err as Error).message], { cause: err });
  }
  const meta = session.inputMetadata[0];
  const width = meta?.isTensor ? meta.shape.at(-1) : undefined;
  if (typeof width === 'number' && width !== N_FEATURES) {
    await session.release();
    throw SW_EDGE_MODEL_LOAD([options.modelPath, `the forecaster takes ${width} features; this agent builds ${N_FEATURES} (models/src/forecast/features.ts)`]);
  }
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  const utcOffsetMinutes = options.utcOffsetMinutes ?? 480;
  return {
    version,
    async forecast(window, scales) {
      const features = buildFeatures(window, scales, utcOffsetMinutes);
      const result = await session.run({ [inputName]: new ort.Tensor('float32', features, [1, features.length]) });
      const out = result[outputName]!.data as Float32Array;
      return FORECAST_HORIZONS_MIN.map((minutes, i) => ({
        minutes,
        flow: Math.round(Math.min(1_000_000, Math.max(0, out[i]! * scales.flowScale)) * 10) / 10,
        speedKmh: Math.round(Math.min(300, Math.max(0, out[3 + i]! * scales.speedScale)) * 10) / 10,
      }));
    },
    async dispose() {
      await session.release();
    },
  };
}
