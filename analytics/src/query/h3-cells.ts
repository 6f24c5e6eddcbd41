/**
 * H3 hexagons (resolutions 7–9, about 5.2 km², 0.74 km² and 0.11 km² per cell): validating a cell id from
 * a request, placing devices and incidents in cells, and cell outlines for GeoJSON. The database has no
 * H3 functions, so cells are computed here from latitude/longitude.
 */
import { cellToBoundary, getResolution, isValidCell, latLngToCell } from 'h3-js';
import { SW_ANALYTICS_H3_INVALID, SW_ANALYTICS_H3_RESOLUTION } from '../errors.js';

export const H3_MIN_RESOLUTION = 7;
export const H3_MAX_RESOLUTION = 9;
export const H3_DEFAULT_RESOLUTION = 8;

/** Check a cell id from a request: a valid H3 cell at a supported resolution (lower-case hex). */
export function parseCell(text: string, parameter = 'h3'): string {
  const cell = text.trim().toLowerCase();
  if (!/^[0-9a-f]{15}$/.test(cell) || !isValidCell(cell)) throw SW_ANALYTICS_H3_INVALID([text], { parameter });
  const resolution = getResolution(cell);
  if (resolution < H3_MIN_RESOLUTION || resolution > H3_MAX_RESOLUTION) {
    throw SW_ANALYTICS_H3_RESOLUTION([resolution, H3_MIN_RESOLUTION, H3_MAX_RESOLUTION], { parameter });
  }
  return cell;
}

export function checkResolution(resolution: number, parameter = 'h3Resolution'): number {
  if (!Number.isInteger(resolution) || resolution < H3_MIN_RESOLUTION || resolution > H3_MAX_RESOLUTION) {
    throw SW_ANALYTICS_H3_RESOLUTION([resolution, H3_MIN_RESOLUTION, H3_MAX_RESOLUTION], { parameter });
  }
  return resolution;
}

export function cellOf(lat: number, lon: number, resolution: number): string {
  return latLngToCell(lat, lon, resolution);
}

export interface Located {
  id: string;
  lat: number | null;
  lon: number | null;
}

/** The ids of the items that stand in any of the cells (cells may mix resolutions). */
export function idsInCells(items: readonly Located[], cells: readonly string[]): string[] {
  const wanted = new Set(cells);
  const resolutions = [...new Set(cells.map((c) => getResolution(c)))];
  return items
    .filter((item) => item.lat !== null && item.lon !== null &&
      resolutions.some((r) => wanted.has(latLngToCell(item.lat as number, item.lon as number, r))))
    .map((item) => item.id);
}

/** The cell outline as a closed GeoJSON ring ([lon, lat] pairs). */
export function cellPolygon(cell: string): { type: 'Polygon'; coordinates: number[][][] } {
  return { type: 'Polygon', coordinates: [cellToBoundary(cell, true)] };
}
