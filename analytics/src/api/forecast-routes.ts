/** /analytics/forecast: the stored forecasts next to what actually happened, per 5-minute interval. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { buildForecastVsActualSql } from '../forecast/forecast-store.js';
import { HOUR_MS } from '../query/bucket.js';
import { planQuery } from '../query/planner.js';
import { toIso, toNumber } from '../query/sql.js';
import { parseRange, rangeToIso } from '../query/time-range.js';
import { sendAnswer } from './answer.js';
import type { ApiContext } from './context.js';
import type { FlatRow } from './export.js';
import { tidy } from './tidy.js';
import { checkDevices } from './request-filters.js';
import { Nullable, PageParams, RangeParams, StringEnum, formatResponses } from './schemas.js';

const Query = Type.Object(
  {
    device: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 20, description: 'device ids (1–20); comma-separated or repeated' }),
    from: RangeParams.from,
    to: RangeParams.to,
    horizon: StringEnum(['15', '30', '60'] as const, { default: '15', description: 'minutes ahead the forecast was made' }),
    format: PageParams.format,
  },
  { additionalProperties: false },
);

const Row = Type.Object({
  device: Type.String(),
  bucket: Type.String({ description: 'the 5-minute interval (telemetry_5m bucket key)' }),
  actualFlow: Nullable(Type.Number({ description: 'motor vehicles in the interval' })),
  actualSpeedKmh: Nullable(Type.Number()),
  forecastFlow: Nullable(Type.Number()),
  forecastSpeedKmh: Nullable(Type.Number()),
  issuedAt: Nullable(Type.String({ description: 'when the forecast was made (end of the last interval it saw)' })),
  modelVersion: Nullable(Type.String()),
});

export function registerForecastRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: Static<typeof Query> }>(
    '/analytics/forecast',
    {
      schema: {
        tags: ['analytics'],
        operationId: 'getTrafficForecast',
        summary: 'Traffic forecast next to actual (5-minute flow and speed)',
        description: 'Forecasts made `horizon` minutes before each interval by the central forecast job, beside the measured flow and speed. Default range: 3 hours back to 1 hour ahead.',
        querystring: Query,
        response: formatResponses(Type.Object({ meta: Type.Object({ from: Type.String(), to: Type.String(), horizonMin: Type.Integer() }), data: Type.Array(Row) })),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const devices = checkDevices(q.device, await ctx.devices.list()) ?? [];
      const nowMs = ctx.now().getTime();
      const range = parseRange({ from: q.from ?? new Date(nowMs - 3 * HOUR_MS).toISOString(), to: q.to ?? new Date(nowMs + HOUR_MS).toISOString() }, nowMs);
      // Planned only for alignment and the raw-range limit (the forecasts table is not aggregated).
      const plan = planQuery({ range, bucket: '5m', source: 'raw' }, ctx.limits);
      const horizon = Number(q.horizon);
      let rows: FlatRow[] = [];
      if (!plan.empty) {
        const sql = buildForecastVsActualSql(devices, plan.range.fromMs, plan.range.toMs, horizon);
        rows = (await ctx.db.query<Record<string, unknown>>(sql.text, sql.values)).rows.map((r) => ({
          device: String(r['device_id']),
          bucket: toIso(r['bucket']),
          actualFlow: tidy(toNumber(r['actual_flow'])),
          actualSpeedKmh: tidy(toNumber(r['actual_speed'])),
          forecastFlow: tidy(toNumber(r['forecast_flow'])),
          forecastSpeedKmh: tidy(toNumber(r['forecast_speed'])),
          issuedAt: r['issued_at'] === null ? null : toIso(r['issued_at']),
          modelVersion: r['model_version'] === null ? null : String(r['model_version']),
        }));
      }
      const deviceMap = new Map((await ctx.devices.list()).map((d) => [d.id, d]));
      return sendAnswer(reply, {
        format: q.format,
        json: { meta: { ...rangeToIso(plan.range), horizonMin: horizon }, data: rows },
        rows,
        geometry: 'device',
        groupKey: 'device',
        devices: deviceMap,
        name: `forecast-${horizon}min`,
      });
    },
  );
}

