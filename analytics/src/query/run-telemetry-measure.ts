/**
 * Run a telemetry measure: build the series query, read it, derive the measure's figures per row. Rows
 * grouped by H3 cell are read per device and rolled up here (sums add up exactly), then paginated.
 */
import type { Queryable } from '@streetwise/db';
import type { Figures, TelemetryMeasure } from '../measures/telemetry-measure.js';
import type { DeviceInfo } from './device-directory.js';
import type { DeviceFilter, GroupBy, TimeOfDayFilter } from './filters.js';
import { cellOf } from './h3-cells.js';
import type { QueryPlan } from './planner.js';
import { mergeSums, type TelemetryField } from './telemetry-fields.js';
import { buildSeriesSql, parseSeriesRows, type Page, type SeriesRow } from './telemetry-series.js';

export interface MeasureRequest {
  plan: QueryPlan;
  filter: DeviceFilter;
  groupBy: GroupBy;
  timeOfDay?: TimeOfDayFilter | undefined;
  page: Page;
  /** For groupBy=h3: the cell resolution and the devices' positions. */
  h3Resolution?: number | undefined;
  devices?: readonly DeviceInfo[] | undefined;
}

export interface MeasureRow<Out extends Figures> {
  bucket: string;
  group: string | null;
  figures: Out;
}

export interface MeasureResult<Out extends Figures> {
  rows: MeasureRow<Out>[];
  total: number;
}

/** Roll rows grouped by device up to H3 cells; devices without a position are left out. */
export function rollUpToCells(rows: readonly SeriesRow[], devices: readonly DeviceInfo[], resolution: number): SeriesRow[] {
  const cellOfDevice = new Map<string, string>();
  for (const d of devices) if (d.lat !== null && d.lon !== null) cellOfDevice.set(d.id, cellOf(d.lat, d.lon, resolution));
  const merged = new Map<string, SeriesRow>();
  for (const row of rows) {
    const cell = row.group === null ? undefined : cellOfDevice.get(row.group);
    if (cell === undefined) continue;
    const key = `${row.bucket}|${cell}`;
    const into = merged.get(key) ?? { bucket: row.bucket, group: cell, sums: {} };
    mergeSums(into.sums, row.sums);
    merged.set(key, into);
  }
  return [...merged.values()].sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : (a.group ?? '') < (b.group ?? '') ? -1 : 1));
}

/** Read a whole series (no pagination): for measures computed over all buckets (peak hour, profiles). */
export async function readSeries(
  db: Queryable,
  request: Omit<MeasureRequest, 'page'> & { fields: readonly TelemetryField[]; presentWhen?: readonly TelemetryField[] },
): Promise<SeriesRow[]> {
  if (request.plan.empty) return [];
  const sql = buildSeriesSql({
    plan: request.plan,
    fields: request.fields,
    filter: request.filter,
    groupBy: request.groupBy,
    timeOfDay: request.timeOfDay,
    presentWhen: request.presentWhen,
  });
  const { rows } = await db.query<Record<string, unknown>>(sql.text, sql.values);
  const series = parseSeriesRows(rows, request.fields).rows;
  return request.groupBy === 'h3' ? rollUpToCells(series, request.devices ?? [], request.h3Resolution ?? 8) : series;
}

export async function runTelemetryMeasure<Options, Out extends Figures>(
  db: Queryable,
  measure: TelemetryMeasure<Options, Out>,
  options: Options,
  request: MeasureRequest,
): Promise<MeasureResult<Out>> {
  if (request.plan.empty) return { rows: [], total: 0 };
  const fields = measure.fields(options);
  const byCell = request.groupBy === 'h3';
  const sql = buildSeriesSql({
    plan: request.plan,
    fields,
    filter: request.filter,
    groupBy: request.groupBy,
    timeOfDay: request.timeOfDay,
    presentWhen: measure.presentWhen(options),
    page: byCell ? undefined : request.page,
  });
  const { rows } = await db.query<Record<string, unknown>>(sql.text, sql.values);
  let series = parseSeriesRows(rows, fields);
  if (!byCell && series.rows.length === 0 && request.page.offset > 0) {
    // A page past the end has no row to carry the total: ask for the first row only.
    const first = buildSeriesSql({ plan: request.plan, fields, filter: request.filter, groupBy: request.groupBy, timeOfDay: request.timeOfDay, presentWhen: measure.presentWhen(options), page: { limit: 1, offset: 0 } });
    series = { rows: [], total: parseSeriesRows((await db.query<Record<string, unknown>>(first.text, first.values)).rows, fields).total };
  }
  if (byCell) {
    const cells = rollUpToCells(series.rows, request.devices ?? [], request.h3Resolution ?? 8);
    series = { total: cells.length, rows: cells.slice(request.page.offset, request.page.offset + request.page.limit) };
  }
  return {
    total: series.total,
    rows: series.rows.map((row) => ({ bucket: row.bucket, group: row.group, figures: measure.derive(row.sums, options) })),
  };
}
