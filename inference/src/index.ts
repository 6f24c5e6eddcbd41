export {
  resolveModelSettings,
  resolveInputSettings,
  verifyModelSettings,
  verifyInputSettings,
  ULTRALYTICS_INPUT,
  DEFAULT_INPUT_SIZE,
  CHANNEL_ORDERS,
  PIXEL_RANGES,
  LETTERBOX_PLACEMENTS,
} from './model-settings.js';
export type {
  ModelSettings,
  ModelSettingsOverrides,
  InputSettings,
  OutputSettings,
  GraphFacts,
  ChannelOrder,
  PixelRange,
  LetterboxPlacement,
  Triple,
} from './model-settings.js';
export type { Frame, Box } from './detect/frame.js';
export { computeLetterbox, toImageBox, toInputBox } from './detect/letterbox.js';
export type { LetterboxLayout } from './detect/letterbox.js';
export { Letterboxer } from './detect/letterboxer.js';
export type { PreparedFrame } from './detect/letterboxer.js';
export { decodeOutput, detectLayout, nmsInModel, verifyLayoutFits, OUTPUT_LAYOUTS } from './detect/output-layout.js';
export type { OutputLayout } from './detect/output-layout.js';
export { decodeYolov8 } from './detect/decode/yolov8.js';
export { decodeYolov5 } from './detect/decode/yolov5.js';
export { decodeEnd2End } from './detect/decode/end2end.js';
export { decodeYolox, yoloxAnchorCount, YOLOX_STRIDES } from './detect/decode/yolox.js';
export type { Candidate, Corners, DecodeParams, Decoder, InputSize } from './detect/decode/candidate.js';
export { nms, iou, DEFAULT_NMS_OPTIONS } from './detect/nms.js';
export type { NmsOptions } from './detect/nms.js';
export { createYoloRunner } from './detect/yolo-runner.js';
export type { YoloRunner, YoloRunnerOptions, YoloResult, YoloTimings } from './detect/yolo-runner.js';
export { readOnnxMetadata, parseClassNames, parseYoloMetadata } from './onnx/metadata.js';
export type { YoloMetadata } from './onnx/metadata.js';
export { sessionOptions, declaredShape } from './onnx/session.js';
export { ForecasterRuntime } from './forecast/forecaster-runtime.js';
export type { Forecast, ForecasterRuntimeOptions } from './forecast/forecaster-runtime.js';
export {
  LOOKBACK,
  STEP_MINUTES,
  STEP_MS,
  HORIZON_MINUTES,
  HORIZON_STEPS,
  STEPS_PER_DAY,
  N_FEATURES,
  N_HISTORY_FEATURES,
  N_OUTPUTS,
  FLOW_OUTPUTS,
  SPEED_OUTPUTS,
  DEFAULT_UTC_OFFSET_HOURS,
  windowFeatures,
  SeriesIndex,
  DAY_MS,
  timeFeatures,
  seriesScales,
  percentile95,
} from './forecast/features.js';
export type { SeriesRow, SeriesScales } from './forecast/features.js';
export { SW_INFERENCE_SETTINGS_INVALID, SW_INFERENCE_OUTPUT_SHAPE, SW_INFERENCE_FORECASTER_SHAPE, SW_INFERENCE_SERIES_TOO_SHORT, SW_INFERENCE_SERIES_ORDER, INFERENCE_ERRORS } from './errors.js';
