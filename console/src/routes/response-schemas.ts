/**
 * The 200 bodies of the console's incident and event routes, for the OpenAPI document and fast
 * serialisation. Nullable columns are nullable here; timestamps are ISO 8601 strings.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { OUTCOMES } from '@streetwise/incidents';

const Nullable = (schema: TSchema) => Type.Union([schema, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });

export const Incident = Type.Object({
  id: Type.String({ format: 'uuid' }),
  type: Type.String(),
  severity: Type.String(),
  status: Type.String({ description: 'open, acknowledged, dispatched or resolved' }),
  deviceId: Type.String(),
  district: Nullable(Type.String({ description: 'district code letter (A–T)' })),
  districtNameEn: Nullable(Type.String()),
  districtNameZh: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  lon: Nullable(Type.Number()),
  eventCount: Type.Integer(),
  openedAt: Instant,
  lastEventAt: Instant,
  acknowledgedAt: Nullable(Instant),
  dispatchedAt: Nullable(Instant),
  resolvedAt: Nullable(Instant),
  version: Type.Integer({ minimum: 1, description: '1 when opened, +1 on every change but a view; send it back with an action to refuse a stale one' }),
  updatedAt: Instant,
  outcome: Nullable(Type.String({ enum: [...OUTCOMES], description: 'how it ended; only when resolved' })),
  unitIds: Type.Array(Type.String(), { description: 'units dispatched to it now' }),
  seenBy: Type.Array(Type.String(), { description: 'usernames of who opened it in the desk, in the order they first did' }),
});

export const IncidentList = Type.Object({ items: Type.Array(Incident) });

export const EventList = Type.Object({
  items: Type.Array(Type.Object({
    id: Type.String({ format: 'uuid' }),
    time: Instant,
    deviceId: Type.String(),
    type: Type.String(),
    severity: Type.String(),
    class: Nullable(Type.String()),
    trackId: Nullable(Type.Integer()),
    lat: Type.Number(),
    lon: Type.Number(),
    rule: Nullable(Type.String()),
    direction: Nullable(Type.String()),
    speedKmh: Nullable(Type.Number()),
  })),
});

export const DeadLetterList = Type.Object({
  items: Type.Array(Type.Object({
    id: Type.Integer(),
    receivedAt: Instant,
    topic: Type.String(),
    reasonCode: Type.String(),
    reason: Nullable(Type.String()),
    clientId: Nullable(Type.String()),
    deviceId: Nullable(Type.String()),
    payloadBytes: Type.Integer(),
    payloadText: Nullable(Type.String({ description: 'the payload as text, cut at 2 KiB' })),
  })),
});
