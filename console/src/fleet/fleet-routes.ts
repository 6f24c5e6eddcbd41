/**
 * /api/v1/fleet (admins): the device health table, config pushes published by the console as the
 * `downlink` credential, and their audit with each device's confirmation.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ErrorBody, resolveDistrict, resolveDistricts } from '@streetwise/analytics';
import { badParameter } from '@streetwise/errors';
import { signedIn } from '../accounts/accounts-plugin.js';
import { withDistrictNames } from '../district-names.js';
import { SW_CONSOLE_NOT_FOUND } from '../errors.js';
import { routeSchema } from '../route-schema.js';
import { pushConfig, type PushResult } from './config-push.js';
import { SW_CONSOLE_DOWNLINK_UNAVAILABLE } from './errors.js';
import type { DownlinkPublisher } from './downlink-publisher.js';
import { FleetPage, FleetQuery, PushAnswer, PushBody, PushListQuery, PushParams, PushView } from './fleet-schemas.js';
import { pushStatus, queryFleet, queryPushes, type FleetRow, type PushRow } from './fleet-sql.js';

const iso = (value: Date | string): string => new Date(value).toISOString();
const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : iso(value));
const numberOrNull = (value: number | string | null): number | null => (value === null ? null : Number(value));

function deviceView(r: FleetRow) {
  return withDistrictNames({
    id: r.id,
    kind: r.kind,
    name: r.name,
    district: r.district,
    state: r.state,
    lastSeenAt: iso(r.last_seen_at),
    firmware: r.firmware,
    configVersion: r.config_version,
    models: r.models ?? {},
    health:
      r.health_at === null
        ? null
        : {
            at: iso(r.health_at),
            fps: numberOrNull(r.fps),
            inferenceMsP50: numberOrNull(r.inference_ms_p50),
            inferenceMsP95: numberOrNull(r.inference_ms_p95),
            outboxDepth: r.outbox_depth,
            outboxDropped: r.outbox_dropped,
            cpuPct: numberOrNull(r.cpu_pct),
            configVersion: r.health_config_version,
          },
    lastPush: r.push_id === null ? null : { pushId: r.push_id, version: r.push_version!, pushedAt: iso(r.pushed_at!), confirmedAt: isoOrNull(r.push_confirmed_at) },
  });
}

function pushView(p: PushRow) {
  return {
    id: p.id,
    pushedAt: iso(p.pushed_at),
    pushedBy: p.pushed_by,
    target: p.target,
    patch: p.patch,
    devices: p.devices.map((d) => ({
      id: d.id,
      version: d.version,
      status: pushStatus(d),
      publishedAt: isoOrNull(d.publishedAt),
      publishError: d.publishError,
      confirmedAt: isoOrNull(d.confirmedAt),
      rejectedAt: isoOrNull(d.rejectedAt),
      rejectReason: d.rejectReason,
    })),
  };
}

export interface FleetRoutesOptions {
  downlink: DownlinkPublisher;
}

export const fleetRoutes: FastifyPluginAsync<FleetRoutesOptions> = async (app, { downlink }) => {
  app.get<{ Querystring: Static<typeof FleetQuery> }>(
    '/fleet',
    {
      schema: routeSchema({
        tags: ['fleet'],
        operationId: 'listFleet',
        summary: 'The fleet\'s health: each device with its latest health figures, config and model versions, and its latest push',
        querystring: FleetQuery,
        response: { 200: FleetPage, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      }),
    },
    async (request) => {
      const { kind, state, sort, order, limit, offset } = request.query;
      const rows = await queryFleet(app.db, { districts: resolveDistricts(request.query) ?? null, kinds: kind ?? null, state: state ?? null, sort, order, limit, offset });
      return { total: Number(rows[0]?.total ?? 0), downlink: downlink.state, items: rows.map(deviceView) };
    },
  );

  app.post<{ Body: Static<typeof PushBody> }>(
    '/fleet/config',
    {
      schema: routeSchema({
        tags: ['fleet'],
        operationId: 'pushFleetConfig',
        summary: 'Push a config patch to devices or to a district',
        description:
          'Checks the patch as the device will, gives each device its next config version (one above what it reported and what it was last sent), records the push, then publishes each device\'s `config` downlink at QoS 1 as the console\'s downlink credential. A device confirms by reporting that version (GET /fleet/pushes/{id}). 503 when the console has no broker connection (nothing is recorded).',
        body: PushBody,
        response: { 201: PushAnswer, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 503: ErrorBody },
      }),
    },
    async (request, reply) => {
      const { devices, district, patch } = request.body;
      if ((devices === undefined) === (district === undefined)) throw badParameter(devices === undefined ? 'devices' : 'district', 'give either devices or district, not both and not neither');
      const by = signedIn(request).username;
      let result: PushResult;
      try {
        result = await pushConfig(app.db, downlink, {
          by,
          ...(devices !== undefined ? { deviceIds: devices } : { district: resolveDistrict(district!).code }),
          patch,
        });
      } catch (err) {
        // The one error handler hides every 5xx's message; this one is the admin's to act on, so it is answered here.
        const code = (err as { code?: string }).code;
        if (code !== SW_CONSOLE_DOWNLINK_UNAVAILABLE.code) throw err;
        request.log.warn({ by, reason: (err as Error).message }, 'config push refused: no downlink');
        return reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', code, message: (err as Error).message });
      }
      const failed = result.devices.filter((d) => d.publishError !== null).length;
      request.log.info({ by, pushId: result.pushId, devices: result.devices.length, failed, fields: Object.keys(patch) }, 'config pushed');
      return reply.code(201).send(result);
    },
  );

  app.get<{ Querystring: Static<typeof PushListQuery> }>(
    '/fleet/pushes',
    {
      schema: routeSchema({
        tags: ['fleet'],
        operationId: 'listFleetPushes',
        summary: 'The audit of config pushes, newest first: who, when, what, and each device\'s outcome',
        querystring: PushListQuery,
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(PushView) }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      }),
    },
    async (request) => {
      const rows = await queryPushes(app.db, { ...(request.query.device ? { deviceId: request.query.device } : {}), limit: request.query.limit, offset: request.query.offset });
      return { total: Number(rows[0]?.total ?? 0), items: rows.map(pushView) };
    },
  );

  app.get<{ Params: Static<typeof PushParams> }>(
    '/fleet/pushes/:id',
    {
      schema: routeSchema({
        tags: ['fleet'],
        operationId: 'getFleetPush',
        summary: 'One config push and each device\'s outcome (pending, confirmed, rejected, failed, superseded)',
        params: PushParams,
        response: { 200: PushView, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      }),
    },
    async (request) => {
      const [row] = await queryPushes(app.db, { pushId: request.params.id, limit: 1, offset: 0 });
      if (!row) throw SW_CONSOLE_NOT_FOUND(['push', request.params.id]);
      return pushView(row);
    },
  );
};
