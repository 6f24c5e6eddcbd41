import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CHANNEL_ORDERS, LETTERBOX_PLACEMENTS, OUTPUT_LAYOUTS, PIXEL_RANGES } from '@streetwise/inference';
import {
  CalibrationSchema,
  DEVICE_ID_PATTERN,
  DEVICE_KINDS,
  LaneSchema,
  LineSchema,
  MAX_RULES_PER_CAMERA,
  SnapshotsSchema as SnapshotsPatchSchema,
  ThresholdsSchema,
  ZoneSchema,
} from '@streetwise/protocol';

/**
 * Device configuration, one schema per section. Every object is closed (unknown keys are errors), every
 * field has a description, bounds and (unless it must be given) a default.
 */
const closed = { additionalProperties: false } as const;
const Name = (description: string) => Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description });
const literals = <T extends string>(values: readonly T[], description: string, def?: T) =>
  Type.Union(values.map((v) => Type.Literal(v)), { description, ...(def === undefined ? {} : { default: def }) });

/** Lines, zones, lanes, calibration, snapshots and thresholds are the protocol's: a config downlink may replace them. */
export { CalibrationSchema, LaneSchema, LineSchema, ThresholdsSchema, ZoneSchema };
/** On the device every snapshots field is there (the defaults fill in what the file or the downlink left out). */
export const SnapshotsSchema = Type.Required(SnapshotsPatchSchema);

export const DeviceSchema = Type.Object(
  {
    id: Type.String({ pattern: DEVICE_ID_PATTERN, description: 'device id, the <deviceId> level of every topic' }),
    kind: literals(DEVICE_KINDS, 'what the device is', 'camera'),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'human-readable name' })),
    location: Type.Object(
      { lat: Type.Number({ minimum: -90, maximum: 90, description: 'latitude, WGS84' }), lon: Type.Number({ minimum: -180, maximum: 180, description: 'longitude, WGS84' }) },
      { ...closed, description: 'where the device stands; events carry it' },
    ),
    district: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'district: code letter (A–T) or English/Chinese name (ingest stores the code; from location when absent)' })),
    road: Type.Optional(Type.String({ minLength: 1, maxLength: 160, description: 'road or approach watched' })),
  },
  { ...closed, description: 'who and where the device is' },
);

export const MqttSchema = Type.Object(
  {
    url: Type.String({ pattern: '^(mqtts?|wss?|tcp)://', default: 'mqtt://127.0.0.1:1883', description: 'broker URL' }),
    prefix: Type.String({ pattern: '^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$', default: 'streetwise', description: 'topic prefix' }),
    username: Type.Optional(Type.String({ maxLength: 256, description: 'broker user name (default: the device id, as the registry names it)' })),
    credentialFile: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'file holding the device token from `npm run devices -- add <id>`; the STREETWISE_DEVICE_TOKEN environment variable wins. The token never goes in this YAML' })),
    caFile: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'PEM CA file the broker\'s certificate must chain to (mqtts://)' })),
    healthIntervalS: Type.Integer({ minimum: 0, maximum: 3600, default: 30, description: 'seconds between health messages; 0 = off' }),
    reconnectPeriodMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 2000, description: 'wait between reconnect attempts, ms' }),
  },
  { ...closed, default: {}, description: 'broker connection' },
);

export const OutboxSchema = Type.Object(
  {
    dir: Type.String({ minLength: 1, default: './data/outbox', description: 'directory of the disk outbox' }),
    maxBytes: Type.Integer({ minimum: 64 * 1024, maximum: 4 * 1024 ** 3, default: 16 * 1024 * 1024, description: 'largest total size of waiting messages, bytes' }),
    fsync: literals(['always', 'interval', 'never'] as const, 'when appends reach the disk', 'interval'),
    fsyncIntervalMs: Type.Integer({ minimum: 10, maximum: 60_000, default: 1000, description: "period of the 'interval' policy, ms" }),
  },
  { ...closed, default: {}, description: 'store-and-forward queue for events and telemetry' },
);

const PerChannel = (description: string, minimum: number) =>
  Type.Tuple([Type.Number({ minimum, maximum: 1000 }), Type.Number({ minimum, maximum: 1000 }), Type.Number({ minimum, maximum: 1000 })], { description });

/** Overrides of what @streetwise/inference tells from the model's graph (its ModelSettingsOverrides); leave out what the graph says. */
export const ModelSettingsSchema = Type.Object(
  {
    input: Type.Optional(
      Type.Object(
        {
          width: Type.Optional(Type.Integer({ minimum: 1, maximum: 8192, description: 'model input width, pixels (only for a dynamic input)' })),
          height: Type.Optional(Type.Integer({ minimum: 1, maximum: 8192, description: 'model input height, pixels (only for a dynamic input)' })),
          channelOrder: Type.Optional(literals(CHANNEL_ORDERS, 'order of the input planes (default rgb)')),
          pixelRange: Type.Optional(literals(PIXEL_RANGES, 'pixel bytes divided by 255 (0-1) or as they are (0-255) (default 0-1)')),
          mean: Type.Optional(PerChannel('subtracted per plane, in the model channel order and pixelRange units (default 0)', -1000)),
          std: Type.Optional(PerChannel('divides per plane, after the mean (default 1)', 0.000001)),
          placement: Type.Optional(literals(LETTERBOX_PLACEMENTS, 'where the resized frame sits in the input (default centre)')),
          padValue: Type.Optional(Type.Number({ minimum: 0, maximum: 255, description: 'letterbox padding grey, a pixel byte (default 114)' })),
        },
        { ...closed, description: 'how frames become the input tensor' },
      ),
    ),
    output: Type.Optional(
      Type.Object({ layout: Type.Optional(literals(OUTPUT_LAYOUTS, 'output layout (default told from its shape and metadata)')) }, { ...closed, description: 'how the output is read' }),
    ),
  },
  { ...closed, description: 'model settings to force (default: told from the graph, Ultralytics preprocessing)' },
);

