/** Ray casting on lon/lat: accurate enough for district polygons, which are far coarser than the plane/sphere difference. */
export type LonLat = readonly [lon: number, lat: number];
export type Ring = readonly LonLat[] | readonly (readonly number[])[];

/** True when the point is inside the polygon: rings[0] is the outer ring, the rest are holes. */
export function pointInPolygon(point: LonLat, rings: readonly Ring[]): boolean {
  const [x, y] = point;
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const xi = ring[i]![0];
      const yi = ring[i]![1];
      const xj = ring[j]![0];
      const yj = ring[j]![1];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}
