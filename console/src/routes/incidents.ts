import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import {
  INCIDENT_STATUSES,
  OPERATOR_ACTIONS,
  TRANSITIONS,
  applyOperatorAction,
  getIncident,
  listIncidents,
} from '@streetwise/incidents';
import { DeviceFilterParams, ErrorBody, checkDevices, resolveDistricts } from '@streetwise/analytics';
import { SW_CONSOLE_BAD_TRANSITION, SW_CONSOLE_NOT_FOUND, SW_CONSOLE_VERSION_CONFLICT } from '../errors.js';
import { withDistrictNames } from '../district-names.js';
import { routeSchema } from '../route-schema.js';
import { Incident, IncidentList, IncidentWithLog } from './response-schemas.js';
import { signedIn } from '../accounts/accounts-plugin.js';

const Status = Type.Union(INCIDENT_STATUSES.map((status) => Type.Literal(status)));
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
const ActionParams = Type.Object({ id: Type.String({ format: 'uuid' }), action: Type.Union(OPERATOR_ACTIONS.map((action) => Type.Literal(action))) });
const ActionBody = Type.Object(
  {
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'the incident version the operator saw; refused (409) when it has changed since' })),
  },
  { additionalProperties: false },
);

/**
 * Incidents raised by ingest's rules, and the operator's actions on them (each one audited in
 * incident_log and sent as an sw_incidents message). The state machine, the SQL and the message are
 * @streetwise/incidents'.
 */
export const incidentRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/incidents',
    { schema: routeSchema({ tags: ['incidents'], operationId: 'listIncidents', summary: 'Incidents, newest first', querystring: ListQuery, response: { 200: IncidentList, 400: ErrorBody, 500: ErrorBody } }) },
    async (request) => {
      const { status, active, device, limit, offset } = request.query;
      const districts = resolveDistricts(request.query);
      const known = device ? (await app.db.query<{ id: string }>(`SELECT id FROM devices WHERE id = ANY($1::text[])`, [device])).rows : [];
      const devices = checkDevices(device, known);
      return { items: (await listIncidents(app.db, { status, active, districts, devices, limit, offset })).map(withDistrictNames) };
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/incidents/:id',
    { schema: routeSchema({ tags: ['incidents'], operationId: 'getIncident', summary: 'One incident with its audit log', params: IdParams, response: { 200: IncidentWithLog, 400: ErrorBody, 404: ErrorBody, 500: ErrorBody } }) },
    async (request) => {
      const incident = await getIncident(app.db, request.params.id);
      if (incident === undefined) throw SW_CONSOLE_NOT_FOUND(['incident', request.params.id]);
      return withDistrictNames(incident);
    },
  );

  app.post<{ Params: Static<typeof ActionParams>; Body: Static<typeof ActionBody> }>(
    '/incidents/:id/:action',
    { schema: routeSchema({ tags: ['incidents'], operationId: 'actOnIncident', summary: 'Acknowledge, dispatch or resolve an incident', params: ActionParams, body: ActionBody, response: { 200: Incident, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 500: ErrorBody } }) },
    async (request) => {
      const { id, action } = request.params;
      const result = await applyOperatorAction(app.db, {
        // The signed-in user, never a name from the body: incident_log says who really acted.
        id, action, actor: { kind: 'user', id: signedIn(request).username }, note: request.body.note, expectedVersion: request.body.version,
      });
      // NOTIFY carries the incident as stored (code only), like ingest's sw_incidents; the HTTP answer adds the names.
      if (result.ok) return withDistrictNames(result.incident);
      switch (result.reason) {
        case 'not_found':
          throw SW_CONSOLE_NOT_FOUND(['incident', id]);
        case 'refused':
          throw SW_CONSOLE_BAD_TRANSITION([id, result.incident.status, TRANSITIONS[action].to, result.allowed.join(', ') || 'none']);
        case 'stale':
          throw SW_CONSOLE_VERSION_CONFLICT([id, result.incident.version, request.body.version ?? '']);
      }
    },
  );
};
