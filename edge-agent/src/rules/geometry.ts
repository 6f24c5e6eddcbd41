import type { Point } from './types.js';

/** Which side of the line from→to a point lies on: < 0 left, > 0 right (as seen on screen, y down), 0 on it. */
export function sideOfLine(from: Point, to: Point, p: Point): number {
  return (to[0] - from[0]) * (p[1] - from[1]) - (to[1] - from[1]) * (p[0] - from[0]);
}

/** Whether segments p1–p2 and q1–q2 intersect (touching counts). */
export function segmentsIntersect(p1: Point, p2: Point, q1: Point, q2: Point): boolean {
  const d1 = sideOfLine(q1, q2, p1);
  const d2 = sideOfLine(q1, q2, p2);
  const d3 = sideOfLine(p1, p2, q1);
  const d4 = sideOfLine(p1, p2, q2);
  return ((d1 <= 0 && d2 >= 0) || (d1 >= 0 && d2 <= 0)) && ((d3 <= 0 && d4 >= 0) || (d3 >= 0 && d4 <= 0));
}

/** Ray casting; points on an edge may fall either way. */
export function pointInPolygon(p: Point, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Area of a simple polygon (shoelace), in the polygon's units squared. */
export function polygonArea(polygon: readonly Point[]): number {
  let sum = 0;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) sum += polygon[j]![0] * polygon[i]![1] - polygon[i]![0] * polygon[j]![1];
  return Math.abs(sum) / 2;
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** Distance from p to the infinite line through a and b. */
export function distanceToLine(a: Point, b: Point, p: Point): number {
  const len = distance(a, b);
  return len === 0 ? distance(a, p) : Math.abs(sideOfLine(a, b, p)) / len;
}
