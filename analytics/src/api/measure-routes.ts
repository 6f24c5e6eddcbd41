/**
 * The telemetry measures as routes: /analytics/volume, /speed, /footfall, /occupancy, /environment.
 * Each takes the same range, filter, grouping and page parameters; the planner picks the source.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { OBJECT_CLASSES, type ObjectClass } from '@streetwise/protocol';
import { environmentMeasure } from '../measures/environment.js';
import { footfallMeasure } from '../measures/footfall.js';
import { occupancyMeasure } from '../measures/occupancy.js';
import { speedMeasure } from '../measures/speed.js';
import type { Figures, TelemetryMeasure } from '../measures/telemetry-measure.js';
import { volumeMeasure } from '../measures/volume.js';
import { runTelemetryMeasure } from '../query/run-telemetry-measure.js';
import { districtLabels, geometryKindOf, pageInfo, sendAnswer } from './answer.js';
import type { ApiContext } from './context.js';
import type { FlatRow } from './export.js';
import { prepareTelemetry, telemetryMeta } from './prepare.js';
import { tidy } from './tidy.js';
import { ClassParam, MeasureQuery, MetaBlock, Nullable, PageBlock, formatResponses } from './schemas.js';

const Query = MeasureQuery(ClassParam);
export type MeasureQueryString = Static<typeof Query>;

interface MeasureRoute {
  path: string;
  /** Stable camelCase operation name in the OpenAPI document. */
  operationId: string;
  summary: string;
  description: string;
  measure: TelemetryMeasure<{ classes?: readonly ObjectClass[] | undefined }, Figures>;
  figures: Record<string, TSchema>;
  units: Record<string, string>;
}

const n = (description: string) => Nullable(Type.Number({ description }));
const count = (description: string) => Type.Optional(Type.Number({ description }));

export const MEASURE_ROUTES: MeasureRoute[] = [
  {
    path: '/analytics/volume',
    operationId: 'getVolume',
    summary: 'Traffic volume by class',
    description: 'Objects counted per bucket by class (Σ of the readings\' counts); unclassified = vehicles of readings without class counts (their `volume`: loop detectors); motorVehicles = car + motorcycle + bus + truck + unclassified. `class` limits the classes (then without unclassified).',
    measure: volumeMeasure,
    figures: { ...Object.fromEntries(OBJECT_CLASSES.map((c) => [c, count(`${c} counted`)])), unclassified: Type.Optional(Type.Number({ description: 'vehicles of readings without class counts (a loop detector\'s volume); absent when `class` is given' })), motorVehicles: Type.Number({ description: 'cars, motorcycles, buses, trucks and unclassified vehicles' }) },
    units: { '*': 'objects per bucket' },
  },
  {
    path: '/analytics/speed',
    operationId: 'getSpeed',
    summary: 'Average speed and congestion index',
    description: 'Average speed = Σ readings\' mean speeds / number of readings (from sums and counts, never an average of averages). Congestion index = speed / free-flow speed of the device (1 = free flow), averaged the same way over devices with a free-flow speed.',
    measure: speedMeasure,
    figures: { speedKmhAvg: n('km/h'), speedSamples: Type.Number({ description: 'readings with a speed' }), congestionIndex: n('speed / free-flow speed') },
    units: { speedKmhAvg: 'km/h', congestionIndex: 'ratio' },
  },
  {
    path: '/analytics/footfall',
    operationId: 'getFootfall',
    summary: 'Pedestrian footfall',
    description: 'People counted per bucket.',
    measure: footfallMeasure,
    figures: { persons: Type.Number() },
    units: { persons: 'people per bucket' },
  },
  {
    path: '/analytics/occupancy',
    operationId: 'getOccupancy',
    summary: 'Zone occupancy, road occupancy and queues',
    description: 'Most objects seen at once in watched zones, mean occupancy percentage, longest queue.',
    measure: occupancyMeasure,
    figures: { zoneOccupancyMax: n('objects'), occupancyPctAvg: n('%'), queueLengthMMax: n('m') },
    units: { zoneOccupancyMax: 'objects', occupancyPctAvg: '%', queueLengthMMax: 'm' },
  },
  {
    path: '/analytics/environment',
    operationId: 'getEnvironment',
    summary: 'Air quality (PM2.5, NO2) and noise',
    description: 'Mean and maximum of the readings per bucket. For AQO exceedances see /analytics/air-quality/exceedances.',
    measure: environmentMeasure,
    figures: { pm25Avg: n('µg/m³'), pm25Max: n('µg/m³'), no2Avg: n('µg/m³'), no2Max: n('µg/m³'), noiseDbaAvg: n('dBA'), noiseDbaMax: n('dBA') },
    units: { pm25Avg: 'µg/m³', pm25Max: 'µg/m³', no2Avg: 'µg/m³', no2Max: 'µg/m³', noiseDbaAvg: 'dBA', noiseDbaMax: 'dBA' },
  },
];

export function registerMeasureRoutes(app: FastifyInstance, ctx: ApiContext): void {
  for (const route of MEASURE_ROUTES) {
    const Row = Type.Object({
      bucket: Type.String({ description: 'bucket start, ISO 8601 UTC' }),
      group: Nullable(Type.String({ description: 'group key (device id, district, road, kind or H3 cell)' })),
      districtNameEn: Type.Optional(Nullable(Type.String({ description: 'English district name when grouped by district (group is the code letter)' }))),
      districtNameZh: Type.Optional(Nullable(Type.String({ description: 'Chinese district name when grouped by district (group is the code letter)' }))),
      ...route.figures,
    });
    const Body = Type.Object({ meta: MetaBlock, data: Type.Array(Row), page: PageBlock });
    app.get<{ Querystring: MeasureQueryString }>(
      route.path,
      { schema: { tags: ['analytics'], operationId: route.operationId, summary: route.summary, description: route.description, querystring: Query, response: formatResponses(Body) } },
      async (request, reply) => {
        const q = request.query;
        const { devices, filter, timeOfDay, plan } = await prepareTelemetry(ctx, q, q.bucket);
        const result = await runTelemetryMeasure(ctx.db, route.measure, { classes: q.class }, {
          plan,
          filter,
          groupBy: q.groupBy,
          timeOfDay,
          page: { limit: q.limit, offset: q.offset },
          h3Resolution: q.h3Resolution,
          devices,
        });
        const rows: FlatRow[] = result.rows.map((r) => {
          const figures = Object.fromEntries(Object.entries(r.figures).map(([k, v]) => [k, tidy(v)]));
          return { bucket: r.bucket, group: r.group, ...(q.groupBy === 'district' ? districtLabels(r.group) : {}), ...figures };
        });
        const meta = telemetryMeta(route.path.split('/').pop() as string, plan, q.groupBy, route.units);
        return sendAnswer(reply, {
          format: q.format,
          json: { meta, data: rows, page: pageInfo(request, q.limit, q.offset, result.total) },
          rows,
          geometry: geometryKindOf(q.groupBy),
          devices: new Map(devices.map((d) => [d.id, d])),
          name: `${meta.measure}-${meta.from.slice(0, 10)}`,
        });
      },
    );
  }
}
