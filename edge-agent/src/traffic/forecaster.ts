import ort from 'onnxruntime-node';
import { readFile } from 'node:fs/promises';
import { SW_EDGE_MODEL_LOAD } from '../errors.js';
import { sessionOptions } from '../detect/onnx-detector.js';
import { readOnnxMetadata } from '../detect/onnx-metadata.js';
import { percentile } from './aggregator.js';
import type { FiveMinuteBucket } from './flow-series.js';

/**
 * On-device traffic forecast, the contract of models/train/forecaster.py:
 * input `features` [1, 28] = flow[t-11..t] / flowScale, speed[t-11..t] / speedScale,
 * sin/cos(2π minute-of-day / 1440), sin/cos(2π day-of-week / 7) in local time (0 = Sunday);
 * output `forecast` [1, 6] = flow at +15, +30, +60 min, then speed at the same horizons, scaled alike.
 */
export const FORECAST_LOOKBACK = 12;
export const FORECAST_HORIZONS_MIN = [15, 30, 60] as const;

export interface ForecastPoint {
  minutes: number;
  flow: number;
  speedKmh: number;
}

export function timeFeatures(endMs: number, utcOffsetMinutes: number): [number, number, number, number] {
  const localS = endMs / 1000 + utcOffsetMinutes * 60;
  const minute = (((localS % 86_400) + 86_400) % 86_400) / 60;
  const dow = (Math.floor(localS / 86_400) + 4) % 7; // 1970-01-01 was a Thursday
  return [Math.sin((2 * Math.PI * minute) / 1440), Math.cos((2 * Math.PI * minute) / 1440), Math.sin((2 * Math.PI * dow) / 7), Math.cos((2 * Math.PI * dow) / 7)];
}

export function buildFeatures(window: readonly FiveMinuteBucket[], flowScale: number, speedScale: number, utcOffsetMinutes: number): Float32Array {
  const f = new Float32Array(2 * FORECAST_LOOKBACK + 4);
  window.forEach((b, i) => {
    f[i] = b.flow / flowScale;
    f[FORECAST_LOOKBACK + i] = (b.speedKmh ?? 0) / speedScale;
  });
  f.set(timeFeatures(window.at(-1)!.endMs, utcOffsetMinutes), 2 * FORECAST_LOOKBACK);
  return f;
}

/** Scales as in training: the 95th percentile of the series, at least 1. */
export function seriesScales(history: readonly FiveMinuteBucket[]): { flowScale: number; speedScale: number } {
  return {
    flowScale: Math.max(1, percentile(history.map((b) => b.flow), 95) ?? 1),
    speedScale: Math.max(1, percentile(history.flatMap((b) => (b.speedKmh === undefined ? [] : [b.speedKmh])), 95) ?? 1),
  };
}

export interface Forecaster {
  readonly version: string;
  forecast(window: readonly FiveMinuteBucket[], scales: { flowScale: number; speedScale: number }): Promise<ForecastPoint[]>;
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
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  const utcOffsetMinutes = options.utcOffsetMinutes ?? 480;
  return {
    version,
    async forecast(window, { flowScale, speedScale }) {
      const features = buildFeatures(window, flowScale, speedScale, utcOffsetMinutes);
      const result = await session.run({ [inputName]: new ort.Tensor('float32', features, [1, features.length]) });
      const out = result[outputName]!.data as Float32Array;
      return FORECAST_HORIZONS_MIN.map((minutes, i) => ({
        minutes,
        flow: Math.round(Math.min(1_000_000, Math.max(0, out[i]! * flowScale)) * 10) / 10,
        speedKmh: Math.round(Math.min(300, Math.max(0, out[3 + i]! * speedScale)) * 10) / 10,
      }));
    },
    async dispose() {
      await session.release();
    },
  };
}
