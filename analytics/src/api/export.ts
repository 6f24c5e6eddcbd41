/**
 * CSV (RFC 4180) and GeoJSON renderings of a flat answer. GeoJSON geometry: a device's position, an H3
 * cell's hexagon, a district's boundary; rows grouped otherwise have no geometry (null), as GeoJSON allows.
 */
import { districtGeometry } from '../districts.js';
import type { DeviceInfo } from '../query/device-directory.js';
import { cellPolygon } from '../query/h3-cells.js';

export type FlatRow = Record<string, string | number | boolean | null | undefined>;

function csvCell(value: FlatRow[string]): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Columns: the union of the rows' keys in first-seen order (or `columns` when given). */
export function toCsv(rows: readonly FlatRow[], columns?: readonly string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const lines = [cols.map(csvCell).join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

export type GeometryKind = 'device' | 'h3' | 'district' | 'none';

export interface Feature {
  type: 'Feature';
  geometry: unknown;
  properties: FlatRow;
}

export function toGeoJson(rows: readonly FlatRow[], geometryOf: (row: FlatRow) => unknown): { type: 'FeatureCollection'; features: Feature[] } {
  return { type: 'FeatureCollection', features: rows.map((row) => ({ type: 'Feature', geometry: geometryOf(row) ?? null, properties: row })) };
}

/** Geometry for a row's `group` by what it groups on. */
export function groupGeometry(kind: GeometryKind, devices: ReadonlyMap<string, DeviceInfo>, groupKey = 'group'): (row: FlatRow) => unknown {
  return (row) => {
    const key = row[groupKey];
    if (typeof key !== 'string') return null;
    switch (kind) {
      case 'device': {
        const d = devices.get(key);
        return d && d.lat !== null && d.lon !== null ? { type: 'Point', coordinates: [d.lon, d.lat] } : null;
      }
      case 'h3':
        return cellPolygon(key);
      case 'district':
        return districtGeometry(key) ?? null;
      case 'none':
        return null;
    }
  };
}
