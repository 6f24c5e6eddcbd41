import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { UNIT_ID_PATTERN, UNIT_KINDS, createUnit, listUnits, updateUnit, type UnitWriteResult } from '@streetwise/incidents';
import { ErrorBody, StringEnum } from '@streetwise/analytics';
import { SW_CONSOLE_NOT_FOUND, SW_CONSOLE_UNIT_DISPATCHED, SW_CONSOLE_UNIT_EXISTS } from '../errors.js';
import { routeSchema } from '../route-schema.js';
import { Unit, UnitList } from './desk-schemas.js';

/** What an admin may set by hand: a unit becomes dispatched only by a dispatch, and free only by its incident's resolve. */
const MANUAL_STATUSES = ['available', 'out_of_service'] as const;
const Name = Type.String({ minLength: 1, maxLength: 80, description: 'unique, e.g. "Ambulance 7"' });
const Kind = StringEnum(UNIT_KINDS);
const Status = StringEnum(MANUAL_STATUSES, { description: 'available or out_of_service; dispatched comes only with a dispatch' });

const NewUnitBody = Type.Object(
  { id: Type.String({ pattern: UNIT_ID_PATTERN, description: 'lower-case letters, digits, "_" or "-", e.g. amb-7' }), name: Name, kind: Kind, status: Type.Optional(Status) },
  { additionalProperties: false },
);
const UnitChangeBody = Type.Object({ name: Type.Optional(Name), kind: Type.Optional(Kind), status: Type.Optional(Status) }, { additionalProperties: false, minProperties: 1 });
const IdParams = Type.Object({ id: Type.String({ pattern: UNIT_ID_PATTERN }) });

function unitOrThrow(result: UnitWriteResult, id: string, name: string | undefined) {
  if (result.ok) return result.unit;
  switch (result.reason) {
    case 'not_found':
      throw SW_CONSOLE_NOT_FOUND(['unit', id]);
    case 'exists':
      throw SW_CONSOLE_UNIT_EXISTS([result.field, result.field === 'id' ? id : (name ?? '')], { parameter: result.field });
    case 'dispatched':
      throw SW_CONSOLE_UNIT_DISPATCHED([id, result.unit.incidentId ?? ''], { parameter: 'status' });
  }
}

/** The response units' registry: every role reads it; admins add and change units. */
export const unitRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/units',
    { schema: routeSchema({ tags: ['units'], operationId: 'listUnits', summary: 'Response units, by name', response: { 200: UnitList, 401: ErrorBody, 500: ErrorBody } }) },
    async () => ({ items: await listUnits(app.db) }),
  );

  app.post<{ Body: Static<typeof NewUnitBody> }>(
    '/units',
    { schema: routeSchema({ tags: ['units'], operationId: 'createUnit', summary: 'Add a response unit', body: NewUnitBody, response: { 201: Unit, 400: ErrorBody, 409: ErrorBody, 500: ErrorBody } }) },
    async (request, reply) => {
      const unit = unitOrThrow(await createUnit(app.db, request.body), request.body.id, request.body.name);
      return reply.code(201).send(unit);
    },
  );

  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof UnitChangeBody> }>(
    '/units/:id',
    {
      schema: routeSchema({
        tags: ['units'], operationId: 'updateUnit', summary: 'Rename a unit, change its kind, or take it out of service and back',
        description: 'A dispatched unit\'s status cannot be changed by hand (409 SW_CONSOLE_UNIT_DISPATCHED): resolving its incident frees it.',
        params: IdParams, body: UnitChangeBody, response: { 200: Unit, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 500: ErrorBody },
      }),
    },
    async (request) => unitOrThrow(await updateUnit(app.db, request.params.id, request.body), request.params.id, request.body.name),
  );
};
