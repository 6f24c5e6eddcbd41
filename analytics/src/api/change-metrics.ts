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

export const CHANGE_METRICS = ['motorVehicles', 'persons', 'speedKmhAvg', 'congestionIndex', 'pm25Avg', 'no2Avg', 'noiseDbaAvg'] as const;
export type ChangeMetric = (typeof CHANGE_METRICS)[number];

const MEASURE_OF: Record<ChangeMetric, TelemetryMeasure<object, Figures>> = {
  motorVehicles: volumeMeasure as TelemetryMeasure<object, Figures>,
  persons: footfallMeasure as TelemetryMeasure<object, Figures>,
  speedKmhAvg: speedMeasure as TelemetryMeasure<object, Figures>,
  congestionIndex: speedMeasure as TelemetryMeasure<object, Figures>,
  pm25Avg: environmentMeasure as TelemetryMeasure<object, Figures>,
  no2Avg: environmentMeasure as TelemetryMeasure<object, Figures>,
  noiseDbaAvg: environmentMeasure as TelemetryMeasure<object, Figures>,
};

/** One figure per group over the request's range (its plan has bucket `all`). */
export async function changeFigures(
  db: Queryable,
  metric: ChangeMetric,
  request: Omit<MeasureRequest, 'page'>,
): Promise<Map<string | null, number | null>> {
  const result = await runTelemetryMeasure(db, MEASURE_OF[metric], {}, { ...request, page: { limit: 1_000_000, offset: 0 } });
  return new Map(result.rows.map((r) => [r.group, r.figures[metric] ?? null]));
}
