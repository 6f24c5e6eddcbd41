/**
 * Builds the hand-made Protomaps fixture (tests/render/basemap-pmtiles/tiles.pmtiles): zooms 0–2, every
 * tile with an `earth` square, one `water` rectangle and one `roads` line near Hong Kong, and a `places`
 * point, in the Protomaps basemap's layer names, so the console's built-in basemap style draws it.
 * Run it again only to change the fixture: `node tests/dist/render/make-pmtiles.js`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeTile, TILE_EXTENT, type TileLayer } from './mvt.js';
import { writeArchive, type ArchiveTile } from './pmtiles-writer.js';

/** [west, south, east, north] of the water rectangle: the browser test looks for the water colour inside it. */
export const FIXTURE_WATER: [number, number, number, number] = [113.9, 22.2, 114.3, 22.3];
/** The road: a west–east line at this latitude. */
export const FIXTURE_ROAD = { lat: 22.42, west: 113.9, east: 114.35 };
export const FIXTURE_PLACE = { lon: 114.17, lat: 22.33, name: 'Fixture Harbour' };
export const FIXTURE_MAX_ZOOM = 2;
export const FIXTURE_FILE = fileURLToPath(new URL('../../render/basemap-pmtiles/tiles.pmtiles', import.meta.url));

/** Web Mercator: degrees to this tile's coordinates (0..4096 inside the tile), clamped a little outside it. */
function toTile(z: number, x: number, y: number, lon: number, lat: number): [number, number] {
  const scale = (1 << z) * TILE_EXTENT;
  const wx = ((lon + 180) / 360) * scale;
  const rad = (lat * Math.PI) / 180;
  const wy = ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * scale;
  const clamp = (v: number) => Math.max(-128, Math.min(TILE_EXTENT + 128, v));
  return [clamp(wx - x * TILE_EXTENT), clamp(wy - y * TILE_EXTENT)];
}

const inside = ([px, py]: [number, number]) => px > -128 && px < TILE_EXTENT + 128 && py > -128 && py < TILE_EXTENT + 128;

function tileLayers(z: number, x: number, y: number): TileLayer[] {
  const at = (lon: number, lat: number) => toTile(z, x, y, lon, lat);
  const [w, s, e, n] = FIXTURE_WATER;
  // Axis-aligned shapes: clamping their corners to the tile is an exact clip.
  const water = [at(w, n), at(e, n), at(e, s), at(w, s)];
  const road = [at(FIXTURE_ROAD.west, FIXTURE_ROAD.lat), at(FIXTURE_ROAD.east, FIXTURE_ROAD.lat)];
  const place = at(FIXTURE_PLACE.lon, FIXTURE_PLACE.lat);
  const hasArea = (ring: Array<[number, number]>) => new Set(ring.map(([px]) => px)).size > 1 && new Set(ring.map(([, py]) => py)).size > 1;
  return [
    { name: 'earth', features: [{ geometry: { type: 'Polygon', ring: [[0, 0], [TILE_EXTENT, 0], [TILE_EXTENT, TILE_EXTENT], [0, TILE_EXTENT]] }, properties: { kind: 'earth' } }] },
    { name: 'water', features: hasArea(water) ? [{ geometry: { type: 'Polygon', ring: water }, properties: { kind: 'water' } }] : [] },
    { name: 'roads', features: road[0]![0] !== road[1]![0] && inside([road[0]![0], road[0]![1]]) ? [{ geometry: { type: 'LineString', points: road }, properties: { kind: 'highway' } }] : [] },
    { name: 'places', features: inside(place) && place[0] > 0 && place[0] < TILE_EXTENT && place[1] > 0 && place[1] < TILE_EXTENT ? [{ geometry: { type: 'Point', points: [place] }, properties: { kind: 'locality', name: FIXTURE_PLACE.name } }] : [] },
  ];
}

export function buildFixtureArchive(): Uint8Array {
  const tiles: ArchiveTile[] = [];
  for (let z = 0; z <= FIXTURE_MAX_ZOOM; z++) {
    for (let x = 0; x < 1 << z; x++) for (let y = 0; y < 1 << z; y++) tiles.push({ z, x, y, data: encodeTile(tileLayers(z, x, y)) });
  }
  return writeArchive({
    tiles,
    metadata: {
      name: 'Streetwise test basemap',
      attribution: '© OpenStreetMap',
      vector_layers: ['earth', 'water', 'roads', 'places'].map((id) => ({ id, fields: { kind: 'String' } })),
    },
    bounds: [-180, -85.0511, 180, 85.0511],
    center: [114.17, 22.32, 2],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(FIXTURE_FILE, buildFixtureArchive());
  console.log(`wrote ${FIXTURE_FILE}`);
}
