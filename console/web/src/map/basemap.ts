/**
 * The basemap under the live map. GET /api/v1/map/config says which one (the console's MAP_STYLE /
 * MAP_PMTILES settings):
 * - offline: the built-in districts map (style.ts) and nothing else;
 * - pmtiles: the console's Protomaps file through the `pmtiles` protocol (HTTP Range requests), drawn by
 *   the Protomaps layers below (earth, water, roads, places of the Protomaps basemap schema), with the
 *   "© OpenStreetMap" attribution its data requires;
 * - style: a MapLibre style URL, fetched here, with the devices and incidents added on top of its layers.
 * Text: the built-in layers set no `glyphs`, so place names are drawn with the browser's local fonts like
 * the offline style's labels (no glyph or sprite files to serve; the Protomaps layers use no icons).
 */
import { addProtocol, type LayerSpecification, type StyleSpecification } from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import { api } from '../api/client.js';
import type { Theme } from '../theme/tokens.js';
import { LABEL_FONT } from './style.js';

export const BASEMAP_KINDS = ['offline', 'style', 'pmtiles'] as const;
export type BasemapKind = (typeof BASEMAP_KINDS)[number];

export interface MapConfig {
  basemap: BasemapKind;
  styleUrl: string | null;
  pmtilesUrl: string | null;
  attribution: string | null;
}

export const OFFLINE_CONFIG: MapConfig = { basemap: 'offline', styleUrl: null, pmtilesUrl: null, attribution: null };
export const BASEMAP_SOURCE = 'basemap';

/** The map config, or the offline map when the console cannot say (the map must still draw). */
export async function loadMapConfig(): Promise<MapConfig> {
  try {
    return await api<MapConfig>('GET', '/map/config');
  } catch (error) {
    console.error('map config unavailable; drawing the offline map', error);
    return OFFLINE_CONFIG;
  }
}

/** Protomaps basemap colours per theme (close to its "dark" and "light" flavours). */
export const BASEMAP_COLOURS: Record<Theme, { earth: string; water: string; road: string; roadCasing: string; place: string; placeHalo: string }> = {
  dark: { earth: '#1f2a33', water: '#0a3a5c', road: '#8a7a55', roadCasing: '#141b21', place: '#dfe7ee', placeHalo: '#0b2233' },
  light: { earth: '#eef0e6', water: '#80c4e8', road: '#f2c463', roadCasing: '#c9a24b', place: '#1f2a33', placeHalo: '#ffffff' },
};

/** Layers for the Protomaps basemap schema's `earth`, `water`, `roads` and `places` source layers. */
export function protomapsLayers(theme: Theme): LayerSpecification[] {
  const c = BASEMAP_COLOURS[theme];
  return [
    { id: 'basemap-earth', type: 'fill', source: BASEMAP_SOURCE, 'source-layer': 'earth', paint: { 'fill-color': c.earth } },
    { id: 'basemap-water', type: 'fill', source: BASEMAP_SOURCE, 'source-layer': 'water', paint: { 'fill-color': c.water } },
    {
      id: 'basemap-roads-casing', type: 'line', source: BASEMAP_SOURCE, 'source-layer': 'roads',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': c.roadCasing, 'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 6, 1.5, 16, 14] },
    },
    {
      id: 'basemap-roads', type: 'line', source: BASEMAP_SOURCE, 'source-layer': 'roads',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': c.road,
        'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 6, ['match', ['get', 'kind'], 'highway', 1, 0.5], 16, ['match', ['get', 'kind'], 'highway', 10, 6]],
      },
    },
    {
      id: 'basemap-places', type: 'symbol', source: BASEMAP_SOURCE, 'source-layer': 'places',
      layout: { 'text-field': ['coalesce', ['get', 'name'], ''], 'text-font': LABEL_FONT, 'text-size': 12 },
      paint: { 'text-color': c.place, 'text-halo-color': c.placeHalo, 'text-halo-width': 1.2 },
    },
  ];
}

