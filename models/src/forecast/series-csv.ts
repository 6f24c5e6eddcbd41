import { SW_MODEL_SERIES_INVALID } from '../errors.js';
import { DEFAULT_UTC_OFFSET_HOURS, STEP_MS, type SeriesRow } from '@streetwise/inference';

/**
 * Parse a detector series: CSV `timestamp,speed[,flow]` at five-minute steps, one sensor, with or
 * without a header row. Timestamps are ISO 8601; without a zone they are local time at utcOffsetHours
 * (Hong Kong, +8, by default). Rows must be in
 * time order; a gap is refused with its line number (fill or split the series first).
 */
export function parseSeriesCsv(text: string, name = 'input', utcOffsetHours = DEFAULT_UTC_OFFSET_HOURS): { rows: SeriesRow[]; hasFlow: boolean } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim());
  const rows: SeriesRow[] = [];
  let hasFlow: boolean | undefined;
  lines.forEach((line, i) => {
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split(',').map((c) => c.trim());
    if (rows.length === 0 && hasFlow === undefined && Number.isNaN(Date.parse(cells[0] ?? ''))) {
      // A header row: check the column names.
      const names = cells.map((c) => c.toLowerCase());
      if (names[0] !== 'timestamp' || names[1] !== 'speed' || (names.length > 2 && names[2] !== 'flow') || names.length > 3) {
        throw SW_MODEL_SERIES_INVALID([name, `line ${i + 1}: header must be "timestamp,speed" or "timestamp,speed,flow", got "${line.slice(0, 80)}"`]);
      }
      hasFlow = names.length === 3;
      return;
    }
    if (cells.length < 2 || cells.length > 3) throw SW_MODEL_SERIES_INVALID([name, `line ${i + 1}: expected 2 or 3 columns (timestamp,speed[,flow]), got ${cells.length}`]);
    const stamp = cells[0]!;
    const zoned = /(Z|[+-]\d\d:?\d\d)$/.test(stamp);
    const timeMs = zoned ? Date.parse(stamp) : Date.parse(`${stamp}Z`) - utcOffsetHours * 3_600_000;
    const speedKmh = Number(cells[1]);
    const flow = cells.length === 3 && cells[2] !== '' ? Number(cells[2]) : undefined;
    if (Number.isNaN(timeMs)) throw SW_MODEL_SERIES_INVALID([name, `line ${i + 1}: timestamp "${stamp.slice(0, 40)}" is not ISO 8601`]);
    if (!Number.isFinite(speedKmh) || speedKmh < 0 || speedKmh > 300) throw SW_MODEL_SERIES_INVALID([name, `line ${i + 1}: speed "${cells[1]}" must be km/h, 0–300`]);
    if (flow !== undefined && (!Number.isFinite(flow) || flow < 0)) throw SW_MODEL_SERIES_INVALID([name, `line ${i + 1}: flow "${cells[2]}" must be a count ≥ 0`]);
    const rowHasFlow = flow !== undefined;
    if (hasFlow === undefined) hasFlow = rowHasFlow;
    else if (hasFlow !== rowHasFlow) throw SW_MODEL_SERIES_INVALID([name, `line ${i + 1}: flow must be given on every row or on none`]);
    const previous = rows[rows.length - 1];
    if (previous && timeMs - previous.timeMs !== STEP_MS) {
      throw SW_MODEL_SERIES_INVALID([name, `line ${i + 1}: ${stamp} is ${(timeMs - previous.timeMs) / 60_000} min after the previous row; rows must be 5 min apart, in order, without gaps`]);
    }
    rows.push({ timeMs, speedKmh, flow });
  });
  return { rows, hasFlow: hasFlow ?? false };
}
