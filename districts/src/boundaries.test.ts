import { describe, expect, it } from 'vitest';
import { districtAt, districtGeometry, districtPolygons, loadDistrictBoundaries, pointInPolygon } from './index.js';

describe('districtAt', () => {
  it('finds the district of a point in each of a few districts', () => {
    expect(districtAt(114.1577, 22.2819)?.code).toBe('A'); // Des Voeux Rd C / Pedder St, Central
    expect(districtAt(114.1694, 22.3193)?.code).toBe('E'); // Mong Kok
    expect(districtAt(114.188, 22.383)?.code).toBe('R'); // Sha Tin town centre
    expect(districtAt(114.0322, 22.4445)?.code).toBe('M'); // Yuen Long
    expect(districtAt(113.9443, 22.2855)?.code).toBe('T'); // Tung Chung, Lantau
  });

  it('answers undefined outside every polygon and for non-numbers', () => {
    expect(districtAt(114.0579, 22.5431)).toBeUndefined(); // Shenzhen, across the border
    expect(districtAt(0, 0)).toBeUndefined();
    expect(districtAt(Number.NaN, 22.3)).toBeUndefined();
  });

  it('loads all 18 boundaries', () => {
    expect(loadDistrictBoundaries()).toBe(18);
  });

  it('gives the official geometry by code, and nothing for an unknown code', () => {
    expect(districtGeometry('A')?.type).toBe('Polygon');
    expect(districtGeometry('Central & Western')).toBeUndefined();
    expect(districtPolygons('R')?.[0]?.[0]?.length).toBe(1652);
  });
});

describe('pointInPolygon', () => {
  const square = [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]];
  it('is true inside the outer ring, false in a hole and outside', () => {
    expect(pointInPolygon([1, 1], square)).toBe(true);
    expect(pointInPolygon([5, 5], square)).toBe(false);
    expect(pointInPolygon([11, 5], square)).toBe(false);
  });
});
