import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { NOTIFY_CHANNELS, notify } from '@streetwise/db';
import { DeviceFilterParams, ErrorBody, checkDevices, resolveDistricts } from '@streetwise/analytics';
import { SW_CONSOLE_BAD_TRANSITION, SW_CONSOLE_NOT_FOUND } from '../errors.js';
import { routeSchema } from '../route-schema.js';
import { Incident, IncidentList, IncidentWithLog } from './response-schemas.js';

export type IncidentStatus = 'open' | 'acknowledged' | 'dispatched' | 'resolved';
export type IncidentAction = 'acknowledge' | 'dispatch' | 'resolve';

/** Which action moves an incident from which states, and where to. */
export const TRANSITIONS: Record<IncidentAction, { from: IncidentStatus[]; to: IncidentStatus; stamp: string; log: string }> = {
  acknowledge: { from: ['open'], to: 'acknowledged', stamp: 'acknowledged_at', log: 'acknowledged' },
  dispatch: { from: ['open', 'acknowledged'], to: 'dispatched', stamp: 'dispatched_at', log: 'dispatched' },
  resolve: { from: ['open', 'acknowledged', 'dispatched'], to: 'resolved', stamp: 'resolved_at', log: 'resolved' },
};

const Status = Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('dispatched'), Type.Literal('resolved')]);
const ListQuery = Type.Object(
  {
    status: Type.Optional(Status),
    active: Type.Optional(Type.Boolean({ description: 'only incidents that are not resolved' })),
    // The analytics routes' filters: the same names, lists and checks.
    district: DeviceFilterParams.district,
    region: DeviceFilterParams.region,
    device: DeviceFilterParams.device,
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ActionParams = Type.Object({ id: Type.String({ format: 'uuid' }), action: Type.Union([Type.Literal('acknowledge'), Type.Literal('dispatch'), Type.Literal('resolve')]) });
const ActionBody = Type.Object(
  { actor: Type.String({ minLength: 1, maxLength: 64 }), note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

const COLUMNS = `id, type, severity, status, device_id AS "deviceId", district, lat, lon, event_count AS "eventCount",
  opened_at AS "openedAt", last_event_at AS "lastEventAt", acknowledged_at AS "acknowledgedAt",
  dispatched_at AS "dispatchedAt", resolved_at AS "resolvedAt"`;

/** Incidents raised by ingest's rules, and the operator's actions on them (each one audited in incident_log). */
export const incidentRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/incidents',
    { schema: routeSchema({ tags: ['incidents'], operationId: 'listIncidents', summary: 'Incidents, newest first', querystring: ListQuery, response: { 200: IncidentList, 400: ErrorBody, 500: ErrorBody } }) },
    async (request) => {
      const { status, active, device, limit, offset } = request.query;
      const districts = resolveDistricts(request.query);
      const known = device ? (await app.db.query<{ id: string }>(`SELECT id FROM devices WHERE id = ANY($1::text[])`, [device])).rows : [];
      const devices = checkDevices(device, known);
      const { rows } = await app.db.query(
        `SELECT ${COLUMNS} FROM incidents
         WHERE ($1::text IS NULL OR status = $1) AND ($2::boolean IS NOT TRUE OR status <> 'resolved')
           AND ($3::text[] IS NULL OR district = ANY($3::text[])) AND ($4::text[] IS NULL OR device_id = ANY($4::text[]))
         ORDER BY opened_at DESC LIMIT $5 OFFSET $6`,
        [status ?? null, active ?? null, districts ?? null, devices ?? null, limit, offset],
      );
      return { items: rows };
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/incidents/:id',
    { schema: routeSchema({ tags: ['incidents'], operationId: 'getIncident', summary: 'One incident with its audit log', params: IdParams, response: { 200: IncidentWithLog, 400: ErrorBody, 404: ErrorBody, 500: ErrorBody } }) },
    async (request) => {
      const { rows } = await app.db.query(`SELECT ${COLUMNS} FROM incidents WHERE id = $1`, [request.params.id]);
      if (rows.length === 0) throw SW_CONSOLE_NOT_FOUND(['incident', request.params.id]);
      const log = await app.db.query(`SELECT at, action, actor, note FROM incident_log WHERE incident_id = $1 ORDER BY at, id`, [request.params.id]);
      return { ...rows[0], log: log.rows };
    },
  );

  app.post<{ Params: Static<typeof ActionParams>; Body: Static<typeof ActionBody> }>(
    '/incidents/:id/:action',
    { schema: routeSchema({ tags: ['incidents'], operationId: 'actOnIncident', summary: 'Acknowledge, dispatch or resolve an incident', params: ActionParams, body: ActionBody, response: { 200: Incident, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 500: ErrorBody } }) },
    async (request) => {
      const { id, action } = request.params;
      const rule = TRANSITIONS[action];
      const updated = await app.db.transaction(async (tx) => {
        const current = await tx.query<{ status: IncidentStatus }>(`SELECT status FROM incidents WHERE id = $1 FOR UPDATE`, [id]);
        const row = current.rows[0];
        if (!row) throw SW_CONSOLE_NOT_FOUND(['incident', id]);
        if (!rule.from.includes(row.status)) throw SW_CONSOLE_BAD_TRANSITION([id, row.status, rule.to, nextActions(row.status).join(', ') || 'none']);
        const result = await tx.query(
          `UPDATE incidents SET status = $2, ${rule.stamp} = now(), updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
          [id, rule.to],
        );
        await tx.query(`INSERT INTO incident_log (incident_id, action, actor, note) VALUES ($1, $2, $3, $4)`, [id, rule.log, request.body.actor, request.body.note ?? null]);
        const incident = result.rows[0]!;
        await notify(tx, NOTIFY_CHANNELS.incidents, incident);
        return incident;
      });
      return updated;
    },
  );
};

export function nextActions(status: IncidentStatus): IncidentAction[] {
  return (Object.keys(TRANSITIONS) as IncidentAction[]).filter((a) => TRANSITIONS[a].from.includes(status));
}
