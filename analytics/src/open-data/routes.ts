/**
 * Open data: an anonymous, read-only, aggregate-only subset that could be published to citizens —
 * district-level traffic and air quality per hour, day or week, with English and Chinese field labels.
 * No device, road or position below the district is accepted or returned; unknown parameters are refused.
 * Data source attribution: district boundaries and names from the Home Affairs Department (DATA.GOV.HK).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { REGIONS, findDistrict, listDistricts, type Region } from '../districts.js';
import { environmentMeasure } from '../measures/environment.js';
import { motorVehiclesOf } from '../measures/volume.js';
import type { TelemetryMeasure } from '../measures/telemetry-measure.js';
import { ratio, countOf } from '../measures/telemetry-measure.js';
import { BUCKET_SPECS } from '../query/bucket.js';
import { planQuery } from '../query/planner.js';
import { runTelemetryMeasure } from '../query/run-telemetry-measure.js';
import { parseRange } from '../query/time-range.js';
import { pageInfo, sendAnswer } from '../api/answer.js';
import type { ApiContext } from '../api/context.js';
import type { FlatRow } from '../api/export.js';
import { tidy } from '../api/tidy.js';
import { resolveDeviceFilter } from '../api/request-filters.js';
import { DeviceFilterParams, PageBlock, PageParams, RangeParams, StringEnum, formatResponses } from '../api/schemas.js';
import type { RateLimitOptions } from '../api/plugin.js';
import { AIR_FIELDS, DISTRICT_FIELDS, TRAFFIC_FIELDS, type FieldLabel } from './labels.js';

const OpenQuery = Type.Object(
  {
    ...RangeParams,
    district: DeviceFilterParams.district,
    bucket: StringEnum(['1h', '1d', '1w'] as const, { default: '1d', description: 'hour, Hong Kong day or week (Monday)' }),
    ...PageParams,
  },
  { additionalProperties: false },
);
type OpenQueryString = Static<typeof OpenQuery>;

const Fields = Type.Array(Type.Object({ name: Type.String(), labelEn: Type.String(), labelZh: Type.String(), unit: Type.Union([Type.String(), Type.Null()]) }));
const Meta = Type.Object({
  dataset: Type.String(),
  from: Type.String(),
  to: Type.String(),
  bucket: Type.String(),
  licence: Type.String(),
  attribution: Type.String(),
});
const Num = Type.Union([Type.Number(), Type.Null()]);
const Common = { period_start: Type.String(), period_end: Type.String(), district_code: Type.String(), district_en: Type.String(), district_zh: Type.String() };
const TrafficRow = Type.Object({ ...Common, cars: Type.Number(), motorcycles: Type.Number(), buses: Type.Number(), goods_vehicles: Type.Number(), unclassified_vehicles: Type.Number(), motor_vehicles: Type.Number(), bicycles: Type.Number(), pedestrians: Type.Number(), average_speed_kmh: Num });
const AirRow = Type.Object({ ...Common, pm25_ugm3: Num, pm25_max_ugm3: Num, no2_ugm3: Num, no2_max_ugm3: Num, noise_dba: Num });

const ATTRIBUTION = 'Counts and readings: Streetwise sensors, aggregated per district. District boundaries and names: Home Affairs Department, DATA.GOV.HK.';
const LICENCE = 'Free to reuse with attribution';

/** Traffic per district: counts by class and the reading-weighted mean speed. */
const trafficMeasure: TelemetryMeasure<object, Record<string, number | null>> = {
  name: 'open-traffic',
  fields: () => ['count_car', 'count_motorcycle', 'count_bus', 'count_truck', 'volume', 'count_bicycle', 'count_person', 'speed_sum', 'speed_n'],
  presentWhen: () => ['count_car', 'count_motorcycle', 'count_bus', 'count_truck', 'volume', 'count_bicycle', 'count_person', 'speed_n'],
  derive: (s) => ({
    cars: countOf(s.count_car),
    motorcycles: countOf(s.count_motorcycle),
    buses: countOf(s.count_bus),
    goods_vehicles: countOf(s.count_truck),
    // Readings without classes (loop detectors) count their volume: the volume measure's rule.
    unclassified_vehicles: countOf(s.volume),
    motor_vehicles: motorVehiclesOf(s),
    bicycles: countOf(s.count_bicycle),
    pedestrians: countOf(s.count_person),
    average_speed_kmh: tidy(ratio(s.speed_sum, s.speed_n)),
  }),
};

