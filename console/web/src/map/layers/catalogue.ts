/**
 * The map layers a user can switch on, each a GeoJSON source and its maplibre layers. Pure: no maplibre
 * object, no fetch (the render tests build the same layers from fixture data).
 *
 * Every figure comes from the console's API, never computed here:
 * - congestion: GET /analytics/speed per device over the last hour (congestionIndex = speed / free flow);
 * - crowd: GET /analytics/footfall per device over the last hour, drawn as a heat map of people counted;
 * - hotspots: GET /analytics/incidents/hotspots over the last 7 days, H3 hexagons (the API draws them);
 * - coverage: GET /devices/geojson, a circle of each device's nominal coverage radius (by kind).
 * The first three are planners' analytics (planner and admin roles, as the API's role matrix says);
 * coverage reads the fleet, which every role may read.
 */
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import type { Role } from '../../api/types.js';
import type { Theme } from '../../theme/tokens.js';

export const MAP_LAYERS = ['congestion', 'crowd', 'hotspots', 'coverage'] as const;
export type MapLayerId = (typeof MAP_LAYERS)[number];

const PLANNERS: readonly Role[] = ['planner', 'admin'];
const EVERYONE: readonly Role[] = ['viewer', 'operator', 'planner', 'admin'];

/** Who may switch a layer on: the roles its API route lets in. */
export const LAYER_ROLES: Record<MapLayerId, readonly Role[]> = { congestion: PLANNERS, crowd: PLANNERS, hotspots: PLANNERS, coverage: EVERYONE };

export const LAST_HOUR_MS = 3_600_000;
export const HOTSPOT_WINDOW_MS = 7 * 86_400_000;
export const HOTSPOT_H3_RESOLUTION = 8;

/** The API path each layer's data comes from, for a moment `now`. */
export function layerDataPath(layer: MapLayerId, now: Date): string {
  const range = (ms: number) => `from=${new Date(now.getTime() - ms).toISOString()}&to=${now.toISOString()}`;
  switch (layer) {
    case 'congestion':
      return `/api/v1/analytics/speed?groupBy=device&bucket=all&${range(LAST_HOUR_MS)}&limit=10000&format=geojson`;
    case 'crowd':
      return `/api/v1/analytics/footfall?groupBy=device&bucket=all&${range(LAST_HOUR_MS)}&limit=10000&format=geojson`;
    case 'hotspots':
      return `/api/v1/analytics/incidents/hotspots?${range(HOTSPOT_WINDOW_MS)}&h3Resolution=${HOTSPOT_H3_RESOLUTION}&limit=10000&format=geojson`;
    case 'coverage':
      return '/api/v1/devices/geojson';
  }
}

/** Congestion index (speed / free-flow speed) bands: below 0.4 jammed, 0.4–0.7 slow, above free-flowing. */
export const CONGESTION_COLOURS = { jammed: '#d7301f', slow: '#f59e0b', free: '#22a06b', unknown: '#8a96a3' } as const;
/**
 * Nominal coverage radius of a device by kind (protocol's DEVICE_KINDS), in metres: what a camera watches
 * of a street, the stretch a loop detector measures, the area a sensor's reading stands for. The registry
 * has no per-device radius; these say "roughly covered", not a survey.
 */
export const COVERAGE_RADIUS_M: Record<string, number> = { camera: 120, multi: 120, loop_detector: 40, air_quality: 250, noise: 100 };
export const DEFAULT_COVERAGE_RADIUS_M = 60;
export const HOTSPOT_COLOURS = ['#fde68a', '#f59e0b', '#dc2626'] as const;

export const sourceIdOf = (layer: MapLayerId): string => `layer-${layer}`;

/** Pixels per metre at the equator doubles each zoom: radius in pixels = metres / (metres per pixel). */
function metresToPixels(metres: ExpressionSpecification | number, latitudeDeg = 22.3): ExpressionSpecification {
  const metresPerPixelZ0 = 78271.517 * Math.cos((latitudeDeg * Math.PI) / 180); // 512-px tiles
  return ['interpolate', ['exponential', 2], ['zoom'], 0, ['/', metres, metresPerPixelZ0], 22, ['/', ['*', metres, 2 ** 22], metresPerPixelZ0]];
}

const coverageRadius: ExpressionSpecification = ['match', ['get', 'kind'], ...Object.entries(COVERAGE_RADIUS_M).flat(), DEFAULT_COVERAGE_RADIUS_M] as unknown as ExpressionSpecification;

/** The maplibre layers of a map layer, drawn from its source (`sourceIdOf`). */
export function layerSpecs(layer: MapLayerId, theme: Theme): LayerSpecification[] {
  const source = sourceIdOf(layer);
  const halo = theme === 'dark' ? '#0b2233' : '#ffffff';
  switch (layer) {
    case 'congestion':
      return [{
        id: 'layer-congestion', type: 'circle', source,
        // Drawn under the device points, a little larger: a coloured ring around each detector's own dot.
        paint: {
          'circle-radius': 10,
          'circle-color': ['case', ['==', ['typeof', ['get', 'congestionIndex']], 'number'],
            ['step', ['get', 'congestionIndex'], CONGESTION_COLOURS.jammed, 0.4, CONGESTION_COLOURS.slow, 0.7, CONGESTION_COLOURS.free], CONGESTION_COLOURS.unknown],
          'circle-stroke-color': halo,
          'circle-stroke-width': 1.5,
        },
      }];
    case 'crowd':
      return [{
        id: 'layer-crowd', type: 'heatmap', source,
        paint: {
          'heatmap-weight': ['interpolate', ['linear'], ['coalesce', ['get', 'persons'], 0], 0, 0, 500, 1],
          'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 9, 1, 15, 3],
          'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 9, 20, 15, 60],
          'heatmap-color': ['interpolate', ['linear'], ['heatmap-density'], 0, 'rgba(0,0,0,0)', 0.2, '#5e3c99', 0.5, '#b2abd2', 0.8, '#fdb863', 1, '#e66101'],
          'heatmap-opacity': 0.8,
        },
      }];
    case 'hotspots':
      return [
        {
          id: 'layer-hotspots', type: 'fill', source,
          paint: {
            'fill-color': ['interpolate', ['linear'], ['coalesce', ['get', 'incidents'], 0], 1, HOTSPOT_COLOURS[0], 5, HOTSPOT_COLOURS[1], 20, HOTSPOT_COLOURS[2]],
            'fill-opacity': 0.55,
          },
        },
        { id: 'layer-hotspots-line', type: 'line', source, paint: { 'line-color': HOTSPOT_COLOURS[2], 'line-width': 1 } },
      ];
    case 'coverage':
      return [{
        id: 'layer-coverage', type: 'circle', source,
        paint: {
          'circle-radius': metresToPixels(coverageRadius),
          'circle-color': theme === 'dark' ? '#4da3ff' : '#1f6feb',
          'circle-opacity': 0.18,
          'circle-stroke-color': theme === 'dark' ? '#4da3ff' : '#1f6feb',
          'circle-stroke-width': 1,
          'circle-stroke-opacity': 0.6,
          'circle-pitch-alignment': 'map',
        },
      }];
  }
}

/** Layers the role may switch on, in the control's order. */
export const layersFor = (role: Role | undefined): MapLayerId[] => MAP_LAYERS.filter((layer) => role !== undefined && LAYER_ROLES[layer].includes(role));
