import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { DeviceFilterParams, ErrorBody, RangeParams, checkDevices, parseRange } from '@streetwise/analytics';
import { routeSchema } from '../route-schema.js';
import { DeadLetterList, EventList } from './response-schemas.js';

// device, from and to are the analytics routes' parameters: the same names, formats and checks.
const Query = Type.Object(
  {
    device: DeviceFilterParams.device,
    ...RangeParams,
    type: Type.Optional(Type.String({ maxLength: 32, description: 'event type, e.g. line_crossing' })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'events to return' }),
  },
  { additionalProperties: false },
);
const DeadLetterQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'dead letters to return' }),
    reasonCode: Type.Optional(Type.String({ maxLength: 32, description: 'only this reason, e.g. schema_invalid' })),
  },
  { additionalProperties: false },
);

/** Recent events and dead letters: what just happened, and what was refused and why. */
export const eventRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Static<typeof Query> }>(
    '/events/recent',
    {
      schema: routeSchema({
        tags: ['events'],
        operationId: 'listRecentEvents',
        summary: 'Most recent events (default: the last 24 h)',
        querystring: Query,
        response: { 200: EventList, 400: ErrorBody, 500: ErrorBody },
      }),
    },
    async (request) => {
      const { device, type, limit } = request.query;
      const range = parseRange(request.query, Date.now());
      const known = device ? (await app.db.query<{ id: string }>(`SELECT id FROM devices WHERE id = ANY($1::text[])`, [device])).rows : [];
      const devices = checkDevices(device, known);
      const { rows } = await app.db.query(
        `SELECT id, time, device_id AS "deviceId", type, severity, class, track_id AS "trackId", lat, lon, rule, direction, speed_kmh AS "speedKmh"
         FROM events WHERE time >= $1 AND time < $2 AND ($3::text[] IS NULL OR device_id = ANY($3::text[])) AND ($4::text IS NULL OR type = $4)
         ORDER BY time DESC LIMIT $5`,
        [new Date(range.fromMs).toISOString(), new Date(range.toMs).toISOString(), devices ?? null, type ?? null, limit],
      );
      return { items: rows };
    },
  );
  app.get<{ Querystring: Static<typeof DeadLetterQuery> }>(
    '/dead-letters',
    {
      schema: routeSchema({
        tags: ['events'],
        operationId: 'listDeadLetters',
        summary: 'Refused messages with the reason (payload shown as text, cut at 2 KiB)',
        querystring: DeadLetterQuery,
        response: { 200: DeadLetterList, 400: ErrorBody, 500: ErrorBody },
      }),
    },
    async (request) => {
      const { rows } = await app.db.query(
        `SELECT id, received_at AS "receivedAt", topic, reason_code AS "reasonCode", reason, client_id AS "clientId", device_id AS "deviceId",
                octet_length(payload) AS "payloadBytes", encode(substring(payload from 1 for 2048), 'escape') AS "payloadText"
         FROM dead_letters WHERE ($1::text IS NULL OR reason_code = $1) ORDER BY id DESC LIMIT $2`,
        [request.query.reasonCode ?? null, request.query.limit],
      );
      return { items: rows.map((r) => ({ ...r, id: Number((r as { id: unknown }).id) })) };
    },
  );
};