export const DetectorSchema = Type.Object(
  {
    model: Type.Optional(Type.String({ minLength: 1, description: "path of the ONNX detector (default: the shipped detector for real cameras, role real-camera in models/manifest.json)" })),
    version: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'version reported in events (default from the model)' })),
    threads: Type.Integer({ minimum: 1, maximum: 64, default: 1, description: 'onnxruntime intra-op threads' }),
    thresholds: ThresholdsSchema,
    iouThreshold: Type.Number({ minimum: 0.05, maximum: 0.95, default: 0.45, description: 'NMS IoU threshold' }),
    classNames: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 1000, description: 'class names by index when the model has none' })),
    settings: Type.Optional(ModelSettingsSchema),
    modelDir: Type.String({ minLength: 1, default: './data/models', description: 'where model updates are stored' }),
    publicKey: Type.Optional(Type.String({ minLength: 40, maxLength: 400, description: 'Ed25519 public key (PEM or base64 SPKI); when set, model updates must be signed' })),
  },
  { ...closed, description: 'object detector' },
);

export const SourceSchema = Type.Object(
  {
    kind: literals(['images', 'snapshot', 'mjpeg', 'rtsp', 'synthetic'] as const, 'camera source kind'),
    path: Type.Optional(Type.String({ minLength: 1, description: 'images: a file or folder' })),
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 'snapshot, mjpeg, rtsp: the camera URL' })),
    fps: Type.Number({ minimum: 0, maximum: 60, default: 5, description: 'frames per second taken (0 = as fast as possible, images only)' }),
    loop: Type.Boolean({ default: true, description: 'images: start again after the last' }),
    ffmpegPath: Type.String({ minLength: 1, default: 'ffmpeg', description: 'rtsp: ffmpeg executable' }),
  },
  { ...closed, description: 'where frames come from' },
);

export const CameraSchema = Type.Object(
  {
    source: SourceSchema,
    frame: Type.Object(
      { width: Type.Integer({ minimum: 16, maximum: 16_384, description: 'pixels' }), height: Type.Integer({ minimum: 16, maximum: 16_384, description: 'pixels' }) },
      { ...closed, description: 'frame size the lines, zones and lanes are drawn on' },
    ),
    calibration: Type.Optional(CalibrationSchema),
    lines: Type.Array(LineSchema, { maxItems: MAX_RULES_PER_CAMERA, default: [], description: 'count lines' }),
    zones: Type.Array(ZoneSchema, { maxItems: MAX_RULES_PER_CAMERA, default: [], description: 'zones' }),
    lanes: Type.Array(LaneSchema, { maxItems: MAX_RULES_PER_CAMERA, default: [], description: 'live lanes' }),
    snapshots: SnapshotsSchema,
  },
  { ...closed, description: 'one camera' },
);

export const TrafficSchema = Type.Object(
  {
    intervalS: Type.Integer({ minimum: 10, maximum: 3600, default: 60, description: 'telemetry interval, seconds' }),
    freeFlowKmh: Type.Optional(Type.Number({ minimum: 5, maximum: 200, description: 'free-flow speed for the congestion index' })),
    forecaster: Type.Optional(
      Type.Object(
        { model: Type.String({ minLength: 1, description: 'ONNX traffic forecaster' }), utcOffsetMinutes: Type.Integer({ minimum: -720, maximum: 840, default: 480, description: 'local time for the time-of-day features' }) },
        { ...closed, description: 'on-device forecast' },
      ),
    ),
  },
  { ...closed, default: {}, description: 'traffic aggregates' },
);

export const SensorSchema = Type.Object(
  {
    name: Name('sensor name'),
    kind: literals(['loop_detector', 'air_quality', 'noise'] as const, 'sensor kind'),
    http: Type.Optional(Type.String({ pattern: '^https?://', description: 'URL answering with the current reading as JSON' })),
    file: Type.Optional(Type.String({ minLength: 1, description: 'file holding the current reading as JSON' })),
    sampleS: Type.Number({ minimum: 0.1, maximum: 3600, default: 10, description: 'seconds between samples' }),
    intervalS: Type.Integer({ minimum: 10, maximum: 3600, default: 60, description: 'seconds per telemetry message' }),
    approach: Type.Optional(Name('approach (loop detectors)')),
  },
  { ...closed, description: 'non-camera sensor' },
);

export const DeviceConfigSchema = Type.Object(
  {
    configVersion: Type.Integer({ minimum: 0, default: 0, description: 'version of this configuration' }),
    device: DeviceSchema,
    mqtt: MqttSchema,
    outbox: OutboxSchema,
    detector: Type.Optional(DetectorSchema),
    cameras: Type.Record(Name('camera name'), CameraSchema, { default: {}, description: 'cameras by name' }),
    traffic: TrafficSchema,
    sensors: Type.Array(SensorSchema, { maxItems: 32, default: [], description: 'non-camera sensors' }),
    logLevel: literals(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'log level', 'info'),
  },
  { ...closed, description: 'Streetwise edge device configuration' },
);

export type DeviceConfig = Static<typeof DeviceConfigSchema>;
export type CameraConfig = Static<typeof CameraSchema>;
export type SensorConfig = Static<typeof SensorSchema>;
export type CalibrationConfig = Static<typeof CalibrationSchema>;
export type SnapshotsConfig = Static<typeof SnapshotsSchema>;
export type AnySchema = TSchema;
