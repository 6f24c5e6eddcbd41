import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { SW_CONNECTOR_CATALOGUE_INVALID } from '../errors.js';
import type { FeedSite } from '../feed.js';

/** The Transport Department's detector list, copied with its attribution into connectors/data/hk. */
export const TD_DETECTORS_CSV = fileURLToPath(new URL('../../data/hk/traffic_detectors.csv', import.meta.url));

export interface TdDetectorSite extends FeedSite {
  /** "Aberdeen Praya Road near Abba House - Eastbound", trimmed. */
  name: string;
  /** Road without landmark and bound: "Aberdeen Praya Road". */
  road: string;
  /** Direction of the traffic watched, as the list writes it: "South East". */
  direction: string;
}

const COLUMNS = ['AID_ID_Number', 'District', 'Road_EN', 'Latitude', 'Longitude', 'Direction'] as const;

/** "Tai Po Road - Ma Liu Shui near University MTR Station - Northbound (2)" → "Tai Po Road - Ma Liu Shui". */
export function roadOfDescription(description: string): string {
  const text = description.trim().replace(/\s*\(\d+\)$/, '').replace(/\s+-\s+\w+bound$/i, '');
  const near = text.indexOf(' near ');
  return (near >= 0 ? text.slice(0, near) : text).trim();
}

/**
 * Parse traffic_detectors.csv: it begins with a UTF-8 byte-order mark, some road names end in a space and
 * three hold a comma inside quotes, hence csv-parse with bom and trim rather than a split on commas.
 */
export function parseTdCatalogue(csvText: string, source = 'traffic_detectors.csv'): Map<string, TdDetectorSite> {
  let records: Array<Record<string, string>>;
  try {
    records = parse<Record<string, string>>(csvText, { bom: true, columns: true, trim: true, skip_empty_lines: true });
  } catch (err) {
    throw SW_CONNECTOR_CATALOGUE_INVALID([source, (err as Error).message], { cause: err });
  }
  const first = records[0];
  const missing = COLUMNS.filter((column) => first === undefined || !(column in first));
  if (missing.length > 0) throw SW_CONNECTOR_CATALOGUE_INVALID([source, `no column ${missing.join(', ')}`]);
  const sites = new Map<string, TdDetectorSite>();
  records.forEach((record, i) => {
    const siteId = (record.AID_ID_Number ?? '').trim();
    // Number('') is 0, a place in the sea off Africa: an empty coordinate must fail, not become 0.
    const latitude = record.Latitude ? Number(record.Latitude) : Number.NaN;
    const longitude = record.Longitude ? Number(record.Longitude) : Number.NaN;
    if (!siteId || !Number.isFinite(latitude) || !Number.isFinite(longitude)) throw SW_CONNECTOR_CATALOGUE_INVALID([source, `row ${i + 2}: id "${siteId}", latitude "${record.Latitude}", longitude "${record.Longitude}"`]);
    if (sites.has(siteId)) throw SW_CONNECTOR_CATALOGUE_INVALID([source, `row ${i + 2}: detector ${siteId} listed twice`]);
    // csv-parse's trim leaves spaces inside quotes ("…, Sha Tin - Southbound "), so trim again here.
    const name = (record.Road_EN ?? '').trim();
    sites.set(siteId, { siteId, name, district: (record.District ?? '').trim(), road: roadOfDescription(name), latitude, longitude, direction: (record.Direction ?? '').trim() });
  });
  return sites;
}

export function loadTdCatalogue(path = TD_DETECTORS_CSV): Map<string, TdDetectorSite> {
  return parseTdCatalogue(readFileSync(path, 'utf8'), path);
}
