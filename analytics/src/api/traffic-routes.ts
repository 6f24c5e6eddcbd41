/**
 * Traffic routes computed over whole series: peak hour and peak-hour factor per Hong Kong day, the
 * hour-of-week profile, period-over-period change, and the planner's explanation of a request.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { HOUR_OF_WEEK_FIELDS, buildHourOfWeekSql, hourOfWeekProfile, parseHourOfWeekRows, type HourOfWeek } from '../measures/hour-of-week.js';
import { peakHours } from '../measures/peak-hour.js';
import { COMPARISONS, comparisonRange, pairGroups } from '../measures/period-change.js';
import { MOTOR_VEHICLE_FIELDS, motorVehiclesOf } from '../measures/volume.js';
import { alignRange, parseRange, rangeToIso } from '../query/time-range.js';
import { planQuery, type QueryPlan } from '../query/planner.js';
import { readSeries } from '../query/run-telemetry-measure.js';
import { TELEMETRY_SOURCES } from '../query/telemetry-fields.js';
import { BUCKETS } from '../query/bucket.js';
import { districtLabels, geometryKindOf, pageInfo, sendAnswer } from './answer.js';
import { CHANGE_METRICS, changeFigures, incidentChangeFigures, type TelemetryChangeMetric } from './change-metrics.js';
import { badParameter } from '@streetwise/errors';
import { checkDevices, resolveDistricts } from './request-filters.js';
import type { ApiContext } from './context.js';
import type { FlatRow } from './export.js';
import { prepareTelemetry, telemetryMeta } from './prepare.js';
import { DeviceFilterParams, ErrorBody, GroupingParams, MeasureQuery, MetaBlock, Nullable, PageBlock, PageParams, RangeParams, StringEnum, TimeOfDayParams, formatResponses } from './schemas.js';
import { tidy } from './tidy.js';

const VEHICLE_FIELDS = [...MOTOR_VEHICLE_FIELDS];
const SeriesQuery = Type.Object(
  { ...RangeParams, ...DeviceFilterParams, ...TimeOfDayParams, groupBy: GroupingParams.groupBy, h3Resolution: GroupingParams.h3Resolution, source: GroupingParams.source, ...PageParams },
  { additionalProperties: false },
);
type SeriesQueryString = Static<typeof SeriesQuery>;

const PeakRow = Type.Object({
  date: Type.String({ description: 'Hong Kong date' }),
  group: Nullable(Type.String()),
  districtNameEn: Type.Optional(Nullable(Type.String())),
  districtNameZh: Type.Optional(Nullable(Type.String())),
  peakHourStart: Type.String(),
  peakHourVolume: Type.Number({ description: 'motor vehicles in the peak hour' }),
  peak15Volume: Type.Number({ description: 'motor vehicles in the busiest 15 minutes of it' }),
  peakHourFactor: Nullable(Type.Number({ description: 'V60 / (4 × V15max)' })),
  dayVolume: Type.Number(),
});
const ProfileRow = Type.Object({
  group: Nullable(Type.String()),
  districtNameEn: Type.Optional(Nullable(Type.String())),
  districtNameZh: Type.Optional(Nullable(Type.String())),
  isoDayOfWeek: Type.Integer({ description: '1 = Monday' }),
  hour: Type.Integer({ description: 'Hong Kong hour' }),
  hours: Type.Integer({ description: 'hours with readings that went into the means' }),
  motorVehiclesPerHour: Type.Number(),
  personsPerHour: Type.Number(),
  speedKmhAvg: Nullable(Type.Number()),
});
const ChangeQuery = MeasureQuery({
  metric: StringEnum(CHANGE_METRICS, { default: 'motorVehicles', description: 'the figure to compare' }),
  compare: StringEnum(COMPARISONS, { default: 'week', description: 'week: the same range a week earlier; period: the equally long range just before' }),
});
const ChangeRow = Type.Object({
  group: Nullable(Type.String()),
  districtNameEn: Type.Optional(Nullable(Type.String())),
  districtNameZh: Type.Optional(Nullable(Type.String())),
  current: Nullable(Type.Number()),
  previous: Nullable(Type.Number()),
  change: Nullable(Type.Number()),
  changePct: Nullable(Type.Number()),
});
const PlanQuery = Type.Object(
  { ...RangeParams, bucket: GroupingParams.bucket, source: GroupingParams.source, ...TimeOfDayParams },
  { additionalProperties: false },
);

export function registerTrafficRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: SeriesQueryString }>(
    '/analytics/peak-hour',
    {
      schema: {
        tags: ['analytics'],
        operationId: 'getPeakHours',
        summary: 'Peak hour and peak-hour factor per Hong Kong day',
        description: 'The 60 minutes (on 15-minute steps, inside the day) with the most motor vehicles; PHF = V60 / (4 × busiest 15 minutes).',
        querystring: SeriesQuery,
        response: formatResponses(Type.Object({ meta: MetaBlock, data: Type.Array(PeakRow), page: PageBlock })),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const p = await prepareTelemetry(ctx, q, '15m');
      // Whole Hong Kong days, read at 15 minutes (from telemetry_5m).
      const plan = planQuery({ range: alignRange(p.range, '1d'), bucket: '15m', source: q.source }, ctx.limits);
      const series = await readSeries(ctx.db, { plan, filter: p.filter, groupBy: q.groupBy, timeOfDay: p.timeOfDay, fields: VEHICLE_FIELDS, presentWhen: VEHICLE_FIELDS, devices: p.devices, h3Resolution: q.h3Resolution });
      const all = peakHours(series.map((r) => ({ group: r.group, startMs: Date.parse(r.bucket), volume: motorVehiclesOf(r.sums) })));
      const rows: FlatRow[] = all.slice(q.offset, q.offset + q.limit).map((r) => ({ ...r, ...(q.groupBy === 'district' ? districtLabels(r.group) : {}), peakHourFactor: tidy(r.peakHourFactor) }));
      const meta = telemetryMeta('peak-hour', plan, q.groupBy, { peakHourVolume: 'motor vehicles per hour', peak15Volume: 'motor vehicles per 15 minutes' });
      return sendAnswer(reply, { format: q.format, json: { meta, data: rows, page: pageInfo(request, q.limit, q.offset, all.length) }, rows, geometry: geometryKindOf(q.groupBy), devices: new Map(p.devices.map((d) => [d.id, d])), name: 'peak-hour' });
    },
  );

  app.get<{ Querystring: SeriesQueryString }>(
    '/analytics/hour-of-week',
    {
      schema: {
        tags: ['analytics'],
        operationId: 'getHourOfWeekProfile',
        summary: 'Hour-of-week profile (168 Hong Kong hours, Monday 00:00 first)',
        description: 'Mean hourly motor vehicles and people over the hours of each kind that had readings, and the reading-weighted mean speed. Use 4 or more weeks.',
        querystring: SeriesQuery,
        response: formatResponses(Type.Object({ meta: MetaBlock, data: Type.Array(ProfileRow), page: PageBlock })),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const p = await prepareTelemetry(ctx, q, '1h', '1h');
      let profile: HourOfWeek[] = [];
      if (q.groupBy === 'h3') {
        const series = await readSeries(ctx.db, { plan: p.plan, filter: p.filter, groupBy: q.groupBy, timeOfDay: p.timeOfDay, fields: HOUR_OF_WEEK_FIELDS, devices: p.devices, h3Resolution: q.h3Resolution });
        profile = hourOfWeekProfile(series);
      } else if (!p.plan.empty) {
        const sql = buildHourOfWeekSql({ plan: p.plan, filter: p.filter, groupBy: q.groupBy, timeOfDay: p.timeOfDay });
        profile = parseHourOfWeekRows((await ctx.db.query<Record<string, unknown>>(sql.text, sql.values)).rows);
      }
      const all = profile.map((r) => ({ ...r, motorVehiclesPerHour: tidy(r.motorVehiclesPerHour) as number, personsPerHour: tidy(r.personsPerHour) as number, speedKmhAvg: tidy(r.speedKmhAvg) }));
      const rows: FlatRow[] = all.slice(q.offset, q.offset + q.limit).map((r) => (q.groupBy === 'district' ? { ...r, ...districtLabels(r.group) } : r));
      const meta = telemetryMeta('hour-of-week', p.plan, q.groupBy, { motorVehiclesPerHour: 'vehicles per hour', personsPerHour: 'people per hour', speedKmhAvg: 'km/h' });
      return sendAnswer(reply, { format: q.format, json: { meta, data: rows, page: pageInfo(request, q.limit, q.offset, all.length) }, rows, geometry: geometryKindOf(q.groupBy), devices: new Map(p.devices.map((d) => [d.id, d])), name: 'hour-of-week' });
    },
  );

  app.get<{ Querystring: Static<typeof ChangeQuery> }>(
    '/analytics/change',
    {
      schema: {
        tags: ['analytics'],
        operationId: 'getChange',
        summary: 'Week-over-week or period-over-period change',
        description: 'A figure over the range against the same figure over the comparison range (a week earlier, or the equally long period before), per group. `bucket` is ignored: each range is one total.',
        querystring: ChangeQuery,
        response: formatResponses(Type.Object({
          meta: Type.Object({ metric: Type.String(), compare: Type.String(), current: Type.Object({ from: Type.String(), to: Type.String() }), previous: Type.Object({ from: Type.String(), to: Type.String() }), source: Type.String(), groupBy: Type.String() }),
          data: Type.Array(ChangeRow),
          page: PageBlock,
        })),
      },
    },
    async (request, reply) => {
      const q = request.query;
      let current: Map<string | null, number | null>;
      let previous: Map<string | null, number | null>;
      let plans: { current: QueryPlan; previous: QueryPlan };
      if (q.metric === 'incidents') {
        // Incidents are counted from the incidents table (no aggregate), by opening time.
        if (q.groupBy !== 'none' && q.groupBy !== 'district' && q.groupBy !== 'device') {
          throw badParameter('groupBy', 'must be none, district or device for metric=incidents', ['none', 'district', 'device']);
        }
        const groupBy = q.groupBy;
        const incidentLimits = { ...ctx.limits, maxRawDays: 3660 };
        const range = parseRange(q, ctx.now().getTime());
        const currentPlan = planQuery({ range, bucket: 'all', source: 'raw' }, incidentLimits);
        plans = { current: currentPlan, previous: planQuery({ range: comparisonRange(currentPlan.range, q.compare), bucket: 'all', source: 'raw' }, incidentLimits) };
        const filter = { districts: resolveDistricts(q), devices: q.device ? checkDevices(q.device, await ctx.devices.list()) : undefined };
        [current, previous] = await Promise.all([incidentChangeFigures(ctx.db, plans.current, filter, groupBy), incidentChangeFigures(ctx.db, plans.previous, filter, groupBy)]);
        // No incident in a period is a count of 0, not missing data.
        for (const key of [...current.keys(), ...previous.keys()]) {
          if (!current.has(key)) current.set(key, 0);
          if (!previous.has(key)) previous.set(key, 0);
        }
      } else {
        const p = await prepareTelemetry(ctx, q, 'all');
        plans = { current: p.plan, previous: planQuery({ range: comparisonRange(p.plan.range, q.compare), bucket: 'all', source: q.source, coarsest: p.plan.grain === 'raw' ? undefined : p.plan.grain }, ctx.limits) };
        const figure = (plan: QueryPlan) => changeFigures(ctx.db, q.metric as TelemetryChangeMetric, { plan, filter: p.filter, groupBy: q.groupBy, timeOfDay: p.timeOfDay, devices: p.devices, h3Resolution: q.h3Resolution });
        [current, previous] = await Promise.all([figure(plans.current), figure(plans.previous)]);
      }
      const all = pairGroups(current, previous).map((r) => ({ ...r, current: tidy(r.current), previous: tidy(r.previous), change: tidy(r.change), changePct: tidy(r.changePct) }));
      const rows: FlatRow[] = all.slice(q.offset, q.offset + q.limit).map((r) => (q.groupBy === 'district' ? { ...r, ...districtLabels(r.group) } : r));
      const source = q.metric === 'incidents' ? 'incidents' : TELEMETRY_SOURCES[plans.current.grain].table;
      const meta = { metric: q.metric, compare: q.compare, current: rangeToIso(plans.current.range), previous: rangeToIso(plans.previous.range), source, groupBy: q.groupBy };
      const devices = await ctx.devices.list();
      return sendAnswer(reply, { format: q.format, json: { meta, data: rows, page: pageInfo(request, q.limit, q.offset, all.length) }, rows, geometry: geometryKindOf(q.groupBy), devices: new Map(devices.map((d) => [d.id, d])), name: `change-${q.metric}` });
    },
  );

  app.get<{ Querystring: Static<typeof PlanQuery> }>(
    '/analytics/plan',
    {
      schema: {
        tags: ['analytics'],
        operationId: 'explainQueryPlan',
        summary: 'Which source the planner would read for a request, and why',
        querystring: PlanQuery,
        response: {
          200: Type.Object({ grain: StringEnum(['raw', '5m', '1h', '1d'] as const), source: Type.String(), from: Type.String(), to: Type.String(), bucket: StringEnum(BUCKETS), empty: Type.Boolean(), reason: Type.String() }),
          400: ErrorBody,
          429: ErrorBody,
          500: ErrorBody,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const p = await prepareTelemetry(ctx, q, q.bucket);
      return { grain: p.plan.grain, source: TELEMETRY_SOURCES[p.plan.grain].table, ...rangeToIso(p.plan.range), bucket: p.plan.bucket, empty: p.plan.empty, reason: p.plan.reason };
    },
  );
}

