/**
 * The basemap's settings, shared by every program that serves the console (`npm start`, the console's own
 * main): spread into the program's settings table. Neither set: the offline map (districts only).
 */
import { existsSync, statSync } from 'node:fs';
import { text, url } from '@streetwise/settings';
import type { BasemapOptions } from '../routes/basemap.js';

export const MAP_SETTINGS = {
  mapStyle: {
    env: 'MAP_STYLE', flag: '--map-style',
    description: 'a MapLibre style URL the browser loads as the basemap instead of the offline map (devices and incidents are drawn on top)',
    parse: url(['http', 'https']),
  },
  mapPmtiles: {
    env: 'MAP_PMTILES', flag: '--map-pmtiles',
    description: 'a Protomaps .pmtiles file the console serves at /basemap/tiles.pmtiles and draws as the basemap (ignored when MAP_STYLE is set)',
    parse: text,
  },
} as const;

/** A PMTiles file that is not there is reported like a bad value (`SETTING | value | expected`). */
export function mapSettingProblems(settings: { mapPmtiles?: string | undefined }): string[] {
  const file = settings.mapPmtiles;
  if (file === undefined || (existsSync(file) && statSync(file).isFile())) return [];
  return [`MAP_PMTILES | ${JSON.stringify(file)} | an existing .pmtiles file`];
}

export function basemapOptionsFrom(settings: { mapStyle?: string | undefined; mapPmtiles?: string | undefined }): BasemapOptions {
  if (settings.mapStyle) return { style: settings.mapStyle };
  if (settings.mapPmtiles) return { pmtiles: settings.mapPmtiles };
  return {};
}
