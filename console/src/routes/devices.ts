import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { DeviceFilterParams, ErrorBody, StringEnum, resolveDistricts } from '@streetwise/analytics';
import { withDistrictNames } from '../district-names.js';
import { routeSchema } from '../route-schema.js';

// district, region and kind are the analytics routes' parameters: the same names, lists and checks.
const Query = Type.Object(
  {
    district: DeviceFilterParams.district,
    region: DeviceFilterParams.region,
    kind: DeviceFilterParams.kind,
    state: Type.Optional(StringEnum(['online', 'offline'] as const, { description: 'connection state from the retained status message' })),
    limit: Type.Integer({ minimum: 1, maximum: 5000, default: 1000, description: 'devices per page' }),
    offset: Type.Integer({ minimum: 0, default: 0, description: 'devices to skip' }),
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
    {
      schema: routeSchema({
        tags: ['devices'],
        operationId: 'listDevices',
        summary: 'Registered devices',
        description: 'The fleet as registered from birth messages, filtered by district, region, kind and state. An unknown district is a 400 listing the allowed ones.',
        querystring: Query,
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(Device) }), 400: ErrorBody, 500: ErrorBody },
      }),
    },
    async (request) => {
      const { kind, state, limit, offset } = request.query;
      const districts = resolveDistricts(request.query);
      const where = `WHERE ($1::text[] IS NULL OR district = ANY($1::text[])) AND ($2::text[] IS NULL OR kind = ANY($2::text[])) AND ($3::text IS NULL OR state = $3)`;
      const params = [districts ?? null, kind ?? null, state ?? null];
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
