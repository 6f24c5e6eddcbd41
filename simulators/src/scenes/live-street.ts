import type { ObjectClass } from '@streetwise/protocol';
import type { DeviceSite } from '../city/city.js';
import { createRandom, type Random } from '../random.js';
import { CLASS_MIX, demandFactor, localTime } from '../traffic/profile.js';
import type { IncidentType } from '../traffic/incidents.js';
import { rainIntensity } from '../traffic/weather.js';
import { renderScene } from './render.js';
import { CLASS_SIZE, groundY, nearestVisibleZ, randomScene, screenX, type Lighting, type SceneObject, type SceneSpec } from './scene-spec.js';

/** How far ahead vehicles appear and vanish, metres. */
const FAR_Z = 70;
/** Vehicles keep at least this gap to the one ahead, metres. */
const MIN_GAP_M = 9;
const LANE_M = 3.5;

interface Mover {
  id: number;
  object: SceneObject;
  /** +1 moves away from the camera (left lanes: Hong Kong drives on the left), -1 towards it. */
  direction: 1 | -1;
  lane: number | undefined;
  speedMs: number;
  stopAtZ?: number;
  stopUntilMs?: number;
  incident?: string;
}

/** One incident the street was told to stage, with what a camera should report for it. */
export interface StagedIncident {
  id: string;
  type: IncidentType;
  startMs: number;
  endMs: number;
  /** The rule event type the edge pipeline raises for it (a collision shows as stopped vehicles). */
  expectedEvent: 'stopped_vehicle' | 'wrong_way' | 'crowd_density' | 'intrusion';
}

export interface LiveStreetOptions {
  site: DeviceSite;
  seed: number;
  width?: number;
  height?: number;
  /** Seconds still before the camera's lanes call a vehicle stopped. Default 20. */
  stoppedS?: number;
  /** People in the crowd zone for a crowd_density event. Default 4. */
  crowdMinPersons?: number;
}

/** A camera-config-shaped description of the street's lines, zones, lanes and calibration (image pixels). */
export interface StreetCameraConfig {
  frame: { width: number; height: number };
  calibration: { points: Array<{ image: [number, number]; ground: [number, number] }> };
  lines: Array<{ name: string; from: [number, number]; to: [number, number]; approach: string }>;
  zones: Array<{ name: string; polygon: Array<[number, number]>; classes?: ObjectClass[]; restricted?: boolean; crowd?: { minPersons: number } }>;
  lanes: Array<{ name: string; polygon: Array<[number, number]>; headingDeg: number; stoppedS: number; approach: string }>;
}

/**
 * An animated street in front of one simulated camera: traffic in both directions at the rate the
 * traffic model gives for the site and time, pedestrians on the pavements, and incidents staged on
 * demand (a vehicle that stops, one driving the wrong way, a crowd, a person walking onto the road).
 * frame() renders what the camera sees now; cameraConfig() gives the lanes, zones and calibration that
 * match the drawing, so the edge agent's real rules can find the staged incidents.
 */
export class LiveStreet {
  readonly base: SceneSpec;
  private readonly random: Random;
  private movers: Mover[] = [];
  private nextId = 1;
  private lastMs: number | undefined;
  private readonly staged: StagedIncident[] = [];
  private readonly half: number;
  private readonly awayLanes: number[];
  private readonly towardLanes: number[];
  private readonly zNear: number;
  private readonly stoppedS: number;
  private readonly crowdMin: number;

