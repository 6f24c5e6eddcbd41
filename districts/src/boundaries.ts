/**
 * The 18 official district polygons (data/districts.geojson, Home Affairs Department via DATA.GOV.HK):
 * read once on first use, then point-in-polygon lookups and the geometry for GeoJSON exports.
 */
import { readFileSync } from 'node:fs';
import { districtByCode } from './find-district.js';
import type { District, DistrictCode } from './district-table.js';
import { pointInPolygon, type Ring } from './point-in-polygon.js';

export type DistrictGeometry =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

export interface DistrictFeature {
  type: 'Feature';
  geometry: DistrictGeometry;
  properties: Record<string, string>;
}

/** Found from src/ (vitest) and dist/ (runtime) alike: both sit one level below districts/. */
export const DISTRICTS_FILE = new URL('../data/districts.geojson', import.meta.url);

interface Boundary {
  district: District;
  geometry: DistrictGeometry;
  /** Polygon parts, each an outer ring and its holes. */
  parts: readonly (readonly Ring[])[];
  /** [minLon, minLat, maxLon, maxLat]: skips the ray cast for most districts. */
  box: readonly [number, number, number, number];
}

let boundaries: Boundary[] | undefined;

/** The GeoJSON features as published (properties `地區號碼`, `District`, `地區`). */
export function readDistrictFeatures(): DistrictFeature[] {
  return (JSON.parse(readFileSync(DISTRICTS_FILE, 'utf8')) as { features: DistrictFeature[] }).features;
}

function load(): Boundary[] {
  if (boundaries) return boundaries;
  boundaries = readDistrictFeatures().map((feature) => {
    const code = feature.properties['地區號碼'] ?? '';
    const district = districtByCode(code);
    // The table and the file are kept in step by a test; a mismatch here is a broken checkout.
    if (!district) throw new Error(`${DISTRICTS_FILE.pathname}: feature code "${code}" is not in the district table`);
    const parts = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [lon = NaN, lat = NaN] of parts.flatMap((rings) => rings[0] ?? [])) {
      box[0] = Math.min(box[0], lon);
      box[1] = Math.min(box[1], lat);
      box[2] = Math.max(box[2], lon);
      box[3] = Math.max(box[3], lat);
    }
    return { district, geometry: feature.geometry, parts, box };
  });
  return boundaries;
}

/** Read the boundaries now (they are otherwise read on first use): a missing or broken file fails here. Returns how many. */
export function loadDistrictBoundaries(): number {
  return load().length;
}

/** The district whose official polygon holds the point (WGS84 degrees), or undefined outside all 18. */
export function districtAt(lon: number, lat: number): District | undefined {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return undefined;
  for (const b of load()) {
    if (lon < b.box[0] || lat < b.box[1] || lon > b.box[2] || lat > b.box[3]) continue;
    if (b.parts.some((rings) => pointInPolygon([lon, lat], rings))) return b.district;
  }
  return undefined;
}

/** The official boundary of a district by code letter, as GeoJSON geometry. */
export function districtGeometry(code: string): DistrictGeometry | undefined {
  return load().find((b) => b.district.code === (code as DistrictCode))?.geometry;
}

/** Polygon parts (outer ring then holes) of a district, for callers that place things inside it. */
export function districtPolygons(code: string): ReadonlyArray<ReadonlyArray<ReadonlyArray<readonly number[]>>> | undefined {
  return load().find((b) => b.district.code === (code as DistrictCode))?.parts;
}
