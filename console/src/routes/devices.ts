import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { DEVICE_KINDS } from '@streetwise/protocol';
import { districtFilterCode, withDistrictNames } from '../district-names.js';
import { routeSchema } from '../route-schema.js';

const Query = Type.Object(
  {
    district: Type.Optional(Type.String({ maxLength: 64 })),
    kind: Type.Optional(Type.Union(DEVICE_KINDS.map((k) => Type.Literal(k)))),
    state: Type.Optional(Type.Union([Type.Literal('online'), Type.Literal('offline')])),
    limit: Type.Integer({ minimum: 1, maximum: 5000, default: 1000 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);
const Device = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  district: Type.Union([Type.String(), Type.Null()], { description: 'district code letter (A–T)' }),
  districtNameEn: Type.Union([Type.String(), Type.Null()]),
  districtNameZh: Type.Union([Type.String(), Type.Null()]),
  road: Type.Union([Type.String(), Type.Null()]),
  lat: Type.Union([Type.Number(), Type.Null()]),
  lon: Type.Union([Type.Number(), Type.Null()]),
  state: Type.String(),
  lastSeenAt: Type.String(),
});

/** GET /api/v1/devices: the fleet as registered from birth messages. */
export const deviceRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Static<typeof Query> }>(
    '/devices',
    { schema: routeSchema({ tags: ['devices'], summary: 'Registered devices', querystring: Query, response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(Device) }) } }) },
    async (request) => {
      const { district, kind, state, limit, offset } = request.query;
      const where = `WHERE ($1::text IS NULL OR district = $1) AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR state = $3)`;
      const params = [districtFilterCode(district), kind ?? null, state ?? null];
      const [rows, total] = await Promise.all([
        app.db.query<{ id: string; kind: string; name: string | null; district: string | null; road: string | null; lat: number | null; lon: number | null; state: string; last_seen_at: Date | string }>(
          `SELECT id, kind, name, district, road, lat, lon, state, last_seen_at FROM devices ${where} ORDER BY id LIMIT $4 OFFSET $5`,
          [...params, limit, offset],
        ),
        app.db.query<{ n: string | number }>(`SELECT count(*) AS n FROM devices ${where}`, params),
      ]);
      return {
        total: Number(total.rows[0]?.n ?? 0),
        items: rows.rows.map((r) => withDistrictNames({ ...r, lastSeenAt: new Date(r.last_seen_at).toISOString() })),
      };
    },
  );
};
