import { SW_MODEL_FLAG_INVALID, SW_MODEL_SERIES_INVALID } from '../errors.js';
import { DEFAULT_UTC_OFFSET_HOURS, type SeriesRow } from '@streetwise/inference';
import { parseSeriesCsv } from './series-csv.js';

export const MPH_TO_KMH = 1.609344;
export type SpeedUnits = 'kmh' | 'mph';

/** Speeds given in mph become km/h; km/h pass through. */
export function toKmh(rows: readonly SeriesRow[], units: SpeedUnits): SeriesRow[] {
  return units === 'kmh' ? [...rows] : rows.map((r) => ({ ...r, speedKmh: r.speedKmh * MPH_TO_KMH }));
}

/**
 * One sensor's speeds out of a wide table — a header `time,<sensor>,<sensor>,…`, then one row per
 * five-minute step (the layout of METR-LA and PeMS exports) — as the `timestamp,speed` series the
 * forecaster reads (same timestamp, order and gap rules as parseSeriesCsv).
 */
export function parseSensorTableCsv(text: string, column: string, options: { name?: string; utcOffsetHours?: number; units?: SpeedUnits } = {}): SeriesRow[] {
  const name = options.name ?? 'input';
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((c) => c.trim());
  const k = header.indexOf(column);
  if (k < 1) {
    const sensors = header.slice(1);
    throw SW_MODEL_FLAG_INVALID(['--column', column, `a sensor column of ${name}: ${sensors.slice(0, 8).join(', ')}${sensors.length > 8 ? `, … (${sensors.length} in all)` : ''}`]);
  }
  const narrow = ['timestamp,speed'];
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const cells = line.split(',');
    const value = cells[k]?.trim() ?? '';
    if (value === '') throw SW_MODEL_SERIES_INVALID([name, `line ${i + 2}: no value in column ${column}`]);
    narrow.push(`${cells[0]!.trim()},${value}`);
  });
  const { rows } = parseSeriesCsv(narrow.join('\n'), `${name} column ${column}`, options.utcOffsetHours ?? DEFAULT_UTC_OFFSET_HOURS);
  return toKmh(rows, options.units ?? 'kmh');
}
