import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { districtPolygons, findDistrict, listDistricts } from '@streetwise/districts';
import { SW_SIM_DATA_INVALID, SW_SIM_DATA_MISSING } from '../errors.js';
import { parseCsv } from './csv.js';
import type { LonLat, Ring } from './geo.js';

/**
 * The open-data files copied into simulators/data/hk (see the README there for attribution); the
 * district boundaries come from @streetwise/districts, the repository's one copy.
 */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../data/hk/', import.meta.url));

export interface DistrictShape {
  /** District Council code, A–T. */
  code: string;
  nameEn: string;
  nameTc: string;
  /** Outer ring and holes of each polygon part. */
  polygons: Ring[][];
}

export interface DetectorSite {
  id: string;
  district: string;
  /** Full description as published, trimmed: "Waterloo Road near Warwick Road - Northbound". */
  descriptionEn: string;
  descriptionTc: string;
  /** Road name without the landmark and direction: "Waterloo Road". */
  road: string;
  /** "Northbound", "Eastbound" … when the description says so. */
  bound: string | undefined;
  location: LonLat;
  /** Compass bearing of the traffic the detector watches, degrees. */
  rotationDeg: number;
}

export interface AqStation {
  name: string;
  location: LonLat;
}

export interface HkData {
  districts: DistrictShape[];
  detectors: DetectorSite[];
  aqStations: AqStation[];
}

function readText(dir: string, file: string): string {
  try {
    return readFileSync(`${dir}/${file}`, 'utf8');
  } catch (err) {
    throw SW_SIM_DATA_MISSING([`${dir}/${file}`, (err as Error).message], { cause: err });
  }
}

/** "Central and Western" is written both ways in the detector list: the official English name for any spelling findDistrict knows. */
export function normaliseDistrictName(name: string): string {
  return findDistrict(name)?.nameEn ?? name.trim();
}

/** Split "Tai Po Road - Ma Liu Shui near University MTR Station - Northbound (2)" into road and bound. */
export function parseDetectorRoad(description: string): { road: string; bound: string | undefined } {
  let text = description.trim().replace(/\s*\(\d+\)$/, '');
  let bound: string | undefined;
  const boundMatch = /\s+-\s+(\w+bound)$/i.exec(text);
  if (boundMatch) {
    bound = boundMatch[1];
    text = text.slice(0, boundMatch.index);
  }
  const near = text.indexOf(' near ');
  const road = (near >= 0 ? text.slice(0, near) : text).trim();
  return { road, bound };
}

function officialDistricts(): DistrictShape[] {
  return listDistricts().map((d) => {
    const polygons = districtPolygons(d.code) as Ring[][] | undefined;
    if (!polygons) throw SW_SIM_DATA_INVALID(['@streetwise/districts', `no boundary for district ${d.code}`]);
    return { code: d.code, nameEn: d.nameEn, nameTc: d.nameZh, polygons };
  });
}

function parseDetectors(text: string): DetectorSite[] {
  const [head, ...rows] = parseCsv(text);
  const col = (name: string): number => {
    const index = head?.indexOf(name) ?? -1;
    if (index < 0) throw SW_SIM_DATA_INVALID(['traffic_detectors.csv', `no column ${name}`]);
    return index;
  };
  const [cId, cDistrict, cEn, cTc, cLat, cLon, cRot] = ['AID_ID_Number', 'District', 'Road_EN', 'Road_TC', 'Latitude', 'Longitude', 'Rotation'].map(col) as [
    number, number, number, number, number, number, number,
  ];
  return rows.map((row, i) => {
    const lat = Number(row[cLat]);
    const lon = Number(row[cLon]);
    const id = row[cId]?.trim() ?? '';
    if (!id || !Number.isFinite(lat) || !Number.isFinite(lon)) throw SW_SIM_DATA_INVALID(['traffic_detectors.csv', `row ${i + 2}`]);
    const descriptionEn = (row[cEn] ?? '').trim();
    return {
      id,
      district: normaliseDistrictName(row[cDistrict] ?? ''),
      descriptionEn,
      descriptionTc: (row[cTc] ?? '').trim(),
      ...parseDetectorRoad(descriptionEn),
      location: [lon, lat] as const,
      rotationDeg: Number(row[cRot]) || 0,
    };
  });
}

function parseAqStations(text: string): AqStation[] {
  const [, ...rows] = parseCsv(text);
  return rows.map((row, i) => {
    const lat = Number(row[1]);
    const lon = Number(row[2]);
    if (!row[0] || !Number.isFinite(lat) || !Number.isFinite(lon)) throw SW_SIM_DATA_INVALID(['aqhi_stations.csv', `row ${i + 2}`]);
    return { name: row[0].trim(), location: [lon, lat] as const };
  });
}

const cache = new Map<string, HkData>();

/** Read and parse the two files once per directory (and take the districts from @streetwise/districts). */
export function loadHkData(dir = DEFAULT_DATA_DIR): HkData {
  const hit = cache.get(dir);
  if (hit) return hit;
  const data = {
    districts: officialDistricts(),
    detectors: parseDetectors(readText(dir, 'traffic_detectors.csv')),
    aqStations: parseAqStations(readText(dir, 'aqhi_stations.csv')),
  };
  cache.set(dir, data);
  return data;
}
