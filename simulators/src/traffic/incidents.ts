import type { EventType, ObjectClass, Severity } from '@streetwise/protocol';
import type { DeviceSite } from '../city/city.js';
import type { LonLat } from '../city/geo.js';
import { createRandom } from '../random.js';
import { eventActivity } from './public-events.js';

export type IncidentType = Extract<EventType, 'collision' | 'stopped_vehicle' | 'wrong_way' | 'intrusion' | 'crowd_density'>;

/** Ground truth: one incident the simulator made happen, to compare with the events the pipeline raised. */
export interface Incident {
  id: string;
  type: IncidentType;
  deviceId: string;
  location: LonLat;
  startMs: number;
  endMs: number;
  severity: Severity;
  class: ObjectClass;
  /** People in a crowd, vehicles in a collision. */
  count: number;
}

/** Incidents are drawn per site in blocks of this length. */
export const INCIDENT_BLOCK_MS = 10 * 60_000;

interface TypeSpec {
  weight: number;
  minS: number;
  maxS: number;
  severity: Severity;
  class: ObjectClass;
}

const TYPES: Readonly<Record<IncidentType, TypeSpec>> = {
  stopped_vehicle: { weight: 0.32, minS: 120, maxS: 900, severity: 'medium', class: 'car' },
  collision: { weight: 0.12, minS: 900, maxS: 2400, severity: 'high', class: 'car' },
  wrong_way: { weight: 0.1, minS: 30, maxS: 120, severity: 'critical', class: 'car' },
  intrusion: { weight: 0.24, minS: 60, maxS: 300, severity: 'medium', class: 'person' },
  crowd_density: { weight: 0.22, minS: 600, maxS: 1800, severity: 'low', class: 'person' },
};
const TYPE_NAMES = Object.keys(TYPES) as IncidentType[];
const MAX_DURATION_MS = Math.max(...TYPE_NAMES.map((t) => TYPES[t].maxS)) * 1000;

function drawType(r: number, character: DeviceSite['character'], eventActivity: number): IncidentType {
  // Crowds belong to busy districts and to public events; port roads see more stopped trucks.
  const crowdWeight = (character === 'port' || character === 'rural' ? 0.2 : 1) * (1 + 6 * eventActivity);
  const weights = TYPE_NAMES.map((t) => TYPES[t].weight * (t === 'crowd_density' ? crowdWeight : 1));
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < TYPE_NAMES.length; i++) {
    acc += weights[i]! / total;
    if (r < acc) return TYPE_NAMES[i]!;
  }
  return TYPE_NAMES[TYPE_NAMES.length - 1]!;
}

/** The incident (if any) that starts in one site's block: a pure function of seed, site and block. */
export function incidentInBlock(seed: number, site: DeviceSite, block: number, perHour: number): Incident | undefined {
  const random = createRandom(seed).fork(`incident:${site.id}:${block}`);
  // A public event in the district (concert, race meeting) makes incidents, crowds above all, likelier.
  const { activity } = eventActivity(seed, site.district, (block + 0.5) * INCIDENT_BLOCK_MS);
  if (!random.chance(Math.min(1, (perHour * (1 + 2 * activity) * INCIDENT_BLOCK_MS) / 3_600_000))) return undefined;
  const type = drawType(random.next(), site.character, activity);
  const spec = TYPES[type];
  const startMs = block * INCIDENT_BLOCK_MS + Math.floor(random.next() * INCIDENT_BLOCK_MS);
  const vehicleClass: ObjectClass = site.character === 'port' && random.chance(0.5) ? 'truck' : random.chance(0.1) ? 'bus' : 'car';
  return {
    id: `inc-${site.id}-${block}`,
    type,
    deviceId: site.id,
    location: site.location,
    startMs,
    endMs: startMs + Math.round(random.range(spec.minS, spec.maxS)) * 1000,
    severity: spec.severity,
    class: spec.class === 'person' ? 'person' : vehicleClass,
    count: type === 'crowd_density' ? random.int(60, 400) : type === 'collision' ? random.int(2, 3) : 1,
  };
}

/** Incidents at a site that start in [fromMs, toMs). Only cameras see incidents. */
export function incidentsStarting(seed: number, site: DeviceSite, fromMs: number, toMs: number, perHour: number): Incident[] {
  if (site.kind !== 'camera' || perHour <= 0) return [];
  const out: Incident[] = [];
  for (let block = Math.floor(fromMs / INCIDENT_BLOCK_MS); block * INCIDENT_BLOCK_MS < toMs; block++) {
    const incident = incidentInBlock(seed, site, block, perHour);
    if (incident && incident.startMs >= fromMs && incident.startMs < toMs) out.push(incident);
  }
  return out;
}

/** Incidents at a site in progress at a time (they slow traffic past the camera). */
export function incidentsActive(seed: number, site: DeviceSite, timeMs: number, perHour: number): Incident[] {
  if (site.kind !== 'camera' || perHour <= 0) return [];
  const out: Incident[] = [];
  for (let block = Math.floor((timeMs - MAX_DURATION_MS) / INCIDENT_BLOCK_MS); block * INCIDENT_BLOCK_MS <= timeMs; block++) {
    const incident = incidentInBlock(seed, site, block, perHour);
    if (incident && incident.startMs <= timeMs && timeMs < incident.endMs) out.push(incident);
  }
  return out;
}

/** An incident asked for on demand (fleet.stageIncident) rather than drawn from the model. */
export function forcedIncident(site: DeviceSite, type: IncidentType, startMs: number, durationS: number): Incident {
  const spec = TYPES[type];
  return {
    id: `inc-${site.id}-forced-${startMs}`,
    type,
    deviceId: site.id,
    location: site.location,
    startMs,
    endMs: startMs + durationS * 1000,
    severity: spec.severity,
    class: spec.class,
    count: type === 'crowd_density' ? 120 : type === 'collision' ? 2 : 1,
  };
}
