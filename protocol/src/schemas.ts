import { Type, type Static } from '@sinclair/typebox';
import { ConfigPatchSchema } from './config-patch.js';
import { OBJECT_CLASSES } from './object-classes.js';
import { DEVICE_ID_PATTERN } from './topics.js';

export { OBJECT_CLASSES, type ObjectClass } from './object-classes.js';

/**
 * Protocol v1 message schemas, written once. They compile to fast validators (validate.ts) and are
 * exported as JSON Schema files (schemas/*.json) for devices written in other languages.
 * Every object is closed (additionalProperties: false): unknown fields are an error, not ignored.
 */

const closed = { additionalProperties: false } as const;

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const DEVICE_KINDS = ['camera', 'loop_detector', 'air_quality', 'noise', 'multi'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export const EVENT_TYPES = [
  'detection',
  'line_crossing',
  'zone_occupancy',
  'dwell',
  'loitering',
  'intrusion',
  'crowd_density',
  'stopped_vehicle',
  'wrong_way',
  'queue_length',
  'collision',
  'config_applied',
  'config_rejected',
  'model_applied',
  'model_rejected',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const literalUnion = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(values.map((v) => Type.Literal(v)), { description });

export const MessageIdSchema = Type.String({
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$',
  description: 'UUIDv7 in lower case: unique, and sorts by the time it was made',
});
export const DeviceIdSchema = Type.String({ pattern: DEVICE_ID_PATTERN, description: 'device id; must equal the <deviceId> level of the topic' });
export const TimestampSchema = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?(Z|[+-]\\d{2}:\\d{2})$',
  maxLength: 40,
  description: 'ISO 8601 date-time with a zone (UTC "Z" recommended): when it happened on the device',
});
export const LocationSchema = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90, description: 'latitude, WGS84 degrees' }),
    lon: Type.Number({ minimum: -180, maximum: 180, description: 'longitude, WGS84 degrees' }),
  },
  { ...closed, description: 'WGS84 position' },
);
const ShortText = (description: string, maxLength = 128) => Type.String({ minLength: 1, maxLength, description });
// additionalProperties: a key outside the pattern is refused, not let through unchecked (TypeBox's Record allows it otherwise).
const VersionMap = Type.Record(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }), ShortText('version', 64), {
  additionalProperties: false,
  maxProperties: 16,
  description: 'model name → version',
});
const Count = (description: string) => Type.Integer({ minimum: 0, maximum: 1_000_000, description });

const header = {
  v: Type.Literal(1, { description: 'protocol version' }),
  id: MessageIdSchema,
  deviceId: DeviceIdSchema,
  ts: TimestampSchema,
};

export const StatusSchema = Type.Object(
  {
    ...header,
    state: literalUnion(['online', 'offline'] as const, 'online: birth message (retained); offline: last will or clean shutdown'),
    kind: Type.Optional(literalUnion(DEVICE_KINDS, 'what the device is; required when online')),
    name: Type.Optional(ShortText('human-readable name')),
    location: Type.Optional(LocationSchema),
    district: Type.Optional(ShortText('Hong Kong district the device stands in: the official code letter (A–T) or its English or Chinese name or a common alias, e.g. "A", "Central & Western", "Central and Western", "中西區". Ingest stores the code; when absent or not a district name, the district whose official boundary holds `location`', 64)),
    road: Type.Optional(ShortText('road or approach the device watches', 160)),
    capabilities: Type.Optional(Type.Array(ShortText('capability', 64), { maxItems: 32, uniqueItems: true })),
    models: Type.Optional(VersionMap),
    firmware: Type.Optional(ShortText('agent version', 64)),
    configVersion: Type.Optional(Type.Integer({ minimum: 0, description: 'config version in force' })),
    healthIntervalS: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 3600, description: 'seconds between its health messages (0: it sends none); a device not heard for more than twice this is shown degraded' }),
    ),
  },
  { ...closed, $id: 'status', title: 'status', description: 'Presence: retained birth message, and the last will' },
);

