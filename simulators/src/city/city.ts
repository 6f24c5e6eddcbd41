import type { DeviceKind } from '@streetwise/protocol';
import { createRandom } from '../random.js';
import { distanceM, offsetM, pointInPolygon, ringCentre, type LonLat, type Ring } from './geo.js';
import { DEFAULT_DATA_DIR, loadHkData, type DistrictShape } from './hk-data.js';
import { buildRoadGraph, classifyRoad, type RoadClass, type RoadGraph } from './roads.js';

/** What drives a district's traffic and crowds. */
export type DistrictCharacter = 'cbd' | 'mixed' | 'residential' | 'port' | 'rural';

/** Hand-set from what each district is known for: business core, container port, new towns, country parks. */
export const DISTRICT_CHARACTER: Readonly<Record<string, DistrictCharacter>> = {
  'Central & Western': 'cbd',
  'Wan Chai': 'cbd',
  'Yau Tsim Mong': 'cbd',
  Eastern: 'mixed',
  'Kowloon City': 'mixed',
  'Kwun Tong': 'mixed',
  'Sham Shui Po': 'mixed',
  'Kwai Tsing': 'port',
  'Tuen Mun': 'port',
  Southern: 'residential',
  'Wong Tai Sin': 'residential',
  'Tsuen Wan': 'residential',
  'Sha Tin': 'residential',
  'Tai Po': 'residential',
  'Yuen Long': 'residential',
  North: 'rural',
  'Sai Kung': 'rural',
  Islands: 'rural',
};

export interface District {
  code: string;
  nameEn: string;
  nameTc: string;
  character: DistrictCharacter;
  /** Label point (mean of the largest ring's vertices). */
  centre: LonLat;
  polygons: Ring[][];
  roads: RoadGraph;
}

export type SimDeviceKind = Extract<DeviceKind, 'camera' | 'loop_detector' | 'air_quality' | 'noise'>;

/** One device placed in the city: everything a simulated device needs to describe itself and its traffic. */
export interface DeviceSite {
  id: string;
  kind: SimDeviceKind;
  name: string;
  districtCode: string;
  district: string;
  character: DistrictCharacter;
  location: LonLat;
  road: string;
  roadClass: RoadClass;
  lanes: number;
  freeFlowKmh: number;
  capacityVphPerLane: number;
  /** Multiplier on the district's demand for this site (busy and quiet spots differ), 0.5–1.3. */
  siteWeight: number;
}

export interface City {
  seed: number;
  districts: District[];
  /** Every device site the city has, in a stable order. */
  sites: DeviceSite[];
}

export interface CityOptions {
  seed?: number;
  /** Prefix of every device id; default "sim". */
  idPrefix?: string;
  dataDir?: string;
}

function largestRing(shape: DistrictShape): Ring {
  let best: Ring = [];
  for (const polygon of shape.polygons) if ((polygon[0]?.length ?? 0) > best.length) best = polygon[0] ?? [];
  return best;
}

export function districtAt(city: Pick<City, 'districts'>, point: LonLat): District | undefined {
  const inside = city.districts.find((d) => d.polygons.some((rings) => pointInPolygon(point, rings)));
  if (inside) return inside;
  return [...city.districts].sort((a, b) => distanceM(a.centre, point) - distanceM(b.centre, point))[0];
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 24);
}

/**
 * Build the simulated Hong Kong: 18 districts with their official boundaries, a road graph per district
 * from the Transport Department detectors, and the device sites — loop detectors at the 786 real
 * detector positions, air-quality sensors at the 18 EPD stations, a camera and a noise sensor at each
 * junction. Same seed, same city.
 */
