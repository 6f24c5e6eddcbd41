/**
 * Incident hot spots on H3 hexagons. Incidents are counted per position in SQL (incidents at one device
 * share its position, so this is small), placed in cells here, and ranked. A cell is a hot spot when its
 * count is at least 3 and at least the mean plus two standard deviations of the counts of the cells that
 * had any incident.
 */
import { cellOf } from '../query/h3-cells.js';
import { SqlParams, isoParam, toNumber, type SqlQuery } from '../query/sql.js';
import type { TimeRange } from '../query/time-range.js';
import { SEVERE, incidentConditions, type IncidentFilter } from './incident-filter.js';

export interface PositionCount {
  lat: number;
  lon: number;
  incidents: number;
  severe: number;
}

export interface Hotspot {
  cell: string;
  resolution: number;
  rank: number;
  incidents: number;
  severe: number;
  /** Share of all incidents in the answer, 0–1. */
  share: number;
  isHotspot: boolean;
}

export const HOTSPOT_MIN_INCIDENTS = 3;

export function buildPositionCountSql(range: TimeRange, filter: IncidentFilter): SqlQuery {
  const params = new SqlParams();
  const from = params.add(isoParam(range.fromMs));
  const to = params.add(isoParam(range.toMs));
  const where = [`i.opened_at >= ${from}::timestamptz`, `i.opened_at < ${to}::timestamptz`, ...incidentConditions(filter, params)];
  return {
    text: `SELECT i.lat, i.lon, count(*)::float8 AS incidents, count(*) FILTER (WHERE ${SEVERE})::float8 AS severe
FROM incidents i
WHERE ${where.join(' AND ')}
GROUP BY 1, 2`,
    values: params.values,
  };
}

export function parsePositionCounts(rows: ReadonlyArray<Record<string, unknown>>): PositionCount[] {
  return rows.map((r) => ({
    lat: Number(r['lat']),
    lon: Number(r['lon']),
    incidents: toNumber(r['incidents']) ?? 0,
    severe: toNumber(r['severe']) ?? 0,
  }));
}

/** Cells ranked by incidents (ties: more severe first, then cell id). */
export function rankHotspots(positions: readonly PositionCount[], resolution: number): Hotspot[] {
  const cells = new Map<string, { incidents: number; severe: number }>();
  let total = 0;
  for (const p of positions) {
    const cell = cellOf(p.lat, p.lon, resolution);
    const c = cells.get(cell) ?? { incidents: 0, severe: 0 };
    c.incidents += p.incidents;
    c.severe += p.severe;
    cells.set(cell, c);
    total += p.incidents;
  }
  const counts = [...cells.values()].map((c) => c.incidents);
  const mean = counts.length > 0 ? total / counts.length : 0;
  const sd = counts.length > 0 ? Math.sqrt(counts.reduce((s, n) => s + (n - mean) ** 2, 0) / counts.length) : 0;
  const threshold = Math.max(HOTSPOT_MIN_INCIDENTS, mean + 2 * sd);
  return [...cells.entries()]
    .sort(([ca, a], [cb, b]) => b.incidents - a.incidents || b.severe - a.severe || (ca < cb ? -1 : 1))
    .map(([cell, c], i) => ({
      cell,
      resolution,
      rank: i + 1,
      incidents: c.incidents,
      severe: c.severe,
      share: total > 0 ? c.incidents / total : 0,
      isHotspot: c.incidents >= threshold,
    }));
}
