/** Incidents: counts per bucket, hot spots on H3 cells, operator KPIs. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { EVENT_TYPES, SEVERITIES } from '@streetwise/protocol';
import { buildPositionCountSql, parsePositionCounts, rankHotspots } from '../measures/hotspots.js';
import { buildIncidentLocationsSql, type IncidentFilter } from '../measures/incident-filter.js';
import { INCIDENT_GROUP_BYS, buildIncidentCountSql, parseIncidentCountRows } from '../measures/incidents.js';
import { KPI_GROUP_BYS, buildKpiSql, parseKpiRows } from '../measures/operator-kpis.js';
import { BUCKETS } from '../query/bucket.js';
import { cellOf, idsInCells } from '../query/h3-cells.js';
import { planQuery } from '../query/planner.js';
import { isoParam } from '../query/sql.js';
import { parseRange, rangeToIso, type TimeRange } from '../query/time-range.js';
import { districtLabels, pageInfo, sendAnswer } from './answer.js';
import type { ApiContext } from './context.js';
import type { FlatRow } from './export.js';
import { checkDevices, resolveCells, resolveDistricts } from './request-filters.js';
import { DeviceFilterParams, GroupingParams, Nullable, PageBlock, PageParams, RangeParams, StringEnum, formatResponses } from './schemas.js';
import { tidy } from './tidy.js';

export const IncidentFilterParams = {
  district: DeviceFilterParams.district,
  region: DeviceFilterParams.region,
  device: DeviceFilterParams.device,
  h3: DeviceFilterParams.h3,
  type: Type.Optional(Type.Array(StringEnum(EVENT_TYPES), { maxItems: EVENT_TYPES.length, description: 'incident types' })),
  severity: Type.Optional(Type.Array(StringEnum(SEVERITIES), { maxItems: SEVERITIES.length })),
};

const CountQuery = Type.Object(
  { ...RangeParams, ...IncidentFilterParams, bucket: StringEnum(BUCKETS, { default: '1d' }), groupBy: StringEnum(INCIDENT_GROUP_BYS, { default: 'none' }), ...PageParams },
  { additionalProperties: false },
);
const HotspotQuery = Type.Object(
  { ...RangeParams, ...IncidentFilterParams, h3Resolution: GroupingParams.h3Resolution, ...PageParams },
  { additionalProperties: false },
);
const KpiQuery = Type.Object(
  { ...RangeParams, ...IncidentFilterParams, groupBy: StringEnum(KPI_GROUP_BYS, { default: 'district_type' }), format: PageParams.format },
  { additionalProperties: false },
);
export type IncidentFilterQuery = Pick<Static<typeof CountQuery>, 'district' | 'region' | 'device' | 'h3' | 'type' | 'severity'>;

/** Incident filter from the query; H3 cells become the incident positions inside them. */
export async function incidentFilter(ctx: ApiContext, q: IncidentFilterQuery, range: TimeRange): Promise<IncidentFilter> {
  const cells = resolveCells(q);
  const filter: IncidentFilter = {
    districts: resolveDistricts(q),
    devices: q.device ? checkDevices(q.device, await ctx.devices.list()) : undefined,
    types: q.type,
    severities: q.severity,
  };
  if (cells) {
    const sql = buildIncidentLocationsSql(isoParam(range.fromMs), isoParam(range.toMs));
    const { rows } = await ctx.db.query<{ lat: number; lon: number }>(sql.text, sql.values);
    const located = rows.map((r, i) => ({ id: String(i), lat: Number(r.lat), lon: Number(r.lon) }));
    const inside = new Set(idsInCells(located, cells));
    filter.locations = located.filter((l) => inside.has(l.id)).map((l) => ({ lat: l.lat, lon: l.lon }));
  }
  return filter;
}

const Step = Type.Object({ count: Type.Integer(), p50S: Nullable(Type.Number()), p90S: Nullable(Type.Number()), meanS: Nullable(Type.Number()) });