/** Layer ids of the Protomaps layers and their theme paint, for switching theme in place. */
export function basemapThemePaint(theme: Theme): Array<[layer: string, property: 'fill-color' | 'line-color' | 'text-color' | 'text-halo-color', value: string]> {
  const c = BASEMAP_COLOURS[theme];
  return [
    ['basemap-earth', 'fill-color', c.earth],
    ['basemap-water', 'fill-color', c.water],
    ['basemap-roads-casing', 'line-color', c.roadCasing],
    ['basemap-roads', 'line-color', c.road],
    ['basemap-places', 'text-color', c.place],
    ['basemap-places', 'text-halo-color', c.placeHalo],
  ];
}

let protocolAdded = false;

/** The offline style with the console's Protomaps file under its districts (their fill made clear). */
export function withProtomaps(offline: StyleSpecification, pmtilesUrl: string, attribution: string, theme: Theme): StyleSpecification {
  if (!protocolAdded) {
    addProtocol('pmtiles', new Protocol().tile);
    protocolAdded = true;
  }
  const absolute = new URL(pmtilesUrl, window.location.href).href;
  const [background, ...rest] = offline.layers;
  return {
    ...offline,
    sources: { ...offline.sources, [BASEMAP_SOURCE]: { type: 'vector', url: `pmtiles://${absolute}`, attribution } },
    layers: [background!, ...protomapsLayers(theme), ...rest.map(clearDistrictFill)],
  };
}

/** On a real basemap the districts keep their lines and names; their fill would hide the land. */
function clearDistrictFill(layer: LayerSpecification): LayerSpecification {
  return layer.id === 'district-fill' && layer.type === 'fill' ? { ...layer, paint: { ...layer.paint, 'fill-opacity': 0 } } : layer;
}

/** A style URL's own JSON, with our sources and layers (but not our background) on top. */
export async function withStyleUrl(offline: StyleSpecification, styleUrl: string): Promise<StyleSpecification> {
  const response = await fetch(styleUrl);
  if (!response.ok) throw new Error(`the basemap style ${styleUrl} answered ${response.status}`);
  const base = absoluteUrls((await response.json()) as StyleSpecification, styleUrl);
  return {
    ...base,
    sources: { ...base.sources, ...offline.sources },
    layers: [...base.layers, ...offline.layers.filter((layer) => layer.id !== 'background').map(clearDistrictFill)],
  };
}

/** A style's relative URLs (sprite, glyphs, source URLs and tiles) read against the style's own URL. */
function absoluteUrls(style: StyleSpecification, base: string): StyleSpecification {
  const resolve = (value: string) =>
    /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : new URL(value, base).href.replace(/%7B/g, '{').replace(/%7D/g, '}');
  const sources = Object.fromEntries(
    Object.entries(style.sources).map(([id, source]) => {
      const next: Record<string, unknown> = { ...source };
      if (typeof next['url'] === 'string') next['url'] = resolve(next['url']);
      if (Array.isArray(next['tiles'])) next['tiles'] = (next['tiles'] as string[]).map(resolve);
      if (typeof next['data'] === 'string') next['data'] = resolve(next['data']);
      return [id, next];
    }),
  ) as StyleSpecification['sources'];
  return {
    ...style,
    sources,
    ...(typeof style.sprite === 'string' ? { sprite: resolve(style.sprite) } : {}),
    ...(style.glyphs ? { glyphs: resolve(style.glyphs) } : {}),
  };
}

/** The whole style for a map config: the offline one, or it on a basemap. Falls back to offline on failure. */
export async function styleFor(config: MapConfig, offline: StyleSpecification, theme: Theme): Promise<StyleSpecification> {
  try {
    if (config.basemap === 'pmtiles' && config.pmtilesUrl) return withProtomaps(offline, config.pmtilesUrl, config.attribution ?? '© OpenStreetMap', theme);
    if (config.basemap === 'style' && config.styleUrl) return await withStyleUrl(offline, config.styleUrl);
  } catch (error) {
    console.error('basemap unavailable; drawing the offline map', error);
  }
  return offline;
}
