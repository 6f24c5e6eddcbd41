import { Type, type Static } from '@sinclair/typebox';
import { OBJECT_CLASSES } from './object-classes.js';

/**
 * What a `config` downlink may change on a running device (`patch`), and a model sent in chunks over MQTT
 * (`patch.modelChunk`). The edge agent builds its own device configuration from these same schemas, so a
 * line, zone or lane means one thing on both sides. Rules that need the device (is a point inside this
 * camera's frame, is there a camera of that name) stay on the device.
 * Fields with a `default` may be left out: the device fills them in.
 */

const closed = { additionalProperties: false } as const;
const NAME_PATTERN = '^[A-Za-z0-9_.-]{1,64}$';
const Name = (description: string) => Type.String({ pattern: NAME_PATTERN, description });
const literals = <T extends string>(values: readonly T[], description: string) => Type.Union(values.map((v) => Type.Literal(v)), { description });
const Threshold = (description = 'minimum score, 0–1') => Type.Number({ minimum: 0, maximum: 1, description });

/** Most lines, zones or lanes one camera may have. */
export const MAX_RULES_PER_CAMERA = 64;

export const ClassSchema = literals(OBJECT_CLASSES, 'object class');
const Classes = Type.Array(ClassSchema, { minItems: 1, uniqueItems: true, description: 'classes this rule watches (default all)' });
export const PointSchema = Type.Tuple([Type.Number({ minimum: -100_000, maximum: 100_000 }), Type.Number({ minimum: -100_000, maximum: 100_000 })], {
  description: '[x, y] in image pixels of the camera frame',
});
const Polygon = Type.Array(PointSchema, { minItems: 3, maxItems: 64, description: 'polygon corners in image pixels' });

export const ThresholdsSchema = Type.Object(
  {
    default: Type.Optional(Threshold('minimum score for classes not named')),
    person: Type.Optional(Threshold()),
    bicycle: Type.Optional(Threshold()),
    car: Type.Optional(Threshold()),
    motorcycle: Type.Optional(Threshold()),
    bus: Type.Optional(Threshold()),
    truck: Type.Optional(Threshold()),
  },
  { ...closed, default: {}, description: 'minimum detection score per class (default 0.25)' },
);

export const LineSchema = Type.Object(
  {
    name: Name('line name (events and telemetry name it)'),
    from: PointSchema,
    to: PointSchema,
    classes: Type.Optional(Classes),
    directions: Type.Optional(
      Type.Object(
        {
          in: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'name of crossings from the left of from→to to its right (default "in")' })),
          out: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'name of crossings the other way (default "out")' })),
        },
        { ...closed, description: 'direction names' },
      ),
    ),
    approach: Type.Optional(Name('traffic approach of the counts (default the line name)')),
    events: Type.Optional(Type.Boolean({ description: 'publish an event per crossing (default false)' })),
  },
  { ...closed, description: 'directional count line' },
);

export const ZoneSchema = Type.Object(
  {
    name: Name('zone name'),
    polygon: Polygon,
    classes: Type.Optional(Classes),
    restricted: Type.Optional(Type.Boolean({ description: 'intrusion event for any watched object' })),
    loiterS: Type.Optional(Type.Number({ minimum: 1, maximum: 86_400, description: 'loitering after this many seconds (people)' })),
    dwellEventS: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400, description: 'dwell event on leaving after at least this many seconds' })),
    maxOccupancy: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'zone_occupancy event at this many objects' })),
    crowd: Type.Optional(
      Type.Object(
        {
          minPersons: Type.Integer({ minimum: 1, maximum: 100_000, description: 'people in the zone at once' }),
          minPerM2: Type.Optional(Type.Number({ minimum: 0, maximum: 20, description: 'and people per m² (needs a calibration)' })),
        },
        { ...closed, description: 'crowd density event' },
      ),
    ),
  },
  { ...closed, description: 'zone' },
);

