import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { routeSchema } from '../route-schema.js';

const Query = Type.Object(
  {
    deviceId: Type.Optional(Type.String({ maxLength: 64 })),
    type: Type.Optional(Type.String({ maxLength: 32 })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);
const DeadLetterQuery = Type.Object(
  { limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }), reasonCode: Type.Optional(Type.String({ maxLength: 32 })) },
  { additionalProperties: false },
);

/** Recent events and dead letters: what just happened, and what was refused and why. */
export const eventRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Static<typeof Query> }>(
    '/events/recent',
    { schema: routeSchema({ tags: ['events'], summary: 'Most recent events (last 24 h)', querystring: Query }) },
    async (request) => {
      const { deviceId, type, limit } = request.query;
      const { rows } = await app.db.query(
        `SELECT id, time, device_id AS "deviceId", type, severity, class, track_id AS "trackId", lat, lon, rule, direction, speed_kmh AS "speedKmh"
         FROM events WHERE time > now() - interval '24 hours' AND ($1::text IS NULL OR device_id = $1) AND ($2::text IS NULL OR type = $2)
         ORDER BY time DESC LIMIT $3`,
        [deviceId ?? null, type ?? null, limit],
      );
      return { items: rows };
    },
  );
  app.get<{ Querystring: Static<typeof DeadLetterQuery> }>(
    '/dead-letters',
    { schema: routeSchema({ tags: ['events'], summary: 'Refused messages with the reason (payload shown as text, cut at 2 KiB)', querystring: DeadLetterQuery }) },
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
