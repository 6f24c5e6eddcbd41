export {
  DEFAULT_TOPIC_PREFIX,
  PROTOCOL_VERSION,
  UPLINK_KINDS,
  DOWNLINK_KINDS,
  DEVICE_ID_PATTERN,
  isDeviceId,
  assertPrefix,
  deviceTopic,
  uplinkFilter,
  sharedUplinkFilter,
  parseTopic,
} from './topics.js';
export type { UplinkKind, DownlinkKind, MessageKind, ParsedTopic } from './topics.js';
export {
  OBJECT_CLASSES,
  SEVERITIES,
  DEVICE_KINDS,
  EVENT_TYPES,
  MESSAGE_SCHEMAS,
  StatusSchema,
  EventSchema,
  TelemetrySchema,
  HealthSchema,
  ConfigSchema,
  ModelUpdateSchema,
  LocationSchema,
} from './schemas.js';
export type {
  ObjectClass,
  Severity,
  DeviceKind,
  EventType,
  StatusMessage,
  EventMessage,
  TelemetryMessage,
  HealthMessage,
  ConfigMessage,
  ModelUpdate,
  Counts,
  MessageByKind,
} from './schemas.js';
export { DEFAULT_DECODE_OPTIONS, decodeUplink, decodeConfig, validateMessage, describeInvalid, parseJsonSafely } from './validate.js';
export type { DecodeOptions, Decoded, RejectCode } from './validate.js';
export { newMessageId, isMessageId, messageIdTimeMs } from './ids.js';
export { makeMessage, encodeMessage, encodeConfig } from './encode.js';
export {
  MAX_RULES_PER_CAMERA,
  REMOTE_CAMERA_KEYS,
  ClassSchema,
  PointSchema,
  ThresholdsSchema,
  LineSchema,
  ZoneSchema,
  LaneSchema,
  CalibrationSchema,
  SnapshotsSchema,
  CameraPatchSchema,
  ModelChunkSchema,
  ConfigPatchSchema,
} from './config-patch.js';
export type { Thresholds, CameraPatch, ModelChunk, ConfigPatch } from './config-patch.js';
export { SW_PROTOCOL_TOPIC_INVALID, SW_PROTOCOL_DEVICE_ID_INVALID, PROTOCOL_ERRORS } from './errors.js';
export { jsonSchemaFiles, GENERATED_HEADER } from './export-json-schema.js';
