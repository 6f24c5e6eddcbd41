/**
 * Ground-plane calibration: a homography from image pixels to ground metres, from 4 image↔ground point pairs
 * (e.g. the corners of a lane marking measured on a map). Ground axes: x east, y north, metres.
 */
export type Point = [number, number];
export type Homography = [number, number, number, number, number, number, number, number, number];

export interface PointPair {
  image: Point;
  ground: Point;
}

/** Solve A x = b (n×n) by Gaussian elimination with partial pivoting; undefined when singular. */
function solve(a: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < 1e-12) return undefined;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / m[col]![col]!;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/** The homography mapping each pairs[i].image to pairs[i].ground (exactly 4 pairs, no 3 collinear). */
export function computeHomography(pairs: readonly PointPair[]): Homography | undefined {
  if (pairs.length !== 4) return undefined;
  const a: number[][] = [];
  const b: number[] = [];
  for (const { image: [u, v], ground: [x, y] } of pairs) {
    a.push([u, v, 1, 0, 0, 0, -u * x, -v * x]);
    b.push(x);
    a.push([0, 0, 0, u, v, 1, -u * y, -v * y]);
    b.push(y);
  }
  const h = solve(a, b);
  return h ? ([...h, 1] as Homography) : undefined;
}

export function applyHomography(h: Homography, [u, v]: Point): Point {
  const w = h[6] * u + h[7] * v + h[8];
  return [(h[0] * u + h[1] * v + h[2]) / w, (h[3] * u + h[4] * v + h[5]) / w];
}

const EARTH_RADIUS_M = 6_371_008.8;

/** Local east/north metres of (lat, lon) from an origin: equirectangular, exact enough over a junction. */
export function latLonToMeters(origin: { lat: number; lon: number }, lat: number, lon: number): Point {
  const rad = Math.PI / 180;
  return [(lon - origin.lon) * rad * EARTH_RADIUS_M * Math.cos(origin.lat * rad), (lat - origin.lat) * rad * EARTH_RADIUS_M];
}