  constructor(private readonly options: LiveStreetOptions) {
    this.random = createRandom(options.seed).fork(`live:${options.site.id}`);
    const width = options.width ?? 640;
    const height = options.height ?? 360;
    // Live cameras look straight down the road from a pole, wide and steady, so the lanes stay where the config says.
    const layout = this.random.fork('layout');
    const spec = randomScene(layout, {
      width,
      height,
      density: { person: 0, bicycle: 0, car: 0, motorcycle: 0, bus: 0, truck: 0 },
      degrade: false,
      camera: { horizonY: height * 0.3, centreX: width / 2, focalPx: width * 0.8, heightM: 6.5 },
      lanes: 4,
      roadXM: 0,
      sidewalkM: 4.5,
      crossStreet: false,
    });
    const lanes = spec.lanes;
    this.base = { ...spec, noise: 0.12, blurSigma: 0, rain: false };
    this.half = (lanes * LANE_M) / 2;
    this.awayLanes = Array.from({ length: lanes / 2 }, (_, i) => i);
    this.towardLanes = Array.from({ length: lanes / 2 }, (_, i) => lanes / 2 + i);
    this.zNear = nearestVisibleZ(this.base.camera);
    this.stoppedS = options.stoppedS ?? 20;
    this.crowdMin = options.crowdMinPersons ?? 4;
  }

  private laneX(lane: number): number {
    return this.base.roadXM - this.half + LANE_M / 2 + lane * LANE_M;
  }

  private spawnVehicle(direction: 1 | -1, lane: number, zM?: number): Mover {
    const mix = CLASS_MIX[this.options.site.character];
    const r = this.random.next();
    const cls: ObjectClass = r < mix.car ? 'car' : r < mix.car + mix.bus ? 'bus' : r < mix.car + mix.bus + mix.truck ? 'truck' : 'motorcycle';
    const size = CLASS_SIZE[cls];
    const two = cls === 'motorcycle';
    const mover: Mover = {
      id: this.nextId++,
      object: {
        class: cls,
        xM: this.laneX(lane),
        zM: zM ?? (direction === 1 ? this.zNear + 0.5 : FAR_Z),
        widthM: two ? 0.8 : this.random.range(...size.width),
        heightM: this.random.range(...size.height),
        view: direction === 1 ? 'rear' : 'front',
        colour: this.random.pick(['#f2f2f2', '#c0c4c8', '#1d1f22', '#b3262d', '#23417a', '#c8202c', '#e6c229', '#2f7a3f']),
        accent: this.random.pick(['#c9c9c9', '#f0e6cf', '#2e5c9a', '#d6d0c0']),
        variant: this.random.next(),
      },
      direction,
      lane,
      speedMs: this.random.range(6, 10),
    };
    // Seen head-on, a motorcycle is narrow; the detector was trained on side views, so draw it side-on crossing.
    if (two) mover.object = { ...mover.object, class: 'car', widthM: this.random.range(...CLASS_SIZE.car.width), heightM: this.random.range(...CLASS_SIZE.car.height) };
    this.movers.push(mover);
    return mover;
  }

  private spawnPerson(side: -1 | 1, zM: number, speedMs: number, incident?: string): Mover {
    const size = CLASS_SIZE.person;
    const mover: Mover = {
      id: this.nextId++,
      object: {
        class: 'person',
        xM: this.base.roadXM + side * (this.half + this.random.range(0.8, this.base.sidewalkM - 0.5)),
        zM,
        widthM: this.random.range(...size.width),
        heightM: this.random.range(...size.height),
        view: speedMs === 0 ? 'front' : this.random.pick(['left', 'right', 'front', 'rear'] as const),
        colour: this.random.pick(['#1f2a44', '#e8e8e8', '#a32d2d', '#3c6e3c', '#d0a030', '#6b4c8a']),
        accent: this.random.pick(['#2b2b2b', '#4a7fb5', '#8a6a4a', '#1f2a44']),
        variant: this.random.next(),
      },
      direction: this.random.chance(0.5) ? 1 : -1,
      lane: undefined,
      speedMs,
      ...(incident ? { incident } : {}),
    };
    this.movers.push(mover);
    return mover;
  }

