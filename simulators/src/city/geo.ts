/** Small geometry helpers on WGS84 lon/lat, accurate enough at city scale. */
export type LonLat = readonly [lon: number, lat: number];
export type Ring = readonly LonLat[];

const EARTH_RADIUS_M = 6_371_000;
const DEG = Math.PI / 180;

/** Distance in metres (equirectangular approximation: < 0.1% error over a few km). */
export function distanceM(a: LonLat, b: LonLat): number {
  const x = (b[0] - a[0]) * DEG * Math.cos(((a[1] + b[1]) / 2) * DEG);
  const y = (b[1] - a[1]) * DEG;
  return Math.sqrt(x * x + y * y) * EARTH_RADIUS_M;
}

/** Ray casting (rings[0] outer, the rest holes): the one implementation, in @streetwise/districts. */
export { pointInPolygon } from '@streetwise/districts';

/** Mean of the ring's vertices: a label point, not the true area centroid. */
export function ringCentre(ring: Ring): LonLat {
  let lon = 0;
  let lat = 0;
  for (const [x, y] of ring) {
    lon += x;
    lat += y;
  }
  return [lon / ring.length, lat / ring.length];
}

export function bbox(rings: readonly Ring[]): [minLon: number, minLat: number, maxLon: number, maxLat: number] {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const ring of rings) {
    for (const [x, y] of ring) {
      minLon = Math.min(minLon, x);
      minLat = Math.min(minLat, y);
      maxLon = Math.max(maxLon, x);
      maxLat = Math.max(maxLat, y);
    }
  }
  return [minLon, minLat, maxLon, maxLat];
}

/** Offset a point by metres east and north. */
export function offsetM(point: LonLat, eastM: number, northM: number): LonLat {
  const lat = point[1] + northM / EARTH_RADIUS_M / DEG;
  const lon = point[0] + eastM / (EARTH_RADIUS_M * Math.cos(point[1] * DEG)) / DEG;
  return [lon, lat];
}
