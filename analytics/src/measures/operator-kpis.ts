/**
 * Operator KPIs: how long incidents took to be acknowledged, dispatched and resolved, each measured from
 * the moment the incident opened (seconds): median (p50), 90th percentile (p90, continuous interpolation)
 * and mean, over the incidents opened in the range that reached that step. Grouped by district and/or
 * incident type.
 */
import { TRANSITIONS, type OperatorAction, type StampColumn } from '@streetwise/incidents';
import { SqlParams, isoParam, toNumber, type SqlQuery } from '../query/sql.js';
import type { TimeRange } from '../query/time-range.js';
import { incidentConditions, type IncidentFilter } from './incident-filter.js';

export const KPI_GROUP_BYS = ['none', 'district', 'type', 'district_type'] as const;
export type KpiGroupBy = (typeof KPI_GROUP_BYS)[number];

/** Operator actions that stamp the time an incident reached their status (@streetwise/incidents' TRANSITIONS). */
export const KPI_STEPS = ['acknowledge', 'dispatch', 'resolve'] as const satisfies readonly OperatorAction[];
export type KpiStep = (typeof KPI_STEPS)[number];

const STEP_COLUMN: Record<KpiStep, `i.${StampColumn}`> = {
  acknowledge: `i.${TRANSITIONS.acknowledge.stamp}`,
  dispatch: `i.${TRANSITIONS.dispatch.stamp}`,
  resolve: `i.${TRANSITIONS.resolve.stamp}`,
};

export interface StepStats {
  /** Incidents that reached this step. */
  count: number;
  p50S: number | null;
  p90S: number | null;
  meanS: number | null;
}

export interface KpiRow {
  district: string | null;
  type: string | null;
  incidents: number;
  acknowledge: StepStats;
  dispatch: StepStats;
  resolve: StepStats;
}

export function buildKpiSql(range: TimeRange, filter: IncidentFilter, groupBy: KpiGroupBy): SqlQuery {
  const params = new SqlParams();
  const from = params.add(isoParam(range.fromMs));
  const to = params.add(isoParam(range.toMs));
  const where = [`i.opened_at >= ${from}::timestamptz`, `i.opened_at < ${to}::timestamptz`, ...incidentConditions(filter, params)];
  const district = groupBy === 'district' || groupBy === 'district_type' ? 'i.district' : 'NULL::text';
  const type = groupBy === 'type' || groupBy === 'district_type' ? 'i.type' : 'NULL::text';
  const steps = KPI_STEPS.map((step) => {
    const seconds = `extract(epoch FROM ${STEP_COLUMN[step]} - i.opened_at)::float8`;
    return `count(${STEP_COLUMN[step]})::float8 AS ${step}_n,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ${seconds}) AS ${step}_p50,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY ${seconds}) AS ${step}_p90,
       avg(${seconds}) AS ${step}_mean`;
  });
  return {
    text: `SELECT ${district} AS district, ${type} AS type, count(*)::float8 AS incidents,
       ${steps.join(',\n       ')}
FROM incidents i
WHERE ${where.join(' AND ')}
GROUP BY 1, 2
ORDER BY 1 NULLS FIRST, 2 NULLS FIRST`,
    values: params.values,
  };
}

export function parseKpiRows(rows: ReadonlyArray<Record<string, unknown>>): KpiRow[] {
  const stats = (r: Record<string, unknown>, step: KpiStep): StepStats => ({
    count: toNumber(r[`${step}_n`]) ?? 0,
    p50S: toNumber(r[`${step}_p50`]),
    p90S: toNumber(r[`${step}_p90`]),
    meanS: toNumber(r[`${step}_mean`]),
  });
  return rows.map((r) => ({
    district: r['district'] === null ? null : String(r['district']),
    type: r['type'] === null ? null : String(r['type']),
    incidents: toNumber(r['incidents']) ?? 0,
    acknowledge: stats(r, 'acknowledge'),
    dispatch: stats(r, 'dispatch'),
    resolve: stats(r, 'resolve'),
  }));
}
