/**
 * Hong Kong's 18 districts (Home Affairs Department boundaries, analytics/data/districts.geojson): the
 * canonical English name stored in devices.district, the Chinese name and the code letter. Resolves a
 * user's `district` parameter given in any of the three forms.
 */
import { readFileSync } from 'node:fs';

export interface District {
  /** Code letter A–T (no I or O), as in the source data. */
  code: string;
  /** English name, as stored in devices.district: "Central & Western". */
  nameEn: string;
  /** Traditional Chinese name: "中西區". */
  nameZh: string;
}

export type DistrictGeometry =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

export interface DistrictFeature {
  type: 'Feature';
  geometry: DistrictGeometry;
  properties: Record<string, string>;
}

/** Found from src/ (vitest) and dist/ (runtime) alike: both sit one level below analytics/. */
export const DISTRICTS_FILE = new URL('../data/districts.geojson', import.meta.url);

let cache: { districts: District[]; geometry: Map<string, DistrictGeometry> } | undefined;

function load(): NonNullable<typeof cache> {
  if (cache) return cache;
  const collection = JSON.parse(readFileSync(DISTRICTS_FILE, 'utf8')) as { features: DistrictFeature[] };
  const districts: District[] = [];
  const geometry = new Map<string, DistrictGeometry>();
  for (const feature of collection.features) {
    const p = feature.properties;
    const district = { code: p['地區號碼'] ?? '', nameEn: p['District'] ?? '', nameZh: p['地區'] ?? '' };
    districts.push(district);
    geometry.set(district.nameEn, feature.geometry);
  }
  cache = { districts, geometry };
  return cache;
}

export function listDistricts(): readonly District[] {
  return load().districts;
}

export function districtGeometry(nameEn: string): DistrictGeometry | undefined {
  return load().geometry.get(nameEn);
}

const normalise = (text: string) => text.trim().toLowerCase().replace(/\s+and\s+/g, ' & ').replace(/\s+/g, ' ');

/** The district named by an English name (any case; "and" for "&"), a Chinese name or a code letter. */
export function findDistrict(text: string): District | undefined {
  const wanted = normalise(text);
  return listDistricts().find(
    (d) => normalise(d.nameEn) === wanted || d.nameZh === text.trim() || d.code.toLowerCase() === wanted,
  );
}

/** The district by its canonical English name, e.g. for labelling a row grouped by devices.district. */
export function districtByEnglishName(nameEn: string): District | undefined {
  return listDistricts().find((d) => d.nameEn === nameEn);
}

/** The three regions planners speak of, by district code (Hong Kong Island A–D, Kowloon E–J, New Territories K–T). */
export const REGIONS = {
  'hong-kong-island': { nameEn: 'Hong Kong Island', nameZh: '香港島', codes: ['A', 'B', 'C', 'D'] },
  kowloon: { nameEn: 'Kowloon', nameZh: '九龍', codes: ['E', 'F', 'G', 'H', 'J'] },
  'new-territories': { nameEn: 'New Territories', nameZh: '新界', codes: ['K', 'L', 'M', 'N', 'P', 'Q', 'R', 'S', 'T'] },
} as const;
export type Region = keyof typeof REGIONS;
export const REGION_IDS = Object.keys(REGIONS) as Region[];

export function districtsOfRegion(region: Region): District[] {
  const codes: readonly string[] = REGIONS[region].codes;
  return listDistricts().filter((d) => codes.includes(d.code));
}
