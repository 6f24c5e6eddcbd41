/**
 * Routes the planners' dashboards need beside the measures: how incidents ended (the false-alarm share by
 * type) and how complete the telemetry is (devices reporting per bucket against devices registered).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { buildCoverageSql, coverageRows } from '../measures/coverage.js';
import { OUTCOME_GROUP_BYS, buildOutcomeSql, parseOutcomeRows } from '../measures/incident-outcomes.js';
import { parseRange, rangeToIso } from '../query/time-range.js';
import { TELEMETRY_SOURCES } from '../query/telemetry-fields.js';
import { districtLabels, sendAnswer } from './answer.js';
import type { ApiContext } from './context.js';
import { IncidentFilterParams, incidentFilter } from './incident-routes.js';
import { prepareTelemetry } from './prepare.js';
import { DeviceFilterParams, GroupingParams, Nullable, PageParams, RangeParams, StringEnum, formatResponses } from './schemas.js';
import { tidy } from './tidy.js';

const OutcomeQuery = Type.Object(
  { ...RangeParams, ...IncidentFilterParams, groupBy: StringEnum(OUTCOME_GROUP_BYS, { default: 'type' }), format: PageParams.format },
  { additionalProperties: false },
);
const OutcomeRow = Type.Object({
  district: Nullable(Type.String()),
  districtNameEn: Nullable(Type.String()),
  districtNameZh: Nullable(Type.String()),
  type: Nullable(Type.String()),
  incidents: Type.Integer({ description: 'opened in the range' }),
  resolved: Type.Integer(),
  handled: Type.Integer(),
  falseAlarm: Type.Integer(),
  duplicate: Type.Integer(),
  noActionNeeded: Type.Integer(),
  outcomeUnrecorded: Type.Integer({ description: 'resolved without a recorded outcome' }),
  falseAlarmShare: Nullable(Type.Number({ description: 'false alarms / resolved incidents with a recorded outcome' })),
});

const CoverageQuery = Type.Object(
  { ...RangeParams, ...DeviceFilterParams, bucket: GroupingParams.bucket, source: GroupingParams.source, format: PageParams.format },
  { additionalProperties: false },
);
const CoverageRow = Type.Object({
  bucket: Type.String({ description: 'bucket start, ISO 8601 UTC' }),
  reporting: Type.Integer({ description: 'devices with a reading in the bucket' }),
  expected: Type.Integer({ description: 'registered devices that match the filter' }),
  share: Nullable(Type.Number({ description: 'reporting / expected' })),
});

export function registerPlannerRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: Static<typeof OutcomeQuery> }>(
    '/analytics/incidents/outcomes',
    {
      schema: {
        tags: ['analytics'],
        operationId: 'getIncidentOutcomes',
        summary: 'How incidents ended: outcomes recorded at resolve and the false-alarm share',
        description: 'Over incidents opened in the range; falseAlarmShare = false alarms / resolved incidents with a recorded outcome (null when none).',
        querystring: OutcomeQuery,
        response: formatResponses(Type.Object({ meta: Type.Object({ from: Type.String(), to: Type.String(), groupBy: Type.String() }), data: Type.Array(OutcomeRow) })),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const range = parseRange(q, ctx.now().getTime());
      const filter = await incidentFilter(ctx, q, range);
      const sql = buildOutcomeSql(range, filter, q.groupBy);
      const rows = parseOutcomeRows((await ctx.db.query<Record<string, unknown>>(sql.text, sql.values)).rows).map((r) => {
        const { district, ...rest } = r;
        return { district, ...districtLabels(district), ...rest, falseAlarmShare: tidy(r.falseAlarmShare) };
      });
      return sendAnswer(reply, { format: q.format, json: { meta: { ...rangeToIso(range), groupBy: q.groupBy }, data: rows }, rows, geometry: 'district', groupKey: 'district', name: 'incident-outcomes' });
    },
  );

  app.get<{ Querystring: Static<typeof CoverageQuery> }>(
    '/analytics/coverage',
    {
      schema: {
        tags: ['analytics'],
        operationId: 'getCoverage',
        summary: 'Data completeness: devices reporting per bucket against devices registered',
        description: 'Every bucket of the range, with 0 where no device of the filter sent a reading.',
        querystring: CoverageQuery,
        response: formatResponses(Type.Object({
          meta: Type.Object({ from: Type.String(), to: Type.String(), bucket: Type.String(), source: Type.String(), expected: Type.Integer() }),
          data: Type.Array(CoverageRow),
        })),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const { devices, filter, plan } = await prepareTelemetry(ctx, q, q.bucket);
      const expected = filter.resolvedDeviceIds?.length ?? devices.length;
      let found: Record<string, unknown>[] = [];
      if (!plan.empty) {
        const sql = buildCoverageSql(plan, filter);
        found = (await ctx.db.query<Record<string, unknown>>(sql.text, sql.values)).rows;
      }
      const rows = coverageRows(plan, found, expected).map((r) => ({ ...r, share: tidy(r.share) }));
      const meta = { ...rangeToIso(plan.range), bucket: plan.bucket, source: TELEMETRY_SOURCES[plan.grain].table, expected };
      return sendAnswer(reply, { format: q.format, json: { meta, data: rows }, rows, geometry: 'none', name: 'coverage' });
    },
  );
}
