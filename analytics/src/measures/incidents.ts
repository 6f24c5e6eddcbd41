/**
 * Incident counts per bucket (by the time they were opened), grouped by district, type, severity or
 * device, with how many were severe (high or critical) and how many are still unresolved.
 */
import { activeIncidentSql } from '@streetwise/incidents';
import { bucketSql } from '../query/bucket.js';
import type { QueryPlan } from '../query/planner.js';
import { SqlParams, isoParam, toIso, toNumber, type SqlQuery } from '../query/sql.js';
import type { Page } from '../query/telemetry-series.js';
import { SEVERE, incidentConditions, type IncidentFilter } from './incident-filter.js';

export const INCIDENT_GROUP_BYS = ['none', 'district', 'type', 'severity', 'device'] as const;
export type IncidentGroupBy = (typeof INCIDENT_GROUP_BYS)[number];

const GROUP_SQL: Record<IncidentGroupBy, string> = {
  none: 'NULL::text',
  district: 'i.district',
  type: 'i.type',
  severity: 'i.severity',
  device: 'i.device_id',
};

export interface IncidentCountRequest {
  plan: QueryPlan;
  filter: IncidentFilter;
  groupBy: IncidentGroupBy;
  page: Page;
}

export interface IncidentCountRow {
  bucket: string;
  group: string | null;
  incidents: number;
  severe: number;
  unresolved: number;
}

export function buildIncidentCountSql(request: IncidentCountRequest): SqlQuery {
  const { plan, filter, groupBy, page } = request;
  const params = new SqlParams();
  const from = params.add(isoParam(plan.range.fromMs));
  const to = params.add(isoParam(plan.range.toMs));
  const where = [`i.opened_at >= ${from}::timestamptz`, `i.opened_at < ${to}::timestamptz`, ...incidentConditions(filter, params)];
  const text = `SELECT ${bucketSql(plan.bucket, 'i.opened_at', from)} AS bucket, ${GROUP_SQL[groupBy]} AS grp,
       count(*)::float8 AS incidents,
       count(*) FILTER (WHERE ${SEVERE})::float8 AS severe,
       count(*) FILTER (WHERE ${activeIncidentSql('i')})::float8 AS unresolved,
       count(*) OVER ()::float8 AS total_rows
FROM incidents i
WHERE ${where.join('\n  AND ')}
GROUP BY 1, 2
ORDER BY 1, 2 NULLS FIRST
LIMIT ${params.add(page.limit)} OFFSET ${params.add(page.offset)}`;
  return { text, values: params.values };
}

export function parseIncidentCountRows(rows: ReadonlyArray<Record<string, unknown>>): { rows: IncidentCountRow[]; total: number } {
  return {
    total: rows.length > 0 ? (toNumber(rows[0]?.['total_rows']) ?? rows.length) : 0,
    rows: rows.map((r) => ({
      bucket: toIso(r['bucket']),
      group: r['grp'] === null ? null : String(r['grp']),
      incidents: toNumber(r['incidents']) ?? 0,
      severe: toNumber(r['severe']) ?? 0,
      unresolved: toNumber(r['unresolved']) ?? 0,
    })),
  };
}