  /** Stage an incident now; returns what the camera's pipeline should report. */
  stage(type: IncidentType, nowMs: number, durationS: number, id = `staged-${this.options.site.id}-${nowMs}`): StagedIncident {
    const endMs = nowMs + durationS * 1000;
    let expectedEvent: StagedIncident['expectedEvent'];
    switch (type) {
      case 'stopped_vehicle':
      case 'collision': {
        expectedEvent = 'stopped_vehicle';
        const lane = this.random.pick(this.towardLanes);
        const stopAtZ = this.zNear + this.random.range(5, 10);
        const first = this.spawnVehicle(-1, lane, stopAtZ);
        Object.assign(first, { stopAtZ, stopUntilMs: endMs, incident: id, speedMs: 0 });
        if (type === 'collision') {
          const second = this.spawnVehicle(-1, lane, stopAtZ + 5);
          Object.assign(second, { stopAtZ: stopAtZ + 5, stopUntilMs: endMs, incident: id, speedMs: 0 });
          second.object = { ...second.object, xM: second.object.xM + 0.6 };
        }
        break;
      }
      case 'wrong_way': {
        expectedEvent = 'wrong_way';
        const lane = this.random.pick(this.awayLanes);
        const wrong = this.spawnVehicle(-1, lane, FAR_Z * 0.6);
        wrong.incident = id;
        wrong.speedMs = 7;
        break;
      }
      case 'crowd_density': {
        expectedEvent = 'crowd_density';
        // A loose grid on the pavement (three abreast, rows staggered) so most people stay visible to the camera.
        const count = this.crowdMin + 6;
        for (let i = 0; i < count; i++) {
          const row = Math.floor(i / 3);
          const person = this.spawnPerson(1, this.zNear + 2 + row * 2.8 + this.random.range(-0.2, 0.2), 0, id);
          const x = this.base.roadXM + this.half + 0.6 + (i % 3) * 1.1 + (row % 2) * 0.5;
          person.object = { ...person.object, xM: x };
        }
        break;
      }
      case 'intrusion': {
        expectedEvent = 'intrusion';
        const person = this.spawnPerson(-1, this.zNear + this.random.range(4, 8), 0, id);
        person.object = { ...person.object, xM: this.base.roadXM - this.half + 0.6, view: 'right' };
        person.lane = -1; // walks across the carriageway
        person.speedMs = 1.2;
        break;
      }
    }
    const incident: StagedIncident = { id, type, startMs: nowMs, endMs, expectedEvent };
    this.staged.push(incident);
    return incident;
  }

  stagedIncidents(): StagedIncident[] {
    return [...this.staged];
  }

  /** Advance the street to nowMs: move, stop, spawn and retire objects. */
  step(nowMs: number): void {
    const dt = this.lastMs === undefined ? 0 : Math.min(2, (nowMs - this.lastMs) / 1000);
    this.lastMs = nowMs;
    const site = this.options.site;
    const flowPerLaneS = (site.capacityVphPerLane * demandFactor(nowMs, site.character) * site.siteWeight) / 3600;
    const blocked = new Set(this.movers.filter((m) => m.stopUntilMs !== undefined && m.stopUntilMs > nowMs).map((m) => m.lane));
    for (const lane of [...this.awayLanes, ...this.towardLanes]) {
      if (!blocked.has(lane) && this.random.chance(Math.min(0.9, flowPerLaneS * dt))) this.spawnVehicle(this.awayLanes.includes(lane) ? 1 : -1, lane);
    }
    if (this.random.chance(Math.min(0.5, 0.15 * dt))) this.spawnPerson(this.random.chance(0.5) ? -1 : 1, this.random.range(this.zNear + 2, 45), this.random.range(0.8, 1.5));

    for (const m of this.movers) {
      if (m.stopUntilMs !== undefined && nowMs >= m.stopUntilMs) {
        m.stopUntilMs = undefined;
        m.speedMs = 6;
      }
      if (m.stopUntilMs !== undefined) continue;
      if (m.object.class === 'person') {
        if (m.lane === -1) m.object = { ...m.object, xM: m.object.xM + m.speedMs * dt };
        else m.object = { ...m.object, zM: m.object.zM + m.direction * m.speedMs * dt };
        continue;
      }
      // Follow the vehicle ahead in the lane (staged incident vehicles are passed, not queued behind).
      const ahead = this.movers.filter((o) => o !== m && o.lane === m.lane && o.direction === m.direction && o.incident === undefined && (o.object.zM - m.object.zM) * m.direction > 0);
      const gap = ahead.length ? Math.min(...ahead.map((o) => Math.abs(o.object.zM - m.object.zM))) : Infinity;
      const move = m.incident === undefined && gap - m.speedMs * dt < MIN_GAP_M ? Math.max(0, gap - MIN_GAP_M) : m.speedMs * dt;
      m.object = { ...m.object, zM: m.object.zM + m.direction * move };
    }
    this.movers = this.movers.filter((m) => {
      if (m.stopUntilMs !== undefined) return true;
      if (m.object.class === 'person' && m.lane === -1) return m.object.xM < this.base.roadXM + this.half + 1;
      if (m.object.class === 'person' && m.incident && this.staged.find((s) => s.id === m.incident)!.endMs <= nowMs) return false;
      return m.object.zM > this.zNear - 1 && m.object.zM < FAR_Z + 1;
    });
  }