export const EventSchema = Type.Object(
  {
    ...header,
    type: literalUnion(EVENT_TYPES, 'what happened'),
    severity: literalUnion(SEVERITIES, 'how urgent'),
    class: Type.Optional(literalUnion(OBJECT_CLASSES, 'object class')),
    trackId: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, description: 'tracker id, stable while the object is in view' })),
    confidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    location: LocationSchema,
    rule: Type.Optional(ShortText('name of the line, zone or rule that fired', 64)),
    direction: Type.Optional(ShortText('direction of travel, e.g. "in", "out", "northbound"', 32)),
    speedKmh: Type.Optional(Type.Number({ minimum: 0, maximum: 400 })),
    count: Type.Optional(Count('objects involved (crowd size, queue length in vehicles)')),
    durationS: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400, description: 'dwell or stop duration, seconds' })),
    modelVersion: Type.Optional(ShortText('detector model version', 64)),
    attrs: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }), Type.Union([Type.String({ maxLength: 256 }), Type.Number(), Type.Boolean()]), {
        additionalProperties: false,
        maxProperties: 32,
        description: 'extra facts, flat',
      }),
    ),
    snapshot: Type.Optional(
      Type.String({
        maxLength: 48 * 1024,
        pattern: '^[A-Za-z0-9+/]+={0,2}$',
        description: 'base64 JPEG, the whole frame blurred, detections outlined; only sent when snapshots are enabled on the device',
      }),
    ),
  },
  { ...closed, $id: 'event', title: 'event', description: 'A detection or safety event' },
);

export const CountsSchema = Type.Object(
  {
    person: Type.Optional(Count('people counted in the interval')),
    bicycle: Type.Optional(Count('bicycles counted in the interval')),
    car: Type.Optional(Count('cars counted in the interval')),
    motorcycle: Type.Optional(Count('motorcycles counted in the interval')),
    bus: Type.Optional(Count('buses counted in the interval')),
    truck: Type.Optional(Count('trucks counted in the interval')),
  },
  { ...closed, description: 'objects counted in the interval, by class' },
);

export const ForecastSchema = Type.Array(
  Type.Object(
    {
      minutes: Type.Integer({ minimum: 1, maximum: 1440, description: 'horizon, minutes ahead' }),
      flow: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000, description: 'vehicles per interval' })),
      speedKmh: Type.Optional(Type.Number({ minimum: 0, maximum: 300 })),
    },
    closed,
  ),
  { maxItems: 8, description: 'on-device forecast' },
);

export const TelemetrySchema = Type.Object(
  {
    ...header,
    intervalS: Type.Integer({ minimum: 1, maximum: 3600, description: 'length of the interval that ends at ts, seconds' }),
    approach: Type.Optional(ShortText('approach or lane group the figures are for', 64)),
    counts: Type.Optional(CountsSchema),
    speedKmhAvg: Type.Optional(Type.Number({ minimum: 0, maximum: 300, description: 'mean speed, km/h' })),
    speedKmhP85: Type.Optional(Type.Number({ minimum: 0, maximum: 300, description: '85th percentile speed, km/h' })),
    occupancyPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'road or zone occupancy, %' })),
    queueLengthM: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000, description: 'queue length, metres' })),
    zoneOccupancy: Type.Optional(Count('people or vehicles in watched zones at ts')),
    pm25: Type.Optional(Type.Number({ minimum: 0, maximum: 2000, description: 'PM2.5, µg/m³' })),
    no2: Type.Optional(Type.Number({ minimum: 0, maximum: 5000, description: 'NO2, µg/m³' })),
    noiseDba: Type.Optional(Type.Number({ minimum: 0, maximum: 200, description: 'equivalent noise level, dBA' })),
    congestionIndex: Type.Optional(Type.Number({ minimum: 0, maximum: 2, description: 'speed / free-flow speed' })),
    volume: Type.Optional(Count('vehicles counted in the interval, all classes together, for sensors that cannot tell classes apart (an induction loop); over valid lanes only')),
    lanesValid: Type.Optional(Type.Integer({ minimum: 0, maximum: 64, description: 'lanes whose readings were valid and make up volume, speedKmhAvg and occupancyPct' })),
    lanesInvalid: Type.Optional(Type.Integer({ minimum: 0, maximum: 64, description: 'lanes the source marked invalid or whose values were unusable; left out of every figure' })),
    observedAt: Type.Optional(
      Type.String({
        pattern: TimestampSchema.pattern,
        maxLength: 40,
        description: 'end of the interval as the source published it; differs from ts only when a recording is replayed re-timed to now (ts is then the re-timed end)',
      }),
    ),
    forecast: Type.Optional(ForecastSchema),
  },
  { ...closed, $id: 'telemetry', title: 'telemetry', description: 'Per-interval counts, speeds, occupancy, air quality, noise' },
);