export function registerIncidentRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: Static<typeof CountQuery> }>(
    '/analytics/incidents',
    {
      schema: {
        tags: ['analytics'],
        operationId: 'countIncidents',
        summary: 'Incident counts per bucket (by opening time)',
        querystring: CountQuery,
        response: formatResponses(Type.Object({
          meta: Type.Object({ from: Type.String(), to: Type.String(), bucket: Type.String(), groupBy: Type.String() }),
          data: Type.Array(Type.Object({ bucket: Type.String(), group: Nullable(Type.String()), districtNameEn: Type.Optional(Nullable(Type.String())), districtNameZh: Type.Optional(Nullable(Type.String())), incidents: Type.Integer(), severe: Type.Integer(), unresolved: Type.Integer() })),
          page: PageBlock,
        })),
      },
    },
    async (request, reply) => {
      const q = request.query;
      // The incidents table is small and has no aggregate: plan only for the range alignment and bucket limit.
      const plan = planQuery({ range: parseRange(q, ctx.now().getTime()), bucket: q.bucket, source: 'raw' }, { ...ctx.limits, maxRawDays: 3660 });
      const filter = await incidentFilter(ctx, q, plan.range);
      let result = { rows: [] as ReturnType<typeof parseIncidentCountRows>['rows'], total: 0 };
      if (!plan.empty) {
        const sql = buildIncidentCountSql({ plan, filter, groupBy: q.groupBy, page: { limit: q.limit, offset: q.offset } });
        result = parseIncidentCountRows((await ctx.db.query<Record<string, unknown>>(sql.text, sql.values)).rows);
      }
      const rows: FlatRow[] = result.rows.map((r) => (q.groupBy === 'district' ? { ...r, ...districtLabels(r.group) } : { ...r }));
      const meta = { ...rangeToIso(plan.range), bucket: plan.bucket, groupBy: q.groupBy };
      return sendAnswer(reply, { format: q.format, json: { meta, data: rows, page: pageInfo(request, q.limit, q.offset, result.total) }, rows, geometry: q.groupBy === 'district' ? 'district' : 'none', name: 'incidents' });
    },
  );

  app.get<{ Querystring: Static<typeof HotspotQuery> }>(
    '/analytics/incidents/hotspots',
    {
      schema: {
        tags: ['analytics'],
        operationId: 'getIncidentHotspots',
        summary: 'Incident hot spots on H3 hexagons (resolution 7–9)',
        description: 'Cells ranked by incidents; isHotspot when a cell has ≥ 3 incidents and ≥ mean + 2 sd of the cells with any. format=geojson gives the hexagons.',
        querystring: HotspotQuery,
        response: formatResponses(Type.Object({
          meta: Type.Object({ from: Type.String(), to: Type.String(), resolution: Type.Integer(), incidents: Type.Integer() }),
          data: Type.Array(Type.Object({ group: Type.String({ description: 'H3 cell' }), resolution: Type.Integer(), rank: Type.Integer(), incidents: Type.Integer(), severe: Type.Integer(), share: Type.Number(), isHotspot: Type.Boolean(), lat: Type.Number(), lon: Type.Number() })),
          page: PageBlock,
        })),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const range = parseRange(q, ctx.now().getTime());
      const filter = await incidentFilter(ctx, q, range);
      const sql = buildPositionCountSql(range, filter);
      const positions = parsePositionCounts((await ctx.db.query<Record<string, unknown>>(sql.text, sql.values)).rows);
      const ranked = rankHotspots(positions, q.h3Resolution);
      const all: FlatRow[] = ranked.map(({ cell, ...r }) => {
        const centre = positions.find((p) => cellOf(p.lat, p.lon, q.h3Resolution) === cell);
        return { group: cell, ...r, share: tidy(r.share), lat: centre?.lat ?? 0, lon: centre?.lon ?? 0 };
      });
      const rows = all.slice(q.offset, q.offset + q.limit);
      const meta = { ...rangeToIso(range), resolution: q.h3Resolution, incidents: positions.reduce((s, p) => s + p.incidents, 0) };
      return sendAnswer(reply, { format: q.format, json: { meta, data: rows, page: pageInfo(request, q.limit, q.offset, all.length) }, rows, geometry: 'h3', name: 'incident-hotspots' });
    },
  );

  app.get<{ Querystring: Static<typeof KpiQuery> }>(
    '/analytics/incidents/kpis',
    {
      schema: {
        tags: ['analytics'],
        operationId: 'getOperatorKpis',
        summary: 'Operator KPIs: time to acknowledge, dispatch and resolve (p50, p90, mean, seconds)',
        description: 'Each measured from the opening of the incident, over incidents opened in the range that reached the step.',
        querystring: KpiQuery,
        response: formatResponses(Type.Object({
          meta: Type.Object({ from: Type.String(), to: Type.String(), groupBy: Type.String() }),
          data: Type.Array(Type.Object({ district: Nullable(Type.String()), districtNameEn: Nullable(Type.String()), districtNameZh: Nullable(Type.String()), type: Nullable(Type.String()), incidents: Type.Integer(), acknowledge: Step, dispatch: Step, resolve: Step })),
        })),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const range = parseRange(q, ctx.now().getTime());
      const filter = await incidentFilter(ctx, q, range);
      const sql = buildKpiSql(range, filter, q.groupBy);
      const kpis = parseKpiRows((await ctx.db.query<Record<string, unknown>>(sql.text, sql.values)).rows).map((r) => ({ ...r, ...districtLabels(r.district) }));
      // CSV/GeoJSON get the steps flattened (acknowledge_p50S, …).
      const rows: FlatRow[] = kpis.map((r) => ({
        district: r.district,
        districtNameEn: r.districtNameEn,
        districtNameZh: r.districtNameZh,
        type: r.type,
        incidents: r.incidents,
        ...Object.fromEntries((['acknowledge', 'dispatch', 'resolve'] as const).flatMap((s) => Object.entries(r[s]).map(([k, v]) => [`${s}_${k}`, v]))),
      }));
      return sendAnswer(reply, { format: q.format, json: { meta: { ...rangeToIso(range), groupBy: q.groupBy }, data: kpis }, rows, geometry: 'district', groupKey: 'district', name: 'operator-kpis' });
    },
  );
}
