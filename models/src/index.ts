export { MODELS_DIR, MANIFEST_PATH, DETECTOR_ROLES, loadManifest, parseManifest, findModel, findDetectorByRole, modelPath, readVerifiedModel, sha256Hex } from './manifest.js';
export type { Manifest, ManifestEntry, TensorSpec, DetectorRole } from './manifest.js';
export { openVerifiedSession, verifyShapes } from './session.js';
export type { VerifiedSession } from './session.js';
export { openForecaster } from './forecast/open-forecaster.js';
export { evaluateSeries, evaluationOrigins, historicalAverage, rollingForecasts, STEPS_PER_DAY } from './forecast/evaluate.js';
export type { Baseline, Evaluation, HorizonScore, OriginForecast } from './forecast/evaluate.js';
export { parseSeriesCsv } from './forecast/series-csv.js';
export { parseSensorTableCsv, toKmh, MPH_TO_KMH } from './forecast/sensor-table-csv.js';
export type { SpeedUnits } from './forecast/sensor-table-csv.js';
export { evaluateDetector, matchDetections, averagePrecision } from './detect-eval.js';
export { readDetectorDataset } from './detect-dataset.js';
export { scoreManifestDetector, scoreManifestEntry, scoreDetectorFile, detectorFileSettings } from './detect-score.js';
export type { ScoreOptions } from './detect-score.js';
export type { TruthBox, MatchResult, DetectorSample, DetectorScore, EvaluateDetectorOptions } from './detect-eval.js';
export { describeOnnx, writeManifest } from './build-manifest.js';
export { COCO_CLASSES, YOLOX_NANO, YOLOX_NANO_SETTINGS } from './yolox-nano.js';
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
  SW_MODEL_DATASET_INVALID,
  SW_MODEL_FLAG_INVALID,
  SW_MODEL_PYTHON_MISSING,
  SW_MODEL_TRAIN_FAILED,
  SW_MODEL_ROLE_MISSING,
  MODEL_ERRORS,
} from './errors.js';
