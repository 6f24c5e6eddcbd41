import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { INCIDENT_SORTS, INCIDENT_STATUSES, OUTCOMES, UNIT_ID_PATTERN, applyOperatorAction, getIncident, incidentEvents, incidentUnits, listIncidents } from '@streetwise/incidents';
import { SEVERITIES } from '@streetwise/protocol';
import { DeviceFilterParams, ErrorBody, StringEnum, checkDevices, resolveDistricts } from '@streetwise/analytics';
import { SW_CONSOLE_NOT_FOUND } from '../errors.js';
import { withDistrictNames } from '../district-names.js';
import { routeSchema } from '../route-schema.js';
import { Incident, IncidentList } from './response-schemas.js';
import { IncidentConflict, IncidentDetail } from './desk-schemas.js';
import { signedIn } from '../accounts/accounts-plugin.js';
import { ACTION_FIELDS, DESK_ACTIONS, answerAction, operatorRequest } from '../desk/action-request.js';
import { incidentDevice } from '../desk/incident-device.js';

const List = <T extends Parameters<typeof Type.Array>[0]>(item: T, description: string, maxItems: number) =>
  Type.Optional(Type.Array(item, { maxItems, description: `${description}; repeat the parameter or separate values with commas` }));

const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union(INCIDENT_STATUSES.map((status) => Type.Literal(status)))),
    active: Type.Optional(Type.Boolean({ description: 'only incidents that are not resolved' })),
    severity: List(StringEnum(SEVERITIES), 'severity', SEVERITIES.length),
    type: List(Type.String({ minLength: 1, maxLength: 64 }), 'incident type (the event type that opened it, e.g. collision)', 50),
    since: Type.Optional(Type.String({ format: 'date-time', description: 'only incidents opened at or after this instant (ISO 8601 with zone), e.g. one hour ago' })),
    sort: StringEnum(INCIDENT_SORTS, { default: 'newest', description: 'newest or oldest opened first, severity (most urgent first, then newest), updated (last changed first)' }),
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
const ActionParams = Type.Object({ id: Type.String({ format: 'uuid' }), action: Type.Union(DESK_ACTIONS.map((action) => Type.Literal(action))) });
const takes = (field: string): string =>
  DESK_ACTIONS.filter((a) => ACTION_FIELDS[a].required.includes(field as never)).map((a) => `required to ${a}`)
    .concat(DESK_ACTIONS.filter((a) => ACTION_FIELDS[a].optional.includes(field as never)).map((a) => `optional to ${a}`)).join('; ');
const ActionBody = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1, description: `the incident version the operator saw; refused (409, with the current incident) when it has changed since (${takes('version')}; a note never conflicts)` })),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: `free text logged with the action (${takes('note')})` })),
    unitId: Type.Optional(Type.String({ pattern: UNIT_ID_PATTERN, description: `the available unit to send (${takes('unitId')})` })),
    severity: Type.Optional(StringEnum(SEVERITIES, { description: `escalate to this higher severity; default one step up (${takes('severity')})` })),
    outcome: Type.Optional(StringEnum(OUTCOMES, { description: `how it ended (${takes('outcome')})` })),
  },
  { additionalProperties: false },
);

/**
 * Incidents raised by ingest's rules, and the operators' actions on them (each one audited in
 * incident_log with the signed-in user and sent as an sw_incidents message). The state machine, the SQL
 * and the message are @streetwise/incidents'.
 */
export const incidentRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/incidents',
    { schema: routeSchema({ tags: ['incidents'], operationId: 'listIncidents', summary: 'Incidents, newest first (or as sorted)', querystring: ListQuery, response: { 200: IncidentList, 400: ErrorBody, 500: ErrorBody } }) },
    async (request) => {
      const { status, active, severity, type, since, sort, device, limit, offset } = request.query;
      const districts = resolveDistricts(request.query);
      const known = device ? (await app.db.query<{ id: string }>(`SELECT id FROM devices WHERE id = ANY($1::text[])`, [device])).rows : [];
      const devices = checkDevices(device, known);
      const items = await listIncidents(app.db, { status, active, districts, devices, severities: severity, types: type, since, sort, limit, offset });
      return { items: items.map(withDistrictNames) };
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/incidents/:id',
    {
      schema: routeSchema({
        tags: ['incidents'], operationId: 'getIncident', summary: 'One incident: its log, units, triggering events and device',
        params: IdParams, response: { 200: IncidentDetail, 400: ErrorBody, 404: ErrorBody, 500: ErrorBody },
      }),
    },
    async (request) => {
      const incident = await getIncident(app.db, request.params.id);
      if (incident === undefined) throw SW_CONSOLE_NOT_FOUND(['incident', request.params.id]);
      const [units, events, device] = await Promise.all([
        incidentUnits(app.db, incident.id), incidentEvents(app.db, incident.id), incidentDevice(app.db, incident.deviceId),
      ]);
      return { ...withDistrictNames(incident), units, events, device };
    },
  );

  app.post<{ Params: Static<typeof ActionParams>; Body: Static<typeof ActionBody> }>(
    '/incidents/:id/:action',
    {
      schema: routeSchema({
        tags: ['incidents'], operationId: 'actOnIncident', summary: 'Acknowledge, dispatch a unit to, note, escalate or resolve an incident',
        description: 'acknowledge {version, note?}; dispatch {version, unitId, note?} (the unit must be available); note {note, version?}; ' +
          'escalate {version, severity?, note?} (one step up, or to a higher severity); resolve {version, outcome, note?} (frees its units). ' +
          'Logged with the signed-in user. A stale `version` is a 409 SW_CONSOLE_VERSION_CONFLICT whose body carries the current `incident`.',
        params: ActionParams, body: ActionBody,
        response: { 200: Incident, 400: ErrorBody, 404: ErrorBody, 409: IncidentConflict, 500: ErrorBody },
      }),
    },
    async (request, reply) => {
      const { id, action } = request.params;
      // The signed-in user, never a name from the body: incident_log says who really acted.
      const actor = { kind: 'user', id: signedIn(request).username } as const;
      const result = await applyOperatorAction(app.db, operatorRequest(id, action, request.body, actor));
      // NOTIFY carries the incident as stored (code only), like ingest's sw_incidents; the HTTP answer adds the names.
      return answerAction(result, action, id, request.body, reply);
    },
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    '/incidents/:id/view',
    {
      schema: routeSchema({
        tags: ['incidents'], operationId: 'viewIncident', summary: 'Record that the signed-in user opened the incident ("seen by")',
        description: 'No body. Logs `viewed` with the signed-in user, at most once per user per 60 s; the incident keeps its version. Answers the incident with `seenBy`.',
        params: IdParams, response: { 200: Incident, 400: ErrorBody, 404: ErrorBody, 500: ErrorBody },
      }),
    },
    async (request, reply) => {
      const { id } = request.params;
      const result = await applyOperatorAction(app.db, { id, action: 'view', actor: { kind: 'user', id: signedIn(request).username } });
      return answerAction(result, 'view', id, {}, reply);
    },
  );
};
