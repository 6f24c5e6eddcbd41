export { createMemoryOutbox } from './outbox/memory-store.js';
export { openFileOutbox, DEFAULT_FILE_OUTBOX_OPTIONS } from './outbox/file-store.js';
export type { FileOutboxOptions } from './outbox/file-store.js';
export { DEFAULT_OUTBOX_BOUNDS } from './outbox/types.js';
export type { OutboxStore, OutboxRecord, OutboxStats, OutboxPriority, OutboxBounds, FsyncPolicy } from './outbox/types.js';
export { createPublisher, DEFAULT_PUBLISHER_OPTIONS } from './publish/publisher.js';
export { mqttLoginOptions, DEVICE_TOKEN_ENV } from './publish/credentials.js';
export type { MqttLoginConfig } from './publish/credentials.js';
export type {
  Publisher,
  PublisherOptions,
  PublisherStats,
  BirthInfo,
  HealthFigures,
  EventBody,
  TelemetryBody,
  ConfigHandler,
} from './publish/publisher.js';
export { createProcessProbe } from './publish/process-probe.js';
export type { ProcessProbe } from './publish/process-probe.js';
export { createOnnxDetector, DEFAULT_THRESHOLD } from './detect/onnx-detector.js';
export { realCameraModelPath } from './detect/manifest-names.js';
export type { OnnxDetector, OnnxDetectorOptions } from './detect/onnx-detector.js';
export { resolveClassMap, COCO_CLASS_IDS } from './detect/class-map.js';
export { LatencyWindow } from './detect/latency-window.js';
export type { Frame, Box, Detection, DetectResult, DetectTimings, Detector, ClassThresholds } from './detect/types.js';
export { ByteTracker, DEFAULT_TRACKER_OPTIONS } from './track/byte-tracker.js';
export type { Track, TrackState, TrackerOptions, TrackerOutput } from './track/byte-tracker.js';
export { computeHomography, applyHomography, latLonToMeters } from './track/homography.js';
export type { Homography, Point, PointPair } from './track/homography.js';
export { estimateMotion, angleBetween, normalizeDeg } from './track/motion.js';
export type { MotionEstimate, TrackPoint } from './track/motion.js';
export { RuleEngine } from './rules/engine.js';
export type { RulesSnapshot } from './rules/engine.js';
export { LineCounter } from './rules/line-crossing.js';
export { ZoneWatch } from './rules/zones.js';
export { LaneWatch, DEFAULT_LANE_OPTIONS } from './rules/lanes.js';
export { sideOfLine, segmentsIntersect, pointInPolygon, polygonArea } from './rules/geometry.js';
export { VEHICLE_CLASSES } from './rules/types.js';
export type { RulesConfig, LineRule, ZoneRule, LaneRule, RuleEvent, RuleFrame, Crossing } from './rules/types.js';
export { TrafficAggregator, percentile } from './traffic/aggregator.js';
export type { ApproachInterval } from './traffic/aggregator.js';
export { FlowSeries } from './traffic/flow-series.js';
export type { FiveMinuteBucket } from './traffic/flow-series.js';
export { createOnnxForecaster, buildFeatures, seriesScales, FORECAST_LOOKBACK, FORECAST_HORIZONS_MIN } from './traffic/forecaster.js';
export type { Forecaster, ForecastPoint } from './traffic/forecaster.js';
export { TrafficReporter } from './traffic/traffic-reporter.js';
export type { TrafficReporterOptions, TrafficTelemetry } from './traffic/traffic-reporter.js';
export { SensorInput, SensorAggregator, httpJsonReader, fileJsonReader, functionReader, pickSample } from './sources/sensors/sensor.js';
export type { SensorSample, SensorReader, SensorInputOptions } from './sources/sensors/sensor.js';
export type { FrameSource } from './sources/types.js';
export { createImageFolderSource } from './sources/image-folder.js';
export type { ImageFolderOptions } from './sources/image-folder.js';
export { createHttpSnapshotSource } from './sources/http-snapshot.js';
export type { HttpSnapshotOptions } from './sources/http-snapshot.js';
export { createMjpegSource } from './sources/mjpeg.js';
export type { MjpegOptions } from './sources/mjpeg.js';
export { createFfmpegSource, checkFfmpeg } from './sources/rtsp-ffmpeg.js';
export type { FfmpegSourceOptions } from './sources/rtsp-ffmpeg.js';
export { createPushSource, createGeneratorSource } from './sources/synthetic.js';
export type { PushSource } from './sources/synthetic.js';
export { JpegSplitter } from './sources/jpeg-splitter.js';
export { CameraPipeline, STAGES } from './pipeline/camera-pipeline.js';
export type { CameraPipelineOptions, FrameContext, PipelineStats, Stage } from './pipeline/camera-pipeline.js';
export { tuneForSmallCpu } from './pipeline/tuning.js';
export { loadConfigFile, validateConfig, validateSection, fillDefaults, parseConfigText } from './config/load.js';
export type { ValidationResult } from './config/load.js';
export { formatProblem, formatProblems } from './config/problems.js';
export type { ConfigProblem } from './config/problems.js';
export { crossCheck, verifyLinesInsideFrame, verifyRuleShapes, verifySource, verifyCalibration, calibrationHomography } from './config/cross-checks.js';
export { DeviceConfigSchema, CameraSchema, DetectorSchema, LineSchema, ZoneSchema, LaneSchema, ThresholdsSchema } from './config/schema.js';
export type { DeviceConfig, CameraConfig, SensorConfig, CalibrationConfig, SnapshotsConfig } from './config/schema.js';
export { makeSnapshot, DEFAULT_SNAPSHOT_OPTIONS } from './privacy/snapshot.js';
export type { SnapshotOptions } from './privacy/snapshot.js';
export { Agent, AGENT_VERSION } from './agent/agent.js';
export type { AgentOptions } from './agent/agent.js';
export { toEventBody } from './agent/event-body.js';
export { applyPatch, REMOTE_CAMERA_KEYS } from './agent/remote-config.js';
export type { PatchResult } from './agent/remote-config.js';
export { buildSource } from './agent/sources.js';
export { verifyModelBytes, fetchModel, storeModel, parsePublicKey, ChunkAssembler, ModelRejected } from './manage/model-update.js';
export { runAgentCommand, AGENT_USAGE } from './agent-cli.js';
export { runDetectCommand, DETECT_USAGE } from './detect-cli.js';
export { SW_EDGE_OUTBOX_DIR, SW_EDGE_OUTBOX_CLOSED, SW_EDGE_OUTBOX_RECORD_TOO_LARGE, SW_EDGE_MESSAGE_INVALID, SW_EDGE_PUBLISHER_STATE, SW_EDGE_MODEL_LOAD, SW_EDGE_SOURCE, SW_EDGE_FFMPEG_MISSING, SW_EDGE_CONFIG_INVALID, SW_EDGE_CREDENTIAL_FILE, EDGE_ERRORS } from './errors.js';
export { RemoteManagement } from './agent/remote-management.js';
export type { ManagedDevice } from './agent/remote-management.js';
