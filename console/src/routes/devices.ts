import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { DeviceFilterParams, ErrorBody, StringEnum, resolveDistricts } from '@streetwise/analytics';
import { NOTIFY_CHANNELS } from '@streetwise/db';
import { withDistrictNames } from '../district-names.js';
import { SW_CONSOLE_NOT_FOUND } from '../errors.js';
import { routeSchema } from '../route-schema.js';
import { DEVICE_LIVE_SQL, DEVICE_STATES, STATE_REASONS, type DeviceLiveRow } from '../live/device-live-sql.js';
import { selectDeviceFeatures } from '../live/device-features.js';
import { DeviceFeatureCollection } from './device-schemas.js';

// district, region and kind are the analytics routes' parameters: the same names, lists and checks.
const Query = Type.Object(
  {
    district: DeviceFilterParams.district,
    region: DeviceFilterParams.region,
    kind: DeviceFilterParams.kind,
    state: Type.Optional(StringEnum(DEVICE_STATES, { description: 'offline from the retained status message; degraded: online but unwell (see stateReason)' })),
    limit: Type.Integer({ minimum: 1, maximum: 5000, default: 1000, description: 'devices per page' }),
    offset: Type.Integer({ minimum: 0, default: 0, description: 'devices to skip' }),
  },
  { additionalProperties: false },
);
const nullable = <T extends ReturnType<typeof Type.String>>(t: T, description?: string) => Type.Union([t, Type.Null()], description ? { description } : {});
const Device = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name: nullable(Type.String()),
  district: nullable(Type.String(), 'district code letter (A–T)'),
  districtNameEn: nullable(Type.String()),
  districtNameZh: nullable(Type.String()),
  road: nullable(Type.String()),
  lat: Type.Union([Type.Number(), Type.Null()]),
  lon: Type.Union([Type.Number(), Type.Null()]),
  state: StringEnum(DEVICE_STATES, { description: 'online, degraded (online but unwell) or offline' }),
  stateReason: Type.Union([StringEnum(STATE_REASONS), Type.Null()], { description: 'why it is degraded: fps_low, outbox_growing, inference_errors or silent (not heard for more than twice its health interval); null otherwise' }),
  keySite: Type.Boolean({ description: 'going offline raises an incident of its own (device_offline)' }),
  lastSeenAt: Type.String(),
  lastHealthAt: nullable(Type.String(), 'when its latest health message arrived'),
  openIncidentMaxSeverity: nullable(Type.String(), 'the worst severity among its incidents that are not resolved'),
});
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, description: 'device id' }) }, { additionalProperties: false });
const PatchBody = Type.Object({ keySite: Type.Boolean({ description: 'true: its going offline raises a device_offline incident' }) }, { additionalProperties: false });

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());
const deviceOf = (r: DeviceLiveRow) =>
  withDistrictNames({
    id: r.id, kind: r.kind, name: r.name, district: r.district, road: r.road, lat: r.lat, lon: r.lon, state: r.state, stateReason: r.state_reason,
    keySite: r.key_site, lastSeenAt: iso(r.last_seen_at)!, lastHealthAt: iso(r.last_health_at), openIncidentMaxSeverity: r.open_severity,
  });

/** GET /api/v1/devices, GET /devices/geojson (the live map's features) and PATCH /devices/:id (key site). */
export const deviceRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Static<typeof Query> }>(
    '/devices',
    {
      schema: routeSchema({
        tags: ['devices'],
        operationId: 'listDevices',
        summary: 'Registered devices with their live state',
        description: 'The fleet as registered from birth messages, filtered by district, region, kind and state (online, degraded, offline). An unknown district is a 400 listing the allowed ones.',
        querystring: Query,
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(Device) }), 400: ErrorBody, 500: ErrorBody },
      }),
    },
    async (request) => {
      const { kind, state, limit, offset } = request.query;
      const districts = resolveDistricts(request.query);
      const registered = `($1::text[] IS NULL OR district = ANY($1::text[])) AND ($2::text[] IS NULL OR kind = ANY($2::text[]))`;
      const where = `WHERE ${registered} AND ($3::text IS NULL OR state = $3)`;
      const params = [districts ?? null, kind ?? null, state ?? null];
      const [rows, total] = await Promise.all([
        app.db.query<DeviceLiveRow>(`SELECT * FROM (${DEVICE_LIVE_SQL}) dl ${where} ORDER BY id LIMIT $4 OFFSET $5`, [...params, limit, offset]),
        // Without a state filter the count needs no live columns.
        state === undefined
          ? app.db.query<{ n: string | number }>(`SELECT count(*) AS n FROM devices WHERE ${registered}`, params.slice(0, 2))
          : app.db.query<{ n: string | number }>(`SELECT count(*) AS n FROM (${DEVICE_LIVE_SQL}) dl ${where}`, params),
      ]);
      return { total: Number(total.rows[0]?.n ?? 0), items: rows.rows.map(deviceOf) };
    },
  );

  app.get(
    '/devices/geojson',
    {
      schema: routeSchema({
        tags: ['devices'],
        operationId: 'deviceFeatures',
        summary: 'Devices as GeoJSON for the live map',
        description: 'Every device with a location as a Point feature whose id is the device id; properties carry its live state and the worst severity of its open incidents. The socket.io event devices:diff sends changes to these features.',
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: DeviceFeatureCollection, 400: ErrorBody, 500: ErrorBody },
      }),
    },
    async () => ({ type: 'FeatureCollection' as const, features: (await selectDeviceFeatures(app.db)).map((f) => f.feature) }),
  );

  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof PatchBody> }>(
    '/devices/:id',
    {
      schema: routeSchema({
        tags: ['devices'],
        operationId: 'updateDevice',
        summary: 'Mark or unmark a device as a key site',
        description: 'A key site going offline raises an incident of its own (type device_offline, severity high).',
        params: IdParams,
        body: PatchBody,
        response: { 200: Device, 400: ErrorBody, 404: ErrorBody, 500: ErrorBody },
      }),
    },
    async (request) => {
      const { id } = request.params;
      // One statement: the change and the NOTIFY that makes every console node send the device again.
      const updated = await app.db.query<{ id: string }>(
        `with u as (update devices set key_site = $2 where id = $1 returning id)
         select u.id, pg_notify('${NOTIFY_CHANNELS.health}', json_build_object('v', 1, 'devices', json_build_array(u.id))::text) from u`,
        [id, request.body.keySite],
      );
      if (updated.rows.length === 0) throw SW_CONSOLE_NOT_FOUND(['device', id]);
      const { rows } = await app.db.query<DeviceLiveRow>(`SELECT * FROM (${DEVICE_LIVE_SQL}) dl WHERE id = $1`, [id]);
      return deviceOf(rows[0]!);
    },
  );
};
