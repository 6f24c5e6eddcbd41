/**
 * A hex choropleth of motor vehicles per H3 cell (resolution 8) over the chosen range, on a small offline
 * map of the districts. The hexagons come from the API (GET /analytics/volume?groupBy=h3&format=geojson:
 * the server draws the cells' boundaries with h3-js), so the browser carries no H3 library. Clicking a
 * cell makes it the dashboards' H3 filter; clicking it again clears the filter.
 */
import { Map as MaplibreMap, type GeoJSONSource, type MapLayerMouseEvent } from 'maplibre-gl';
// The map module sets maplibre's worker URL when it loads (it is imported by the app in any view).
import '../map/live-map.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n/i18n.js';
import { DISTRICT_ATTRIBUTION, HONG_KONG_BOUNDS } from '../map/style.js';
import { theme } from '../theme/theme.js';
import { TOKENS } from '../theme/tokens.js';
import { analyticsUrl } from './analytics-query.js';
import { CsvButton } from './csv-button.js';
import { district, h3Cell, range, rangeParams } from './filters.js';

interface HexCollection {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; geometry: unknown; properties: { group: string; motorVehicles: number } }>;
}

export interface PageWithChoropleth {
  streetwiseChoropleth?: MaplibreMap;
}

export function HexChoroplethCard() {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MaplibreMap | null>(null);
  const [ready, setReady] = useState(false);
  const [cells, setCells] = useState<HexCollection['features']>([]);
  const [error, setError] = useState<string | undefined>();
  const r = range.value;
  // The choropleth is the H3 selector, so it is not itself filtered by the chosen cell.
  const url = analyticsUrl('volume', { ...rangeParams(r), bucket: 'all', groupBy: 'h3', h3Resolution: '8', district: district.value || undefined, limit: '10000' });

  useEffect(() => {
    if (!container.current) return;
    const colours = TOKENS[theme.value];
    const created = new MaplibreMap({
      container: container.current,
      style: {
        version: 8,
        sources: {
          districts: { type: 'geojson', data: '/data/districts.geojson', attribution: DISTRICT_ATTRIBUTION },
          hexes: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
        },
        layers: [
          { id: 'background', type: 'background', paint: { 'background-color': colours.mapBackground } },
          { id: 'district-fill', type: 'fill', source: 'districts', paint: { 'fill-color': colours.mapDistrictFill } },
          { id: 'district-line', type: 'line', source: 'districts', paint: { 'line-color': colours.mapDistrictLine, 'line-width': 0.8 } },
          {
            id: 'hex-fill',
            type: 'fill',
            source: 'hexes',
            paint: {
              'fill-color': ['interpolate', ['linear'], ['get', 'level'], 0, '#fde68a', 0.5, '#f97316', 1, '#7f1d1d'],
              'fill-opacity': 0.8,
            },
          },
          { id: 'hex-line', type: 'line', source: 'hexes', paint: { 'line-color': ['case', ['get', 'selected'], '#ffffff', '#00000055'], 'line-width': ['case', ['get', 'selected'], 3, 0.5] } },
        ],
      },
      bounds: HONG_KONG_BOUNDS,
      attributionControl: { compact: true },
    });
    created.on('load', () => setReady(true));
    created.on('click', 'hex-fill', (e: MapLayerMouseEvent) => {
      const cell: unknown = e.features?.[0]?.properties?.['group'];
      if (typeof cell === 'string') h3Cell.value = h3Cell.value === cell ? '' : cell;
    });
    created.on('mouseenter', 'hex-fill', () => (created.getCanvas().style.cursor = 'pointer'));
    created.on('mouseleave', 'hex-fill', () => (created.getCanvas().style.cursor = ''));
    map.current = created;
    (globalThis as PageWithChoropleth).streetwiseChoropleth = created;
    return () => {
      created.remove();
      map.current = null;
    };
  }, []);

  useEffect(() => {
    let current = true;
    setError(undefined);
    fetch(`${url}&format=geojson`, { credentials: 'same-origin' })
      .then(async (response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return (await response.json()) as HexCollection;
      })
      .then((collection) => current && setCells(collection.features))
      .catch((err: unknown) => current && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      current = false;
    };
  }, [url]);

  const max = Math.max(0, ...cells.map((c) => c.properties.motorVehicles));
  const selected = h3Cell.value;
  useEffect(() => {
    if (!ready || !map.current) return;
    const features = cells.map((c) => ({ ...c, properties: { ...c.properties, level: max > 0 ? c.properties.motorVehicles / max : 0, selected: c.properties.group === selected } }));
    void (map.current.getSource('hexes') as GeoJSONSource).setData({ type: 'FeatureCollection', features } as GeoJSON.FeatureCollection);
  }, [ready, cells, selected, max]);

  // Zoom to the cells that have data (a resolution-8 hexagon is under a kilometre across).
  useEffect(() => {
    if (!ready || !map.current || cells.length === 0) return;
    const points = cells.flatMap((c) => ((c.geometry as { coordinates?: number[][][] } | null)?.coordinates?.[0] ?? []));
    if (points.length === 0) return;
    const lons = points.map((p) => p[0]!);
    const lats = points.map((p) => p[1]!);
    map.current.fitBounds([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)], { padding: 40, maxZoom: 13, duration: 0 });
  }, [ready, cells]);

  return (
    <section class="dash-card wide" aria-labelledby="hex-title" data-testid="hex-card">
      <header class="dash-card-head">
        <h2 id="hex-title">{t('planning.hexMap')}</h2>
        <CsvButton url={url} name="volume-by-h3" testId="hex-csv" />
      </header>
      {error && <p class="problem" role="alert">{error}</p>}
      <div class="hex-map" ref={container} data-testid="hex-map" data-cells={JSON.stringify(cells.map((c) => [c.properties.group, c.properties.motorVehicles]))} aria-label={t('planning.hexMapLabel', { cells: cells.length })} role="img" />
      <p class="muted small">{t('planning.hexLegend', { max: Math.round(max) })}</p>
    </section>
  );
}
