/**
 * Filters and grouping on device attributes (devices.district, road, kind, id) that every telemetry,
 * event and forecast query shares. H3 cells are resolved to device ids at the edge (h3-cells.ts), because
 * the database has no H3 functions; the SQL then filters on those ids.
 */
import type { DeviceKind } from '@streetwise/protocol';
import type { SqlParams } from './sql.js';

export const GROUP_BYS = ['none', 'device', 'district', 'road', 'kind', 'h3'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export interface DeviceFilter {
  /** devices.id values. */
  devices?: readonly string[] | undefined;
  /** District code letters, as stored in devices.district. */
  districts?: readonly string[] | undefined;
  roads?: readonly string[] | undefined;
  kinds?: readonly DeviceKind[] | undefined;
  /**
   * The devices that pass every filter, resolved at the edge from the device list (H3 cells need it, and
   * an id list lets the aggregates' (device_id, bucket) index find the rows instead of joining devices
   * after reading every device's rows). An empty list matches nothing.
   */
  resolvedDeviceIds?: readonly string[] | undefined;
}

const has = (list: readonly unknown[] | undefined): list is readonly unknown[] => list !== undefined && list.length > 0;

/**
 * Hong Kong local time-of-day and day-of-week windows ("weekday evening peak": days 1–5, hours 17–19).
 * Exact at every grain: a 5-minute or hourly bucket lies inside one local hour.
 */
export interface TimeOfDayFilter {
  /** Local hours to keep, 0–23 (17, 18, 19 for 17:00–20:00). */
  hours?: readonly number[] | undefined;
  /** ISO days of week to keep, 1 = Monday … 7 = Sunday. */
  isoDays?: readonly number[] | undefined;
}

export function timeOfDayConditions(filter: TimeOfDayFilter, params: SqlParams, timeColumn: string): string[] {
  const conditions: string[] = [];
  const local = `(${timeColumn} AT TIME ZONE 'Asia/Hong_Kong')`;
  if (has(filter.hours)) conditions.push(`extract(hour FROM ${local})::int = ANY(${params.add([...filter.hours])}::int[])`);
  if (has(filter.isoDays)) conditions.push(`extract(isodow FROM ${local})::int = ANY(${params.add([...filter.isoDays])}::int[])`);
  return conditions;
}

/** True when the query must join devices (d) to filter or group. */
export function needsDeviceJoin(filter: DeviceFilter, groupBy: GroupBy): boolean {
  return groupBy === 'district' || groupBy === 'road' || groupBy === 'kind' ||
    has(filter.districts) || has(filter.roads) || has(filter.kinds);
}

/** WHERE conditions on device attributes; `deviceColumn` is the row's device id column (t.device_id). */
export function deviceConditions(filter: DeviceFilter, params: SqlParams, deviceColumn = 't.device_id'): string[] {
  const conditions: string[] = [];
  if (has(filter.devices)) conditions.push(`${deviceColumn} = ANY(${params.add([...filter.devices])}::text[])`);
  if (filter.resolvedDeviceIds !== undefined) conditions.push(`${deviceColumn} = ANY(${params.add([...filter.resolvedDeviceIds])}::text[])`);
  if (has(filter.districts)) conditions.push(`d.district = ANY(${params.add([...filter.districts])}::text[])`);
  if (has(filter.roads)) conditions.push(`d.road = ANY(${params.add([...filter.roads])}::text[])`);
  if (has(filter.kinds)) conditions.push(`d.kind = ANY(${params.add([...filter.kinds])}::text[])`);
  return conditions;
}

/** The SQL group key; `h3` groups by device and is rolled up to cells afterwards (exact: sums add up). */
export function groupSql(groupBy: GroupBy, deviceColumn = 't.device_id'): string {
  switch (groupBy) {
    case 'none':
      return 'NULL::text';
    case 'device':
    case 'h3':
      return deviceColumn;
    case 'district':
      return 'd.district';
    case 'road':
      return 'd.road';
    case 'kind':
      return 'd.kind';
  }
}
