/** AQO exceedance counts: /analytics/air-quality/exceedances. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { EXPOSURE_LIMITS } from '../measures/aqo.js';
import { countExceedances, planExceedances } from '../measures/exceedances.js';
import { parseRange, rangeToIso } from '../query/time-range.js';
import { TELEMETRY_SOURCES } from '../query/telemetry-fields.js';
import { districtLabels, geometryKindOf, pageInfo, sendAnswer } from './answer.js';
import type { ApiContext } from './context.js';
import type { FlatRow } from './export.js';
import { resolveDeviceFilter } from './request-filters.js';
import { DeviceFilterParams, GroupingParams, Nullable, PageBlock, PageParams, RangeParams, StringEnum, formatResponses } from './schemas.js';
import { tidy } from './tidy.js';

const Query = Type.Object(
  {
    ...RangeParams,
    ...DeviceFilterParams,
    pollutant: Type.Optional(StringEnum(['pm25', 'no2', 'noise'] as const, { description: 'default: every limit' })),
    averaging: Type.Optional(StringEnum(['1h', '24h', 'annual'] as const)),
    groupBy: StringEnum(['none', 'device', 'district', 'road', 'kind'] as const, { default: 'device', description: 'per monitoring device (the AQO view), or pooled per group' }),
    source: GroupingParams.source,
    ...PageParams,
  },
  { additionalProperties: false },
);

const Row = Type.Object({
  group: Nullable(Type.String()),
  districtNameEn: Type.Optional(Nullable(Type.String())),
  districtNameZh: Type.Optional(Nullable(Type.String())),
  pollutant: Type.String(),
  averaging: Type.String(),
  limit: Type.Number(),
  unit: Type.String(),
  allowedPerYear: Nullable(Type.Integer()),
  exceedances: Type.Integer(),
  validPeriods: Type.Integer(),
  periods: Type.Integer(),
  maxMean: Nullable(Type.Number()),
  meanOfPeriods: Nullable(Type.Number()),
  withinAllowance: Nullable(Type.Boolean()),
  exceedingPeriods: Type.String({ description: 'starts of the exceeding periods (first 100), space-separated' }),
  source: Type.String(),
});

export function registerAirRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: Static<typeof Query> }>(
    '/analytics/air-quality/exceedances',
    {
      schema: {
        tags: ['analytics'],
        operationId: 'getAirQualityExceedances',
        summary: 'Exceedances of Hong Kong\'s Air Quality Objectives (PM2.5, NO2) and the road-noise guideline',
        description: 'PM2.5 24-hour mean > 50 µg/m³ (35 allowed a year), NO2 1-hour mean > 200 µg/m³ (18 allowed), annual means 25 / 40 µg/m³ (indicative on a shorter range), noise hourly mean > 70 dBA (indicative). 24-hour means need ≥ 18 hourly means.',
        querystring: Query,
        response: formatResponses(Type.Object({ meta: Type.Object({ from: Type.String(), to: Type.String(), groupBy: Type.String() }), data: Type.Array(Row), page: PageBlock })),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const devices = await ctx.devices.list();
      const filter = resolveDeviceFilter(q, devices);
      const range = parseRange(q, ctx.now().getTime());
      const limits = EXPOSURE_LIMITS.filter((l) => (!q.pollutant || l.pollutant === (q.pollutant)) && (!q.averaging || l.averaging === (q.averaging)));
      const all: FlatRow[] = [];
      let answered = range;
      for (const limit of limits) {
        const plan = planExceedances(range, limit, q.source, ctx.limits);
        answered = plan.range;
        for (const r of await countExceedances(ctx.db, { plan, limit, filter, groupBy: q.groupBy })) {
          all.push({
            ...r,
            ...(q.groupBy === 'district' ? districtLabels(r.group) : {}),
            maxMean: tidy(r.maxMean),
            meanOfPeriods: tidy(r.meanOfPeriods),
            exceedingPeriods: r.exceedingPeriods.join(' '),
            source: TELEMETRY_SOURCES[plan.grain].table,
          });
        }
      }
      const rows = all.slice(q.offset, q.offset + q.limit);
      const meta = { ...rangeToIso(answered), groupBy: q.groupBy };
      return sendAnswer(reply, { format: q.format, json: { meta, data: rows, page: pageInfo(request, q.limit, q.offset, all.length) }, rows, geometry: geometryKindOf(q.groupBy), devices: new Map(devices.map((d) => [d.id, d])), name: 'aqo-exceedances' });
    },
  );
}
