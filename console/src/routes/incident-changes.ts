import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { INCIDENT_JSON, type IncidentView } from '@streetwise/incidents';
import { ErrorBody } from '@streetwise/analytics';
import { withDistrictNames } from '../district-names.js';
import { routeSchema } from '../route-schema.js';
import { Incident } from './response-schemas.js';

export interface IncidentChangesOptions {
  /** Seconds re-read before `after` when the caller does not say (overlapS): see below. Default 5. */
  overlapS?: number;
}

export const DEFAULT_CATCH_UP_OVERLAP_S = 5;
const MAX_OVERLAP_S = 300;

const Query = Type.Object(
  {
    after: Type.String({ format: 'date-time', description: 'updatedAt of the last incident change the caller saw' }),
    afterId: Type.String({ format: 'uuid', description: 'id of that incident (ties on updatedAt are broken by id)' }),
    overlapS: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_OVERLAP_S, description: 'seconds re-read before `after` (default: the console\'s catch-up overlap, 5 s)' })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500, description: 'incidents per page' }),
  },
  { additionalProperties: false },
);
const Cursor = Type.Object(
  {
    after: Type.String({ format: 'date-time', description: 'the last item\'s updatedAt plus overlapS: with the overlap taken off again, the next page starts exactly after that item' }),
    afterId: Type.String({ format: 'uuid' }),
    overlapS: Type.Number({ description: 'the overlap this page used (sending it back is optional when it is the default)' }),
  },
  { description: 'opaque: send it back as the query of the next page; keep your own last (updatedAt, id) from the items' },
);
const Changes = Type.Object({
  items: Type.Array(Incident),
  next: Type.Union([Cursor, Type.Null()], { description: 'the query for the next page; null when this page is the last' }),
});

/**
 * The next page's `after` is the last row's updated_at plus the overlap, so that the overlap taken off
 * again lands exactly on that row: a caller that sends back only `after` and `afterId` pages exactly too.
 * ISO 8601 with microseconds: updated_at is stored to the microsecond, and a cursor must not round it.
 */
const CHANGES_SQL = `
select ${INCIDENT_JSON} as incident,
  to_char((i.updated_at + make_interval(secs => $3::float8)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at
from incidents i
where (i.updated_at, i.id) > ($1::timestamptz - make_interval(secs => $3::float8), $2::uuid)
order by i.updated_at, i.id
limit $4`;

/**
 * GET /api/v1/incidents/changes: what a browser that was disconnected missed. NOTIFY carries no sequence
 * number and transactions commit out of order, so an incident can become visible with an updated_at
 * earlier than one the browser already has; the first page therefore starts overlapS seconds before
 * (after, afterId), and the browser drops what it has by (id, version). Pages follow in (updated_at, id)
 * order; `next` continues exactly where a page ended.
 */
export function incidentChangeRoutes(options: IncidentChangesOptions = {}): FastifyPluginAsync {
  const defaultOverlapS = options.overlapS ?? DEFAULT_CATCH_UP_OVERLAP_S;
  return async (app) => {
    app.get<{ Querystring: Static<typeof Query> }>(
      '/incidents/changes',
      {
        schema: routeSchema({
          tags: ['incidents'],
          operationId: 'incidentChanges',
          summary: 'Incidents changed since a point, for catching up after a reconnect',
          description: 'Incidents whose (updatedAt, id) is after (after − overlapS, afterId), oldest change first. Deduplicate by (id, version): the overlap re-sends changes the caller may have seen. Follow `next` until it is null.',
          querystring: Query,
          response: { 200: Changes, 400: ErrorBody, 500: ErrorBody },
        }),
      },
      async (request) => {
        const { after, afterId, limit } = request.query;
        const overlapS = request.query.overlapS ?? defaultOverlapS;
        const { rows } = await app.db.query<{ incident: IncidentView; cursor_at: string }>(CHANGES_SQL, [after, afterId, overlapS, limit + 1]);
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          items: page.map((r) => withDistrictNames(r.incident)),
          next: rows.length > limit && last ? { after: last.cursor_at, afterId: last.incident.id, overlapS } : null,
        };
      },
    );
  };
}
