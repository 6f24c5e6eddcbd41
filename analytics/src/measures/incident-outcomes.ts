/**
 * How resolved incidents ended, per group: counts of each outcome an operator recorded (handled,
 * false_alarm, duplicate, no_action_needed, migration 0010) and the false-alarm share, over the incidents
 * opened in the range. The share is false alarms / resolved incidents with a recorded outcome, so
 * incidents resolved before outcomes existed (outcome NULL) neither raise nor lower it.
 */
import { SqlParams, isoParam, toNumber, type SqlQuery } from '../query/sql.js';
import type { TimeRange } from '../query/time-range.js';
import { incidentConditions, type IncidentFilter } from './incident-filter.js';
import { KPI_GROUP_BYS, type KpiGroupBy } from './operator-kpis.js';

export const OUTCOME_GROUP_BYS = KPI_GROUP_BYS;
export type OutcomeGroupBy = KpiGroupBy;

export interface OutcomeRow {
  district: string | null;
  type: string | null;
  /** Opened in the range. */
  incidents: number;
  resolved: number;
  handled: number;
  falseAlarm: number;
  duplicate: number;
  noActionNeeded: number;
  /** Resolved without a recorded outcome. */
  outcomeUnrecorded: number;
  /** falseAlarm / resolved with an outcome; null when none has one. */
  falseAlarmShare: number | null;
}

export function buildOutcomeSql(range: TimeRange, filter: IncidentFilter, groupBy: OutcomeGroupBy): SqlQuery {
  const params = new SqlParams();
  const from = params.add(isoParam(range.fromMs));
  const to = params.add(isoParam(range.toMs));
  const where = [`i.opened_at >= ${from}::timestamptz`, `i.opened_at < ${to}::timestamptz`, ...incidentConditions(filter, params)];
  const district = groupBy === 'district' || groupBy === 'district_type' ? 'i.district' : 'NULL::text';
  const type = groupBy === 'type' || groupBy === 'district_type' ? 'i.type' : 'NULL::text';
  const outcome = (value: string) => `count(*) FILTER (WHERE i.outcome = '${value}')::float8`;
  return {
    text: `SELECT ${district} AS district, ${type} AS type, count(*)::float8 AS incidents,
       count(*) FILTER (WHERE i.status = 'resolved')::float8 AS resolved,
       ${outcome('handled')} AS handled, ${outcome('false_alarm')} AS false_alarm,
       ${outcome('duplicate')} AS duplicate, ${outcome('no_action_needed')} AS no_action_needed,
       count(*) FILTER (WHERE i.status = 'resolved' AND i.outcome IS NULL)::float8 AS unrecorded
FROM incidents i
WHERE ${where.join(' AND ')}
GROUP BY 1, 2
ORDER BY 1 NULLS FIRST, 2 NULLS FIRST`,
    values: params.values,
  };
}

export function parseOutcomeRows(rows: ReadonlyArray<Record<string, unknown>>): OutcomeRow[] {
  return rows.map((r) => {
    const n = (key: string) => toNumber(r[key]) ?? 0;
    const withOutcome = n('handled') + n('false_alarm') + n('duplicate') + n('no_action_needed');
    return {
      district: r['district'] === null ? null : String(r['district']),
      type: r['type'] === null ? null : String(r['type']),
      incidents: n('incidents'),
      resolved: n('resolved'),
      handled: n('handled'),
      falseAlarm: n('false_alarm'),
      duplicate: n('duplicate'),
      noActionNeeded: n('no_action_needed'),
      outcomeUnrecorded: n('unrecorded'),
      falseAlarmShare: withOutcome === 0 ? null : n('false_alarm') / withOutcome,
    };
  });
}