export function buildCity(options: CityOptions = {}): City {
  const seed = options.seed ?? 1;
  const idPrefix = options.idPrefix ?? 'sim';
  const data = loadHkData(options.dataDir ?? DEFAULT_DATA_DIR);
  const random = createRandom(seed).fork('city');
  const weight = (): number => Math.round(random.range(0.5, 1.3) * 100) / 100;

  const districts: District[] = data.districts.map((shape) => ({
    code: shape.code,
    nameEn: shape.nameEn,
    nameTc: shape.nameTc,
    character: DISTRICT_CHARACTER[shape.nameEn] ?? 'residential',
    centre: ringCentre(largestRing(shape)),
    polygons: shape.polygons,
    roads: buildRoadGraph(shape.code, data.detectors.filter((d) => d.district === shape.nameEn)),
  }));
  const byName = new Map(districts.map((d) => [d.nameEn, d]));

  const sites: DeviceSite[] = [];
  for (const detector of data.detectors) {
    const district = byName.get(detector.district) ?? districtAt({ districts }, detector.location)!;
    sites.push({
      id: `${idPrefix}-loop-${detector.id}`,
      kind: 'loop_detector',
      name: detector.descriptionEn.slice(0, 128),
      districtCode: district.code,
      district: district.nameEn,
      character: district.character,
      location: detector.location,
      road: detector.descriptionEn.slice(0, 160),
      ...classifyRoad(detector.road),
      siteWeight: weight(),
    });
  }
  for (const station of data.aqStations) {
    const district = districtAt({ districts }, station.location)!;
    sites.push({
      id: `${idPrefix}-aq-${slug(station.name)}`,
      kind: 'air_quality',
      name: `EPD ${station.name} station`,
      districtCode: district.code,
      district: district.nameEn,
      character: district.character,
      location: station.location,
      road: station.name,
      ...classifyRoad(''),
      siteWeight: weight(),
    });
  }
  for (const district of districts) {
    district.roads.junctions.forEach((junction, i) => {
      const mainRoad = junction.roads[0] ?? 'local road';
      const shared = {
        districtCode: district.code,
        district: district.nameEn,
        character: district.character,
        road: junction.roads.join(' / ').slice(0, 160),
        ...classifyRoad(mainRoad),
      };
      const n = String(i + 1).padStart(2, '0');
      sites.push({
        ...shared,
        id: `${idPrefix}-cam-${district.code.toLowerCase()}${n}`,
        kind: 'camera',
        name: `Camera ${district.nameEn} junction ${n}`,
        location: junction.location,
        siteWeight: weight(),
      });
      sites.push({
        ...shared,
        id: `${idPrefix}-noise-${district.code.toLowerCase()}${n}`,
        kind: 'noise',
        name: `Noise ${district.nameEn} junction ${n}`,
        location: offsetM(junction.location, random.range(-40, 40), random.range(-40, 40)),
        siteWeight: weight(),
      });
    });
  }
  return { seed, districts, sites };
}

const KIND_ORDER: readonly SimDeviceKind[] = ['camera', 'loop_detector', 'air_quality', 'noise', 'loop_detector', 'camera', 'loop_detector', 'noise'];

/**
 * Choose `count` sites spread over all 18 districts and all kinds: round-robin over districts, and in
 * each district over KIND_ORDER. Beyond the city's own sites, extra cameras and noise sensors are placed
 * along the arterials (ids end in "-x<n>"), so load tests can ask for any number.
 */
export function selectSites(city: City, count: number, idPrefix = 'sim'): DeviceSite[] {
  const queues = city.districts.map((district) => {
    const own = city.sites.filter((s) => s.districtCode === district.code);
    return { district, byKind: new Map(KIND_ORDER.map((k) => [k, own.filter((s) => s.kind === k)])), turn: 0 };
  });
  const chosen: DeviceSite[] = [];
  const used = new Set<string>();
  let progress = true;
  while (chosen.length < count && progress) {
    progress = false;
    for (const queue of queues) {
      if (chosen.length >= count) break;
      for (let attempt = 0; attempt < KIND_ORDER.length; attempt++) {
        const kind = KIND_ORDER[queue.turn++ % KIND_ORDER.length]!;
        const next = queue.byKind.get(kind)?.find((s) => !used.has(s.id));
        if (next) {
          used.add(next.id);
          chosen.push(next);
          progress = true;
          break;
        }
      }
    }
  }
  const random = createRandom(city.seed).fork('extra-sites');
  for (let n = 1; chosen.length < count; n++) {
    const district = city.districts[n % city.districts.length]!;
    const nodes = district.roads.arterials.flatMap((a) => a.nodes.map((node) => ({ node, arterial: a })));
    const { node, arterial } = random.pick(nodes);
    const kind: SimDeviceKind = n % 3 === 0 ? 'noise' : 'camera';
    chosen.push({
      id: `${idPrefix}-${kind === 'camera' ? 'cam' : 'noise'}-${district.code.toLowerCase()}-x${n}`,
      kind,
      name: `${kind === 'camera' ? 'Camera' : 'Noise'} ${district.nameEn} ${arterial.name}`.slice(0, 128),
      districtCode: district.code,
      district: district.nameEn,
      character: district.character,
      location: offsetM(node.location, random.range(-80, 80), random.range(-80, 80)),
      road: arterial.name,
      roadClass: arterial.roadClass,
      lanes: arterial.lanes,
      freeFlowKmh: arterial.freeFlowKmh,
      capacityVphPerLane: arterial.capacityVphPerLane,
      siteWeight: Math.round(random.range(0.5, 1.3) * 100) / 100,
    });
  }
  return chosen;
}