  private lighting(nowMs: number): Lighting {
    const { hour } = localTime(nowMs);
    if (hour < 6 || hour >= 19.5) return 'night';
    if (hour < 7 || hour >= 18.3) return 'dusk';
    return rainIntensity(this.options.seed, nowMs) > 0 ? 'overcast' : 'day';
  }

  /** Render what the camera sees at nowMs (after step), as raw RGB. */
  async frame(nowMs: number, noiseSeed = 1): Promise<{ data: Buffer; width: number; height: number; objects: SceneObject[] }> {
    const objects = this.movers.map((m) => m.object).filter((o) => o.zM > 0.5);
    const spec: SceneSpec = { ...this.base, objects, lighting: this.lighting(nowMs), rain: rainIntensity(this.options.seed, nowMs) > 0.4 };
    const scene = await renderScene(spec, { format: 'raw', noiseSeed });
    return { data: scene.image, width: scene.width, height: scene.height, objects };
  }

  /** Lanes, zones, a count line and a ground calibration that match the drawing. */
  cameraConfig(): StreetCameraConfig {
    const c = this.base.camera;
    // Points are kept inside the frame (the agent refuses lines and zones that leave it).
    const clampTo = (v: number, max: number): number => Math.round(Math.min(max - 1, Math.max(0, v)) * 10) / 10;
    const pt = (xM: number, zM: number): [number, number] => [clampTo(screenX(c, xM, zM), c.width), clampTo(groundY(c, zM), c.height)];
    const zA = this.zNear + 1.5;
    const zB = this.zNear + 40;
    const quad = (x1: number, x2: number, z1: number, z2: number): Array<[number, number]> => [pt(x1, z1), pt(x2, z1), pt(x2, z2), pt(x1, z2)];
    const left = this.base.roadXM - this.half;
    const right = this.base.roadXM + this.half;
    const mid = this.base.roadXM;
    const zLine = this.zNear + 8;
    const sw = this.base.sidewalkM;
    return {
      frame: { width: c.width, height: c.height },
      calibration: { points: [{ image: pt(left, zA), ground: [left, zA] }, { image: pt(right, zA), ground: [right, zA] }, { image: pt(right, zB), ground: [right, zB] }, { image: pt(left, zB), ground: [left, zB] }] },
      lines: [
        { name: 'outbound', from: pt(left, zLine), to: pt(mid, zLine), approach: 'outbound' },
        { name: 'inbound', from: pt(mid, zLine), to: pt(right, zLine), approach: 'inbound' },
      ],
      zones: [
        { name: 'carriageway', polygon: quad(left + 0.3, right - 0.3, zA + 1, zA + 25), classes: ['person'], restricted: true },
        { name: 'pavement', polygon: quad(right + 0.2, right + sw - 0.2, this.zNear + 1, this.zNear + 16), classes: ['person'], crowd: { minPersons: this.crowdMin } },
      ],
      lanes: [
        // Heading on the ground (north = away from the camera): outbound lanes head 0°, inbound 180°.
        { name: 'outbound', polygon: quad(left, mid, zA, zB), headingDeg: 0, stoppedS: this.stoppedS, approach: 'outbound' },
        { name: 'inbound', polygon: quad(mid, right, zA, zB), headingDeg: 180, stoppedS: this.stoppedS, approach: 'inbound' },
      ],
    };
  }
}
