export { MODELS_DIR, MANIFEST_PATH, loadManifest, parseManifest, findModel, modelPath, readVerifiedModel, sha256Hex } from './manifest.js';
export type { Manifest, ManifestEntry, TensorSpec } from './manifest.js';
export { openVerifiedSession, verifyShapes } from './session.js';
export type { VerifiedSession } from './session.js';
export { TrafficForecaster } from './forecast/forecaster.js';
export type { Forecast } from './forecast/forecaster.js';
export { evaluateSeries, evaluationOrigins, historicalAverage, rollingForecasts, STEPS_PER_DAY } from './forecast/evaluate.js';
export type { Baseline, Evaluation, HorizonScore, OriginForecast } from './forecast/evaluate.js';
export {
  LOOKBACK,
  STEP_MINUTES,
  HORIZON_MINUTES,
  HORIZON_STEPS,
  N_FEATURES,
  N_HISTORY_FEATURES,
  N_OUTPUTS,
  DEFAULT_UTC_OFFSET_HOURS,
  windowFeatures,
  timeFeatures,
  seriesScales,
  percentile95,
} from './forecast/features.js';
export type { SeriesRow, SeriesScales } from './forecast/features.js';
export { parseSeriesCsv } from './forecast/series-csv.js';
export { parseSensorTableCsv, toKmh, MPH_TO_KMH } from './forecast/sensor-table-csv.js';
export type { SpeedUnits } from './forecast/sensor-table-csv.js';
export { decodeYoloOutput, matchDetections, averagePrecision, iou } from './detect-eval.js';
export type { Detection, TruthBox, MatchResult } from './detect-eval.js';
export { describeOnnx, writeManifest } from './build-manifest.js';
export type { ModelDescription } from './build-manifest.js';
export {
  SW_MODEL_MANIFEST_INVALID,
  SW_MODEL_NOT_FOUND,
  SW_MODEL_FILE_MISSING,
  SW_MODEL_HASH_MISMATCH,
  SW_MODEL_SHAPE_MISMATCH,
  SW_MODEL_LOAD_FAILED,
  SW_MODEL_SERIES_INVALID,
  SW_MODEL_SERIES_TOO_SHORT,
  SW_MODEL_FLAG_INVALID,
  SW_MODEL_PYTHON_MISSING,
  SW_MODEL_TRAIN_FAILED,
} from './errors.js';