export const LaneSchema = Type.Object(
  {
    name: Name('lane name'),
    polygon: Polygon,
    headingDeg: Type.Optional(Type.Number({ minimum: 0, maximum: 360, description: 'direction of travel (ground: 0 = north; image: 0 = up) for wrong-way' })),
    stoppedS: Type.Optional(Type.Number({ minimum: 1, maximum: 3600, description: 'stopped vehicle after this many seconds (default 20)' })),
    queue: Type.Optional(
      Type.Object(
        {
          minVehicles: Type.Integer({ minimum: 1, maximum: 1000, description: 'queue event at this many still vehicles' }),
          head: Type.Optional(PointSchema),
        },
        { ...closed, description: 'queue event; head = the stop line point queue length is measured from' },
      ),
    ),
    approach: Type.Optional(Name('traffic approach of the lane')),
  },
  { ...closed, description: 'live traffic lane' },
);

export const CalibrationSchema = Type.Object(
  {
    points: Type.Array(
      Type.Object(
        {
          image: PointSchema,
          ground: Type.Optional(Type.Tuple([Type.Number(), Type.Number()], { description: '[east, north] metres' })),
          lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: 'latitude instead of ground' })),
          lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180, description: 'longitude instead of ground' })),
        },
        { ...closed, description: 'an image point and where it is on the ground (metres, or lat/lon)' },
      ),
      { minItems: 4, maxItems: 4, description: 'exactly 4 image ↔ ground pairs, no 3 in a line' },
    ),
  },
  { ...closed, description: 'ground-plane calibration for speeds' },
);

/** Every field has a default, so a patch may name only the ones it changes. */
export const SnapshotsSchema = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ default: false, description: 'attach a blurred JPEG to events (no frame leaves the device otherwise)' })),
    width: Type.Optional(Type.Integer({ minimum: 64, maximum: 1280, default: 320, description: 'snapshot width, pixels' })),
    quality: Type.Optional(Type.Integer({ minimum: 20, maximum: 95, default: 60, description: 'JPEG quality' })),
    blurSigma: Type.Optional(Type.Number({ minimum: 2, maximum: 100, default: 12, description: 'blur strength over the whole frame (Gaussian sigma, pixels of the snapshot)' })),
  },
  { ...closed, default: {}, description: 'event snapshots' },
);

/** The keys of one camera that a downlink may replace (hot reload, no restart); the order of CameraPatchSchema. */
export const REMOTE_CAMERA_KEYS = ['lines', 'zones', 'lanes', 'calibration', 'snapshots'] as const;

export const CameraPatchSchema = Type.Object(
  {
    lines: Type.Optional(Type.Array(LineSchema, { maxItems: MAX_RULES_PER_CAMERA, description: 'count lines (replaces all of them)' })),
    zones: Type.Optional(Type.Array(ZoneSchema, { maxItems: MAX_RULES_PER_CAMERA, description: 'zones (replaces all of them)' })),
    lanes: Type.Optional(Type.Array(LaneSchema, { maxItems: MAX_RULES_PER_CAMERA, description: 'live lanes (replaces all of them)' })),
    calibration: Type.Optional(CalibrationSchema),
    snapshots: Type.Optional(SnapshotsSchema),
  },
  { ...closed, description: 'what to replace on one camera' },
);

export const ModelChunkSchema = Type.Object(
  {
    index: Type.Integer({ minimum: 0, maximum: 99_999, description: 'which chunk, from 0; less than count' }),
    count: Type.Integer({ minimum: 1, maximum: 100_000, description: 'how many chunks the model is sent in' }),
    data: Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: 64 * 1024, description: 'the chunk, base64' }),
  },
  { ...closed, description: 'one chunk of the model named in `model`, sent over MQTT; the device joins them in index order' },
);

export const ConfigPatchSchema = Type.Object(
  {
    thresholds: Type.Optional(ThresholdsSchema),
    cameras: Type.Optional(
      Type.Record(Type.String({ pattern: NAME_PATTERN }), CameraPatchSchema, {
        additionalProperties: false,
        maxProperties: 64,
        description: 'cameras by name (each must exist on the device)',
      }),
    ),
    modelChunk: Type.Optional(ModelChunkSchema),
  },
  { ...closed, description: 'part of the device configuration to replace; the device then checks the whole result (points inside the frame, names)' },
);

export type Thresholds = Static<typeof ThresholdsSchema>;
export type CameraPatch = Static<typeof CameraPatchSchema>;
export type ModelChunk = Static<typeof ModelChunkSchema>;
export type ConfigPatch = Static<typeof ConfigPatchSchema>;
