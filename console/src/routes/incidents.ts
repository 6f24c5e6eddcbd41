import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { NOTIFY_CHANNELS, notify } from '@streetwise/db';
import { SW_CONSOLE_BAD_TRANSITION, SW_CONSOLE_NOT_FOUND } from '../errors.js';
import { districtFilterCode, withDistrictNames } from '../district-names.js';
import { routeSchema } from '../route-schema.js';

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
    district: Type.Optional(Type.String({ maxLength: 64 })),
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

/** An incidents row as COLUMNS selects it; only `district` is looked at here. */
type IncidentRow = Record<string, unknown> & { district: string | null };

const COLUMNS = `id, type, severity, status, device_id AS "deviceId", district, lat, lon, event_count AS "eventCount",
  opened_at AS "openedAt", last_event_at AS "lastEventAt", acknowledged_at AS "acknowledgedAt",
  dispatched_at AS "dispatchedAt", resolved_at AS "resolvedAt"`;

/** Incidents raised by ingest's rules, and the operator's actions on them (each one audited in incident_log). */
export const incidentRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/incidents',
    { schema: routeSchema({ tags: ['incidents'], summary: 'Incidents, newest first', querystring: ListQuery }) },
    async (request) => {
      const { status, active, district, limit, offset } = request.query;
      const { rows } = await app.db.query<IncidentRow>(
        `SELECT ${COLUMNS} FROM incidents
         WHERE ($1::text IS NULL OR status = $1) AND ($2::boolean IS NOT TRUE OR status <> 'resolved') AND ($3::text IS NULL OR district = $3)
         ORDER BY opened_at DESC LIMIT $4 OFFSET $5`,
        [status ?? null, active ?? null, districtFilterCode(district), limit, offset],
      );
      return { items: rows.map(withDistrictNames) };
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/incidents/:id',
    { schema: routeSchema({ tags: ['incidents'], summary: 'One incident with its audit log', params: IdParams }) },
    async (request) => {
      const { rows } = await app.db.query<IncidentRow>(`SELECT ${COLUMNS} FROM incidents WHERE id = $1`, [request.params.id]);
      const incident = rows[0];
      if (!incident) throw SW_CONSOLE_NOT_FOUND(['incident', request.params.id]);
      const log = await app.db.query(`SELECT at, action, actor, note FROM incident_log WHERE incident_id = $1 ORDER BY at, id`, [request.params.id]);
      return { ...withDistrictNames(incident), log: log.rows };
    },
  );

  app.post<{ Params: Static<typeof ActionParams>; Body: Static<typeof ActionBody> }>(
    '/incidents/:id/:action',
    { schema: routeSchema({ tags: ['incidents'], summary: 'Acknowledge, dispatch or resolve an incident', params: ActionParams, body: ActionBody }) },
    async (request) => {
      const { id, action } = request.params;
      const rule = TRANSITIONS[action];
      const updated = await app.db.transaction(async (tx) => {
        const current = await tx.query<{ status: IncidentStatus }>(`SELECT status FROM incidents WHERE id = $1 FOR UPDATE`, [id]);
        const row = current.rows[0];
        if (!row) throw SW_CONSOLE_NOT_FOUND(['incident', id]);
        if (!rule.from.includes(row.status)) throw SW_CONSOLE_BAD_TRANSITION([id, row.status, rule.to, nextActions(row.status).join(', ') || 'none']);
        const result = await tx.query<IncidentRow>(
          `UPDATE incidents SET status = $2, ${rule.stamp} = now(), updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
          [id, rule.to],
        );
        await tx.query(`INSERT INTO incident_log (incident_id, action, actor, note) VALUES ($1, $2, $3, $4)`, [id, rule.log, request.body.actor, request.body.note ?? null]);
        const incident = result.rows[0]!;
        await notify(tx, NOTIFY_CHANNELS.incidents, incident);
        return incident;
      });
      // NOTIFY carries the row as stored (code only), like ingest's sw_incidents; the HTTP answer adds the names.
      return withDistrictNames(updated);
    },
  );
};

export function nextActions(status: IncidentStatus): IncidentAction[] {
  return (Object.keys(TRANSITIONS) as IncidentAction[]).filter((a) => TRANSITIONS[a].from.includes(status));
}
