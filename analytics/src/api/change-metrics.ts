/**
 * The figures /analytics/change can compare, each read as one total per group over a range: traffic and
 * environment figures from the telemetry measures (bucket `all`), incidents from the incidents table.
 */
import type { Queryable } from '@streetwise/db';
import { environmentMeasure } from '../measures/environment.js';
import { footfallMeasure } from '../measures/footfall.js';
import { speedMeasure } from '../measures/speed.js';
import type { Figures, TelemetryMeasure } from '../measures/telemetry-measure.js';
import { volumeMeasure } from '../measures/volume.js';
import { runTelemetryMeasure, type MeasureRequest } from '../query/run-telemetry-measure.js';
import type { IncidentFilter } from '../measures/incident-filter.js';
import { buildIncidentCountSql, parseIncidentCountRows } from '../measures/incidents.js';
import type { QueryPlan } from '../query/planner.js';

export const CHANGE_METRICS = ['motorVehicles', 'persons', 'speedKmhAvg', 'congestionIndex', 'pm25Avg', 'no2Avg', 'noiseDbaAvg', 'incidents'] as const;
export type ChangeMetric = (typeof CHANGE_METRICS)[number];
export type TelemetryChangeMetric = Exclude<ChangeMetric, 'incidents'>;

const MEASURE_OF: Record<TelemetryChangeMetric, TelemetryMeasure<object, Figures>> = {
  motorVehicles: volumeMeasure,
  persons: footfallMeasure,
  speedKmhAvg: speedMeasure,
  congestionIndex: speedMeasure,
  pm25Avg: environmentMeasure,
  no2Avg: environmentMeasure,
  noiseDbaAvg: environmentMeasure,
};

/** One figure per group over the request's range (its plan has bucket `all`). */
export async function changeFigures(
  db: Queryable,
  metric: TelemetryChangeMetric,
  request: Omit<MeasureRequest, 'page'>,
): Promise<Map<string | null, number | null>> {
  const result = await runTelemetryMeasure(db, MEASURE_OF[metric], {}, { ...request, page: { limit: 1_000_000, offset: 0 } });
  return new Map(result.rows.map((r) => [r.group, r.figures[metric] ?? null]));
}

/** Incidents opened in the plan's range (bucket `all`), per group. */
export async function incidentChangeFigures(
  db: Queryable,
  plan: QueryPlan,
  filter: IncidentFilter,
  groupBy: 'none' | 'district' | 'device',
): Promise<Map<string | null, number | null>> {
  if (plan.empty) return new Map();
  const sql = buildIncidentCountSql({ plan, filter, groupBy, page: { limit: 1_000_000, offset: 0 } });
  const { rows } = parseIncidentCountRows((await db.query<Record<string, unknown>>(sql.text, sql.values)).rows);
  return new Map(rows.map((r) => [r.group, r.incidents]));
}
