/**
 * The bodies of the incident desk's routes (an incident's detail, units, the conflict answer, the desk's
 * settings), for the OpenAPI document and fast serialisation.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { API_ERROR_SCHEMA } from '@streetwise/errors';
import { ACTOR_KINDS, LOG_ACTIONS, UNIT_KINDS, UNIT_STATUSES } from '@streetwise/incidents';
import { SEVERITIES } from '@streetwise/protocol';
import { Incident } from './response-schemas.js';

const Nullable = (schema: TSchema) => Type.Union([schema, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });
const Enum = (values: readonly string[], description?: string) => Type.String({ enum: [...values], ...(description ? { description } : {}) });

export const LogEntry = Type.Object({
  id: Type.Integer({ description: 'ascending in the order entries were written' }),
  at: Instant,
  action: Enum(LOG_ACTIONS),
  actor: Type.String({ description: 'the username of who acted, or the program (ingest, console)' }),
  actorKind: Enum(ACTOR_KINDS, 'system or user'),
  note: Nullable(Type.String()),
  details: Nullable(Type.Object({}, {
    additionalProperties: true,
    description: 'event rows: {eventId, eventTs, severity}; dispatched: {unitId, unitName}; escalated: {from, to}; resolved: {outcome, freedUnitIds}; notified: {host, status, attempt, attempts, ok}',
  })),
});

export const Unit = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Enum(UNIT_KINDS),
  status: Enum(UNIT_STATUSES),
  incidentId: Nullable(Type.String({ format: 'uuid', description: 'the incident it is dispatched to' })),
  updatedAt: Instant,
});

export const UnitList = Type.Object({ items: Type.Array(Unit) });

export const IncidentEvent = Type.Object({
  id: Type.String({ format: 'uuid' }),
  time: Instant,
  type: Type.String(),
  severity: Type.String(),
  class: Nullable(Type.String()),
  confidence: Nullable(Type.Number()),
  rule: Nullable(Type.String()),
  hasSnapshot: Type.Boolean({ description: 'the device sent a snapshot with the event; ingest keeps the fact, not the image' }),
});

export const DeviceHealth = Type.Object({
  time: Instant,
  uptimeS: Type.Number(),
  fps: Nullable(Type.Number()),
  inferenceMsP50: Nullable(Type.Number()),
  inferenceMsP95: Nullable(Type.Number()),
  cpuPct: Nullable(Type.Number()),
  rssMb: Nullable(Type.Number()),
  outboxDepth: Type.Integer(),
  outboxDropped: Nullable(Type.Integer()),
  configVersion: Nullable(Type.Integer()),
});

export const IncidentDevice = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String()),
  kind: Type.String(),
  state: Type.String({ description: 'online or offline, as ingest last saw it' }),
  district: Nullable(Type.String()),
  lastSeenAt: Instant,
  health: Nullable(DeviceHealth),
});

export const IncidentDetail = Type.Object({
  ...Incident.properties,
  log: Type.Array(LogEntry, { description: 'every change, event, view and notification, oldest first' }),
  units: Type.Array(Unit, { description: 'the units dispatched to it now' }),
  events: Type.Array(IncidentEvent, { description: 'the events that raised and joined it, oldest first (the latest 200)' }),
  device: Nullable(IncidentDevice),
});

/** A 409: the one ApiError shape, plus the current incident when the answer is SW_CONSOLE_VERSION_CONFLICT. */
export const IncidentConflict = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  code: Type.String({ description: 'SW_CONSOLE_VERSION_CONFLICT, SW_CONSOLE_BAD_TRANSITION, SW_CONSOLE_UNIT_UNAVAILABLE or SW_CONSOLE_NOT_HIGHER' }),
  message: Type.String(),
  parameter: Type.Optional(Type.String()),
  allowed: Type.Optional(Type.Array(Type.String())),
  incident: Type.Optional(Type.Object(Incident.properties, { description: 'with SW_CONSOLE_VERSION_CONFLICT: the incident as it is now' })),
}, { description: `${API_ERROR_SCHEMA.description} A version conflict also carries the current \`incident\`.` });

const Threshold = Type.Object({
  amberS: Type.Integer({ minimum: 1, description: 'an open incident goes amber after waiting this long for acknowledgement' }),
  redS: Type.Integer({ minimum: 1, description: '…and red after this long; a critical one is then escalated outside the console' }),
});

export const DeskSettingsBody = Type.Object({
  ackThresholds: Type.Object(Object.fromEntries(SEVERITIES.map((s) => [s, Threshold])) as Record<(typeof SEVERITIES)[number], typeof Threshold>),
  soundSeverities: Type.Array(Enum(SEVERITIES), { description: 'unacknowledged incidents of these severities sound the alert' }),
  webhookConfigured: Type.Boolean({ description: 'an escalation webhook is set (ESCALATION_WEBHOOK_URL)' }),
});
