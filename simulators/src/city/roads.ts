import type { DetectorSite } from './hk-data.js';
import { distanceM, type LonLat } from './geo.js';

export type RoadClass = 'expressway' | 'trunk' | 'urban';

/** One arterial road of a district, with its detector positions ordered along it. */
export interface Arterial {
  id: string;
  name: string;
  roadClass: RoadClass;
  lanes: number;
  freeFlowKmh: number;
  /** Vehicles per hour per lane at capacity. */
  capacityVphPerLane: number;
  nodes: Array<{ location: LonLat; detectorId: string }>;
}

export interface Junction {
  id: string;
  location: LonLat;
  /** Names of the arterials that meet here. */
  roads: string[];
}

export interface RoadGraph {
  arterials: Arterial[];
  junctions: Junction[];
  /** Links between consecutive nodes along each arterial and from each junction to its arterials' nearest nodes. */
  links: Array<{ from: LonLat; to: LonLat; road: string; lengthM: number }>;
}

/** Roads closer than this at their nearest detectors are taken to meet at a junction. */
export const JUNCTION_RADIUS_M = 600;

export function classifyRoad(name: string): Pick<Arterial, 'roadClass' | 'lanes' | 'freeFlowKmh' | 'capacityVphPerLane'> {
  if (/Highway|Bypass|Tunnel|Corridor|Bridge|Route|Expressway/i.test(name)) {
    return { roadClass: 'expressway', lanes: 3, freeFlowKmh: 80, capacityVphPerLane: 1900 };
  }
  if (/Road/i.test(name)) return { roadClass: 'trunk', lanes: 2, freeFlowKmh: 60, capacityVphPerLane: 1600 };
  return { roadClass: 'urban', lanes: 2, freeFlowKmh: 50, capacityVphPerLane: 1200 };
}

/** Order points along their main axis (the direction of largest spread). */
function orderAlongAxis<T extends { location: LonLat }>(items: T[]): T[] {
  if (items.length < 3) return items;
  const mx = items.reduce((s, p) => s + p.location[0], 0) / items.length;
  const my = items.reduce((s, p) => s + p.location[1], 0) / items.length;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const { location } of items) {
    const dx = location[0] - mx;
    const dy = location[1] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  return [...items].sort((a, b) => (a.location[0] - mx) * ux + (a.location[1] - my) * uy - ((b.location[0] - mx) * ux + (b.location[1] - my) * uy));
}

/**
 * Build a district's road graph from its detectors: detectors on the same named road form one arterial;
 * two arterials whose nearest detectors lie within JUNCTION_RADIUS_M meet at a junction between them.
 */
export function buildRoadGraph(districtCode: string, detectors: readonly DetectorSite[]): RoadGraph {
  const byRoad = new Map<string, DetectorSite[]>();
  for (const site of detectors) byRoad.set(site.road, [...(byRoad.get(site.road) ?? []), site]);
  const arterials: Arterial[] = [...byRoad.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, sites], i) => ({
      id: `${districtCode}-r${i + 1}`,
      name,
      ...classifyRoad(name),
      nodes: orderAlongAxis(sites.map((s) => ({ location: s.location, detectorId: s.id }))),
    }));

  const junctions: Junction[] = [];
  for (let a = 0; a < arterials.length; a++) {
    for (let b = a + 1; b < arterials.length; b++) {
      let best: { d: number; p: LonLat; q: LonLat } | undefined;
      for (const na of arterials[a]!.nodes) {
        for (const nb of arterials[b]!.nodes) {
          const d = distanceM(na.location, nb.location);
          if (!best || d < best.d) best = { d, p: na.location, q: nb.location };
        }
      }
      if (best && best.d <= JUNCTION_RADIUS_M) {
        junctions.push({
          id: `${districtCode}-j${junctions.length + 1}`,
          location: [(best.p[0] + best.q[0]) / 2, (best.p[1] + best.q[1]) / 2],
          roads: [arterials[a]!.name, arterials[b]!.name],
        });
      }
    }
  }
  // A district whose roads never meet still gets junctions: the middle of each arterial (a side-road access).
  if (junctions.length === 0) {
    for (const arterial of arterials) {
      const mid = arterial.nodes[Math.floor(arterial.nodes.length / 2)];
      if (mid) junctions.push({ id: `${districtCode}-j${junctions.length + 1}`, location: mid.location, roads: [arterial.name] });
    }
  }

  const links: RoadGraph['links'] = [];
  for (const arterial of arterials) {
    for (let i = 1; i < arterial.nodes.length; i++) {
      const from = arterial.nodes[i - 1]!.location;
      const to = arterial.nodes[i]!.location;
      links.push({ from, to, road: arterial.name, lengthM: distanceM(from, to) });
    }
  }
  for (const junction of junctions) {
    for (const road of junction.roads) {
      const arterial = arterials.find((r) => r.name === road);
      if (!arterial) continue;
      const nearest = arterial.nodes.reduce((best, n) => (distanceM(n.location, junction.location) < distanceM(best.location, junction.location) ? n : best));
      links.push({ from: junction.location, to: nearest.location, road, lengthM: distanceM(junction.location, nearest.location) });
    }
  }
  return { arterials, junctions, links };
}
