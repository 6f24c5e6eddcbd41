/**
 * The traffic forecaster on onnxruntime: builds the input features (features.ts), runs the model, reads
 * its output layout back into flow and speed per horizon. The edge agent, the models package (forecast CLI,
 * evaluation) and the analytics forecast job all run the model through this class.
 */
import ort from 'onnxruntime-node';
import { SW_INFERENCE_FORECASTER_SHAPE, SW_INFERENCE_SERIES_TOO_SHORT } from '../errors.js';
import { readOnnxMetadata } from '../onnx/metadata.js';
import { declaredShape, sessionOptions } from '../onnx/session.js';
import {
  DEFAULT_UTC_OFFSET_HOURS,
  FLOW_OUTPUTS,
  HORIZON_MINUTES,
  LOOKBACK,
  N_FEATURES,
  N_OUTPUTS,
  seriesScales,
  SPEED_OUTPUTS,
  SeriesIndex,
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

export interface ForecasterRuntimeOptions {
  /** Reported with the forecasts. */
  version: string;
  /** Offset of local time from UTC for the time-of-day features, hours. Default 8 (Hong Kong). */
  utcOffsetHours?: number;
}

export class ForecasterRuntime {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly version: string,
    readonly utcOffsetHours: number,
  ) {}

  /**
   * Take over a loaded session after checking its input and output widths against the features built here.
   * Throws SW_INFERENCE_FORECASTER_SHAPE (and releases the session) when they differ.
   */
  static async fromSession(session: ort.InferenceSession, options: ForecasterRuntimeOptions): Promise<ForecasterRuntime> {
    for (const [side, expected, what] of [['input', N_FEATURES, 'features'], ['output', N_OUTPUTS, 'outputs']] as const) {
      const width = declaredShape(session, side).at(-1);
      if (typeof width === 'number' && width !== expected) {
        await session.release();
        throw SW_INFERENCE_FORECASTER_SHAPE([`${side} "${side === 'input' ? session.inputNames[0] : session.outputNames[0]}"`, width, what, expected]);
      }
    }
    return new ForecasterRuntime(session, options.version, options.utcOffsetHours ?? DEFAULT_UTC_OFFSET_HOURS);
  }

  /** Load an ONNX file's bytes; the version defaults to the model's `version` metadata, else 'unknown'. */
  static async load(bytes: Uint8Array, options: Partial<ForecasterRuntimeOptions> & { threads?: number } = {}): Promise<ForecasterRuntime> {
    const version = options.version ?? readOnnxMetadata(bytes).version ?? 'unknown';
    const session = await ort.InferenceSession.create(bytes, sessionOptions(options.threads ?? 1));
    return ForecasterRuntime.fromSession(session, { version, ...(options.utcOffsetHours === undefined ? {} : { utcOffsetHours: options.utcOffsetHours }) });
  }

  /** Raw model outputs for many windows at once (each ends at a row index): [n][N_OUTPUTS] in scaled units. */
  async predictWindows(rows: readonly SeriesRow[], ends: readonly number[], scales: SeriesScales): Promise<Float32Array[]> {
    if (ends.length === 0) return [];
    const input = new Float32Array(ends.length * N_FEATURES);
    const index = new SeriesIndex(rows);
    ends.forEach((end, i) => input.set(windowFeatures(rows, end, scales, this.utcOffsetHours, index), i * N_FEATURES));
    const inputName = this.session.inputNames[0]!;
    const outputName = this.session.outputNames[0]!;
    const result = await this.session.run({ [inputName]: new ort.Tensor('float32', input, [ends.length, N_FEATURES]) });
    const data = result[outputName]!.data as Float32Array;
    return ends.map((_, i) => data.subarray(i * N_OUTPUTS, (i + 1) * N_OUTPUTS));
  }

  /**
   * Flow and speed 15, 30 and 60 minutes past the last row, unscaled and at least 0. Pass all the history
   * there is (a day and an hour at least, for the same-time-on-earlier-days features; gaps are read by
   * time). Scales default to the series' own 95th percentiles, as in training. Throws
   * SW_INFERENCE_SERIES_TOO_SHORT under 12 rows.
   */
  async forecast(rows: readonly SeriesRow[], scales: SeriesScales = seriesScales(rows)): Promise<Forecast[]> {
    if (rows.length < LOOKBACK) throw SW_INFERENCE_SERIES_TOO_SHORT([LOOKBACK, rows.length]);
    const end = rows.length - 1;
    const [out] = await this.predictWindows(rows, [end], scales);
    const hasFlow = rows[end]!.flow !== undefined;
    return HORIZON_MINUTES.map((minutes, j) => ({
      minutes,
      timeMs: rows[end]!.timeMs + (minutes / 5) * STEP_MS,
      flow: hasFlow ? Math.max(0, out![FLOW_OUTPUTS[j]!]! * scales.flowScale) : undefined,
      speedKmh: Math.max(0, out![SPEED_OUTPUTS[j]!]! * scales.speedScale),
    }));
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
