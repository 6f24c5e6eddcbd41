/** Filters on the incidents table shared by counts, hot spots and operator KPIs. */
import type { SqlParams } from '../query/sql.js';

export interface IncidentFilter {
  /** District code letters, as stored in incidents.district. */
  districts?: readonly string[] | undefined;
  types?: readonly string[] | undefined;
  severities?: readonly string[] | undefined;
  devices?: readonly string[] | undefined;
  /** Incident positions inside the requested H3 cells (resolved at the edge); empty matches nothing. */
  locations?: ReadonlyArray<{ lat: number; lon: number }> | undefined;
}

const has = (list: readonly unknown[] | undefined): list is readonly unknown[] => list !== undefined && list.length > 0;

export function incidentConditions(filter: IncidentFilter, params: SqlParams): string[] {
  const c: string[] = [];
  if (has(filter.districts)) c.push(`i.district = ANY(${params.add([...filter.districts])}::text[])`);
  if (has(filter.types)) c.push(`i.type = ANY(${params.add([...filter.types])}::text[])`);
  if (has(filter.severities)) c.push(`i.severity = ANY(${params.add([...filter.severities])}::text[])`);
  if (has(filter.devices)) c.push(`i.device_id = ANY(${params.add([...filter.devices])}::text[])`);
  if (filter.locations !== undefined) {
    const lats = params.add(filter.locations.map((l) => l.lat));
    const lons = params.add(filter.locations.map((l) => l.lon));
    c.push(`(i.lat, i.lon) IN (SELECT * FROM unnest(${lats}::float8[], ${lons}::float8[]))`);
  }
  return c;
}

/** Incident positions in a range, for resolving an H3 filter. */
export function buildIncidentLocationsSql(fromIso: string, toIso: string): { text: string; values: unknown[] } {
  return {
    text: 'SELECT DISTINCT i.lat, i.lon FROM incidents i WHERE i.opened_at >= $1::timestamptz AND i.opened_at < $2::timestamptz',
    values: [fromIso, toIso],
  };
}

/** "Severe" in counts: high and critical. */
export const SEVERE = "i.severity IN ('high', 'critical')";