const airMeasure: TelemetryMeasure<object, Record<string, number | null>> = {
  name: 'open-air',
  fields: () => environmentMeasure.fields({}),
  presentWhen: () => environmentMeasure.presentWhen({}),
  derive: (s) => {
    const e = environmentMeasure.derive(s, {});
    return { pm25_ugm3: tidy(e.pm25Avg), pm25_max_ugm3: tidy(e.pm25Max), no2_ugm3: tidy(e.no2Avg), no2_max_ugm3: tidy(e.no2Max), noise_dba: tidy(e.noiseDbaAvg) };
  },
};

export interface OpenDataOptions {
  rateLimit: RateLimitOptions | false;
}

export function registerOpenDataRoutes(app: FastifyInstance, ctx: ApiContext, options: OpenDataOptions): void {
  const config = options.rateLimit === false ? {} : { rateLimit: { max: options.rateLimit.max, timeWindow: options.rateLimit.timeWindowMs } };

  const dataset = (path: string, name: string, operationId: string, summary: string, measure: typeof trafficMeasure, fields: readonly FieldLabel[], Row: typeof TrafficRow | typeof AirRow) => {
    app.get<{ Querystring: OpenQueryString }>(
      path,
      {
        config,
        schema: {
          tags: ['open-data'],
          operationId,
          summary,
          description: 'Anonymous, read-only, district-level aggregates; no device detail. `fields` gives each column\'s English and Chinese label and unit.',
          querystring: OpenQuery,
          response: formatResponses(Type.Object({ meta: Meta, fields: Fields, data: Type.Array(Row), page: PageBlock })),
        },
      },
      async (request, reply) => {
        const q = request.query;
        const filter = resolveDeviceFilter({ district: q.district }, await ctx.devices.list());
        // Open data is always aggregate: never raw rows, whatever the range.
        const plan = planQuery({ range: parseRange(q, ctx.now().getTime()), bucket: q.bucket, source: 'auto' }, { ...ctx.limits, maxRawDays: 0 });
        const result = await runTelemetryMeasure(ctx.db, measure, {}, { plan, filter, groupBy: 'district', page: { limit: q.limit, offset: q.offset } });
        const length = BUCKET_SPECS[plan.bucket].lengthMs ?? 0;
        const rows: FlatRow[] = result.rows.flatMap((r) => {
          const d = r.group === null ? undefined : findDistrict(r.group);
          if (!d) return []; // devices without a known district are not published
          return [{
            period_start: r.bucket,
            period_end: new Date(Date.parse(r.bucket) + length).toISOString(),
            district_code: d.code,
            district_en: d.nameEn,
            district_zh: d.nameZh,
            ...r.figures,
          }];
        });
        const meta = { dataset: name, from: new Date(plan.range.fromMs).toISOString(), to: new Date(plan.range.toMs).toISOString(), bucket: plan.bucket, licence: LICENCE, attribution: ATTRIBUTION };
        return sendAnswer(reply, {
          format: q.format,
          json: { meta, fields, data: rows, page: pageInfo(request, q.limit, q.offset, result.total) },
          rows,
          geometry: 'district',
          groupKey: 'district_code',
          name: `${name}-${q.bucket}`,
        });
      },
    );
  };

  dataset('/open-data/traffic', 'traffic', 'getOpenTrafficData', 'District traffic: vehicles by class, pedestrians, average speed (open data)', trafficMeasure, TRAFFIC_FIELDS, TrafficRow);
  dataset('/open-data/air-quality', 'air-quality', 'getOpenAirQualityData', 'District air quality and noise (open data)', airMeasure, AIR_FIELDS, AirRow);

  const DistrictsQuery = Type.Object({ format: PageParams.format }, { additionalProperties: false });
  app.get<{ Querystring: Static<typeof DistrictsQuery> }>(
    '/open-data/districts',
    {
      config,
      schema: {
        tags: ['open-data'],
        operationId: 'listOpenDataDistricts',
        summary: 'Hong Kong\'s 18 districts with English and Chinese names (format=geojson for boundaries)',
        querystring: DistrictsQuery,
        response: formatResponses(Type.Object({
          fields: Fields,
          data: Type.Array(Type.Object({ district_code: Type.String(), district_en: Type.String(), district_zh: Type.String(), region_en: Type.String(), region_zh: Type.String() })),
        })),
      },
    },
    async (request, reply) => {
      const rows: FlatRow[] = listDistricts().map((d) => {
        const region = Object.values<(typeof REGIONS)[Region]>(REGIONS).find((r) => (r.codes as readonly string[]).includes(d.code));
        return { district_code: d.code, district_en: d.nameEn, district_zh: d.nameZh, region_en: region?.nameEn ?? '', region_zh: region?.nameZh ?? '' };
      });
      return sendAnswer(reply, {
        format: request.query.format,
        json: { fields: DISTRICT_FIELDS, data: rows },
        rows,
        geometry: 'district',
        groupKey: 'district_code',
        name: 'districts',
      });
    },
  );
}