export const HealthSchema = Type.Object(
  {
    ...header,
    uptimeS: Type.Number({ minimum: 0, description: 'seconds since the agent started' }),
    fps: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
    fpsTarget: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, description: 'frames per second its configuration asks for, all cameras together; fps well below it shows the device degraded' })),
    inferenceMsP50: Type.Optional(Type.Number({ minimum: 0, maximum: 600_000 })),
    inferenceMsP95: Type.Optional(Type.Number({ minimum: 0, maximum: 600_000 })),
    cpuPct: Type.Optional(Type.Number({ minimum: 0, maximum: 25_600, description: 'process CPU, % of one core' })),
    rssMb: Type.Optional(Type.Number({ minimum: 0, maximum: 1_048_576 })),
    outboxDepth: Count('messages waiting in the disk outbox'),
    outboxDropped: Type.Optional(Count('messages dropped because the outbox was full, since start')),
    inferenceErrors: Type.Optional(Count('camera pipeline runs that failed (the detector or the frame source threw), since start; a rise between two health messages shows the device degraded')),
    models: Type.Optional(VersionMap),
    configVersion: Type.Optional(Type.Integer({ minimum: 0 })),
    feedAgeS: Type.Optional(Type.Number({ minimum: 0, maximum: 31_536_000, description: 'a feed connector: seconds since the end of the newest period it read' })),
    devicesStale: Type.Optional(Count('a gateway: devices it speaks for that stopped appearing (stale, not yet offline)')),
    devicesOffline: Type.Optional(Count('a gateway: devices it speaks for that have been silent long enough to be offline')),
  },
  { ...closed, $id: 'health', title: 'health', description: 'Device health, every N seconds' },
);

export const ModelUpdateSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }),
    version: ShortText('model version', 64),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    sizeBytes: Type.Integer({ minimum: 1, maximum: 512 * 1024 * 1024 }),
    url: Type.Optional(Type.String({ maxLength: 2048, pattern: '^https?://' })),
    signature: Type.Optional(Type.String({ maxLength: 200, description: 'base64 Ed25519 signature of the file' })),
  },
  { ...closed, description: 'a model to fetch (url) or to receive in chunks, checked before use' },
);

export const ConfigSchema = Type.Object(
  {
    v: Type.Literal(1),
    id: MessageIdSchema,
    ts: TimestampSchema,
    configVersion: Type.Integer({ minimum: 0, description: 'monotonic; a device ignores versions older than the one it runs' }),
    patch: Type.Optional(ConfigPatchSchema),
    model: Type.Optional(ModelUpdateSchema),
  },
  { ...closed, $id: 'config', title: 'config', description: 'Downlink: hot-reloaded configuration and model updates' },
);

export type StatusMessage = Static<typeof StatusSchema>;
export type EventMessage = Static<typeof EventSchema>;
export type TelemetryMessage = Static<typeof TelemetrySchema>;
export type HealthMessage = Static<typeof HealthSchema>;
export type ConfigMessage = Static<typeof ConfigSchema>;
export type ModelUpdate = Static<typeof ModelUpdateSchema>;
export type Counts = Static<typeof CountsSchema>;

export const MESSAGE_SCHEMAS = {
  status: StatusSchema,
  event: EventSchema,
  telemetry: TelemetrySchema,
  health: HealthSchema,
  config: ConfigSchema,
} as const;

export interface MessageByKind {
  status: StatusMessage;
  event: EventMessage;
  telemetry: TelemetryMessage;
  health: HealthMessage;
  config: ConfigMessage;
}
