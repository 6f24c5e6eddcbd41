/**
 * From the validated query string to the plain inputs of the measures: district codes, the
 * devices inside the H3 cells, the time-of-day windows. The one place every /api/v1 route (analytics and
 * the console's devices, incidents and events) resolves `district`, `region` and `device`, so the same
 * filter means the same thing everywhere; errors are SW_API_BAD_PARAMETER naming the parameter.
 */
import { badParameter } from '@streetwise/errors';
import type { DeviceKind } from '@streetwise/protocol';
import { districtsOfRegion, findDistrict, listDistricts, type District, type Region } from '../districts.js';
import type { DeviceInfo } from '../query/device-directory.js';
import type { DeviceFilter, TimeOfDayFilter } from '../query/filters.js';
import { idsInCells, parseCell } from '../query/h3-cells.js';

/** The district a user named (English or Chinese name, or code letter), or a 400 naming `parameter` with the allowed names. */
export function resolveDistrict(text: string, parameter = 'district'): District {
  const district = findDistrict(text);
  if (district) return district;
  throw badParameter(
    parameter,
    `is not one of Hong Kong's 18 districts: "${text}"; use the English name (e.g. "Sha Tin"), the Chinese name (e.g. "沙田") or the code letter (e.g. "R")`,
    listDistricts().map((d) => d.nameEn),
  );
}

export interface FilterQuery {
  district?: string[] | undefined;
  region?: Region | undefined;
  device?: string[] | undefined;
  road?: string[] | undefined;
  kind?: DeviceKind[] | undefined;
  h3?: string[] | undefined;
}

export interface TimeOfDayQuery {
  hour?: number[] | undefined;
  day?: string[] | undefined;
}

/**
 * The districts named by `district` and `region` as stored in devices.district and incidents.district
 * (the official code letter), or undefined when neither is given (no district filter).
 */
export function resolveDistricts(query: Pick<FilterQuery, 'district' | 'region'>): string[] | undefined {
  if (!query.district && !query.region) return undefined;
  const names = new Set<string>();
  for (const text of query.district ?? []) names.add(resolveDistrict(text).code);
  if (query.region) for (const d of districtsOfRegion(query.region)) names.add(d.code);
  return [...names];
}

export function resolveCells(query: Pick<FilterQuery, 'h3'>): string[] | undefined {
  return query.h3?.map((cell) => parseCell(cell, 'h3'));
}

/** Check device ids against the registry (an unknown id is a 400 naming `device`, not an empty answer). */
export function checkDevices(ids: readonly string[] | undefined, devices: ReadonlyArray<Pick<DeviceInfo, 'id'>>): string[] | undefined {
  if (!ids) return undefined;
  const known = new Set(devices.map((d) => d.id));
  for (const id of ids) if (!known.has(id)) throw badParameter('device', `names no registered device: "${id}" (GET /api/v1/devices lists them)`);
  return [...ids];
}

/**
 * The filter as device ids: every attribute filter (device, district, region, road, kind, H3 cell) is
 * applied here to the device list, and the SQL filters on the ids. No filter → undefined (all devices).
 */
export function resolveDeviceFilter(query: FilterQuery, devices: readonly DeviceInfo[]): DeviceFilter {
  const ids = checkDevices(query.device, devices);
  const districts = resolveDistricts(query);
  const cells = resolveCells(query);
  if (!ids && !districts && !query.road && !query.kind && !cells) return {};
  const inCells = cells ? new Set(idsInCells(devices, cells)) : undefined;
  const idSet = ids ? new Set(ids) : undefined;
  const matching = devices.filter((d) =>
    (!idSet || idSet.has(d.id)) &&
    (!districts || (d.district !== null && districts.includes(d.district))) &&
    (!query.road || (d.road !== null && query.road.includes(d.road))) &&
    (!query.kind || query.kind.includes(d.kind)) &&
    (!inCells || inCells.has(d.id)));
  return { resolvedDeviceIds: matching.map((d) => d.id) };
}

export function resolveTimeOfDay(query: TimeOfDayQuery): TimeOfDayFilter {
  const days = new Set<number>();
  for (const d of query.day ?? []) {
    if (d === 'weekday') [1, 2, 3, 4, 5].forEach((n) => days.add(n));
    else if (d === 'weekend') [6, 7].forEach((n) => days.add(n));
    else days.add(Number(d));
  }
  return {
    hours: query.hour && query.hour.length > 0 ? [...new Set(query.hour)].sort((a, b) => a - b) : undefined,
    isoDays: days.size > 0 ? [...days].sort((a, b) => a - b) : undefined,
  };
}

/** Does a request need local-hour rows (so it cannot be answered from daily aggregates)? */
export const needsHourlyRows = (timeOfDay: TimeOfDayFilter): boolean => timeOfDay.hours !== undefined;
