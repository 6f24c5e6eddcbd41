/**
 * The map's district layer, made at build time from the repository's only copy of the official boundaries
 * (districts/data/districts.geojson, @streetwise/districts): the polygons with plain property names
 * (code, nameEn, nameZh) and one label point per district, emitted as dist/data/districts.geojson and
 * dist/data/district-labels.geojson, and answered by the dev server at the same paths.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const SOURCE = fileURLToPath(new URL('../../../districts/data/districts.geojson', import.meta.url));

type Ring = [number, number][];
interface SourceFeature {
  type: 'Feature';
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
  properties: Record<string, string>;
}

/** Shoelace area and centroid of a ring (planar degrees: fine for placing a label in a district). */
function ringCentroid(ring: Ring): { area: number; lon: number; lat: number } {
  let area = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j]!;
    const [x1, y1] = ring[i]!;
    const cross = x0 * y1 - x1 * y0;
    area += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  area /= 2;
  return area === 0 ? { area: 0, lon: ring[0]![0], lat: ring[0]![1] } : { area: Math.abs(area), lon: cx / (6 * area), lat: cy / (6 * area) };
}

/** The label goes at the centroid of the district's largest outer ring. */
function labelPoint(feature: SourceFeature): [number, number] {
  const outers = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates[0]!] : feature.geometry.coordinates.map((polygon) => polygon[0]!);
  const best = outers.map(ringCentroid).sort((a, b) => b.area - a.area)[0]!;
  return [Number(best.lon.toFixed(5)), Number(best.lat.toFixed(5))];
}

export function buildDistrictAssets(): { polygons: string; labels: string } {
  const source = JSON.parse(readFileSync(SOURCE, 'utf8')) as { features: SourceFeature[] };
  const props = (feature: SourceFeature) => ({ code: feature.properties['地區號碼'], nameEn: feature.properties['District'], nameZh: feature.properties['地區'] });
  const polygons = { type: 'FeatureCollection', features: source.features.map((feature) => ({ type: 'Feature', geometry: feature.geometry, properties: props(feature) })) };
  const labels = {
    type: 'FeatureCollection',
    features: source.features.map((feature) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: labelPoint(feature) }, properties: props(feature) })),
  };
  return { polygons: JSON.stringify(polygons), labels: JSON.stringify(labels) };
}

export function districtAssets(): Plugin {
  let assets: { polygons: string; labels: string } | undefined;
  const get = () => (assets ??= buildDistrictAssets());
  return {
    name: 'streetwise-district-assets',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const file = request.url === '/data/districts.geojson' ? get().polygons : request.url === '/data/district-labels.geojson' ? get().labels : undefined;
        if (file === undefined) return next();
        response.setHeader('content-type', 'application/geo+json');
        response.end(file);
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'data/districts.geojson', source: get().polygons });
      this.emitFile({ type: 'asset', fileName: 'data/district-labels.geojson', source: get().labels });
    },
  };
}
