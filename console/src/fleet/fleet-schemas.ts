/** JSON Schemas of the fleet routes (OpenAPI document and response serialisation). */
import { Type } from '@sinclair/typebox';
import { DeviceFilterParams, StringEnum } from '@streetwise/analytics';
import { FLEET_SORTS, PUSH_STATUSES } from './fleet-sql.js';

const Instant = Type.String({ format: 'date-time' });
const OrNull = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number> | ReturnType<typeof Type.Integer>>(schema: T) => Type.Union([schema, Type.Null()]);

export const FleetQuery = Type.Object(
  {
    district: DeviceFilterParams.district,
    region: DeviceFilterParams.region,
    kind: DeviceFilterParams.kind,
    state: Type.Optional(StringEnum(['online', 'offline'] as const, { description: 'connection state from the device\'s retained status' })),
    sort: StringEnum(FLEET_SORTS, { default: 'id', description: 'column to sort by (devices without health figures last)' }),
    order: StringEnum(['asc', 'desc'] as const, { default: 'asc' }),
    limit: Type.Integer({ minimum: 1, maximum: 5000, default: 500, description: 'devices per page' }),
    offset: Type.Integer({ minimum: 0, default: 0, description: 'devices to skip' }),
  },
  { additionalProperties: false },
);

export const FleetDevice = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name: OrNull(Type.String()),
  district: OrNull(Type.String({ description: 'district code letter (A–T)' })),
  districtNameEn: OrNull(Type.String()),
  districtNameZh: OrNull(Type.String()),
  state: Type.String({ description: 'online or offline (its retained status)' }),
  lastSeenAt: Instant,
  firmware: OrNull(Type.String()),
  configVersion: OrNull(Type.Integer({ description: 'the config version its last status reported' })),
  models: Type.Record(Type.String(), Type.String(), { description: 'model name → version, from its latest health (else its birth)' }),
  health: Type.Union([
    Type.Object({
      at: Instant,
      fps: OrNull(Type.Number()),
      inferenceMsP50: OrNull(Type.Number()),
      inferenceMsP95: OrNull(Type.Number()),
      outboxDepth: OrNull(Type.Integer()),
      outboxDropped: OrNull(Type.Integer()),
      cpuPct: OrNull(Type.Number()),
      configVersion: OrNull(Type.Integer()),
    }, { description: 'its latest health message' }),
    Type.Null(),
  ]),
  lastPush: Type.Union([
    Type.Object({ pushId: Type.String(), version: Type.Integer(), pushedAt: Instant, confirmedAt: OrNull(Instant) }, { description: 'the latest config pushed to it from the fleet view' }),
    Type.Null(),
  ]),
});

export const FleetPage = Type.Object({
  total: Type.Integer(),
  downlink: StringEnum(['connected', 'disconnected', 'not_configured'] as const, { description: 'whether this console can publish config pushes now' }),
  items: Type.Array(FleetDevice),
});

export const PushBody = Type.Object(
  {
    devices: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 5000, uniqueItems: true, description: 'device ids; or give district' })),
    district: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'every (unblocked) device of this district: code letter, English or Chinese name' })),
    patch: Type.Unsafe<Record<string, unknown>>({
      type: 'object',
      description: 'the protocol\'s config patch (protocol/schemas/config.json, `patch`): `thresholds` and `cameras.<name>.{lines,zones,lanes,calibration,snapshots}`. Checked exactly as the device checks it; a field it would refuse is a 400 naming it (e.g. `patch.thresholds.car`).',
    }),
  },
  { additionalProperties: false },
);

const PushedDevice = Type.Object({
  id: Type.String(),
  version: Type.Integer({ description: 'the config version this device was sent' }),
  publishedAt: OrNull(Instant),
  publishError: OrNull(Type.String({ description: 'why the broker did not take it (then nothing reached the device)' })),
});

export const PushAnswer = Type.Object({ pushId: Type.String({ format: 'uuid' }), pushedAt: Instant, devices: Type.Array(PushedDevice) });

export const PushView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  pushedAt: Instant,
  pushedBy: Type.String({ description: 'the console user' }),
  target: Type.Object({ devices: Type.Optional(Type.Array(Type.String())), district: Type.Optional(Type.String()) }, { description: 'what was asked for' }),
  patch: Type.Record(Type.String(), Type.Unknown()),
  devices: Type.Array(
    Type.Object({
      id: Type.String(),
      version: Type.Integer(),
      status: StringEnum(PUSH_STATUSES, { description: 'confirmed: the device reported this version; rejected: it answered config_rejected; failed: the broker did not take it; superseded: it runs a later version; else pending' }),
      publishedAt: OrNull(Instant),
      publishError: OrNull(Type.String()),
      confirmedAt: OrNull(Instant),
      rejectedAt: OrNull(Instant),
      rejectReason: OrNull(Type.String()),
    }),
  ),
});

export const PushListQuery = Type.Object(
  {
    device: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'only pushes that reached this device' })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

export const PushParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
