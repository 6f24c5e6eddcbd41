import * as ort from 'onnxruntime-node';
import { findModel, loadManifest, MANIFEST_PATH } from '../manifest.js';
import { openVerifiedSession } from '../session.js';
import { SW_MODEL_SERIES_TOO_SHORT } from '../errors.js';
import {
  DEFAULT_UTC_OFFSET_HOURS,
  HORIZON_MINUTES,
  LOOKBACK,
  N_FEATURES,
  N_OUTPUTS,
  seriesScales,
  STEP_MS,
  windowFeatures,
  type SeriesRow,
  type SeriesScales,
} from './features.js';

export interface Forecast {
  minutes: number;
  /** When the forecast interval ends. */
  timeMs: number;
  /** Vehicles per five minutes; undefined for a speed-only series. */
  flow: number | undefined;
  speedKmh: number;
}

/** The ONNX traffic forecaster, loaded through the manifest (hash and shapes checked). */
export class TrafficForecaster {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly version: string,
    private readonly utcOffsetHours: number,
  ) {}

  static async open(options: { manifestPath?: string; utcOffsetHours?: number } = {}): Promise<TrafficForecaster> {
    const path = options.manifestPath ?? MANIFEST_PATH;
    const entry = findModel(loadManifest(path), 'forecaster', path);
    const { session } = await openVerifiedSession(entry, path);
    return new TrafficForecaster(session, entry.version, options.utcOffsetHours ?? DEFAULT_UTC_OFFSET_HOURS);
  }

  /** Raw model outputs for many windows at once: [n][6] in scaled units. */
  async predictWindows(rows: readonly SeriesRow[], ends: readonly number[], scales: SeriesScales): Promise<Float32Array[]> {
    if (ends.length === 0) return [];
    const input = new Float32Array(ends.length * N_FEATURES);
    ends.forEach((end, i) => input.set(windowFeatures(rows, end, scales, this.utcOffsetHours), i * N_FEATURES));
    const inputName = this.session.inputNames[0]!;
    const outputName = this.session.outputNames[0]!;
    const result = await this.session.run({ [inputName]: new ort.Tensor('float32', input, [ends.length, N_FEATURES]) });
    const data = result[outputName]!.data as Float32Array;
    return ends.map((_, i) => data.subarray(i * N_OUTPUTS, (i + 1) * N_OUTPUTS));
  }

  /** Forecast 15, 30 and 60 minutes past the last row of the series. */
  async forecast(rows: readonly SeriesRow[], scales = seriesScales(rows)): Promise<Forecast[]> {
    if (rows.length < LOOKBACK) throw SW_MODEL_SERIES_TOO_SHORT(['input', rows.length, LOOKBACK]);
    const end = rows.length - 1;
    const [out] = await this.predictWindows(rows, [end], scales);
    const hasFlow = rows[end]!.flow !== undefined;
    return HORIZON_MINUTES.map((minutes, j) => ({
      minutes,
      timeMs: rows[end]!.timeMs + (minutes / 5) * STEP_MS,
      flow: hasFlow ? Math.max(0, out![j]! * scales.flowScale) : undefined,
      speedKmh: Math.max(0, out![3 + j]! * scales.speedScale),
    }));
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
