import type { ObjectClass } from '@streetwise/protocol';
import type { Random } from '../random.js';

/** Where the camera stands and how it sees the ground plane. */
export interface CameraView {
  /** Image size, pixels. */
  width: number;
  height: number;
  /** Image row of the horizon. */
  horizonY: number;
  /** Image column of the vanishing point. */
  centreX: number;
  /** Focal length, pixels. */
  focalPx: number;
  /** Height of the camera above the road, metres. */
  heightM: number;
}

export type Lighting = 'day' | 'overcast' | 'dusk' | 'night';
export type View = 'rear' | 'front' | 'left' | 'right';

/** One object in world coordinates: x across the road (m, + right), z ahead of the camera (m). */
export interface SceneObject {
  class: ObjectClass;
  xM: number;
  zM: number;
  /** Size as seen: width across the view and height, metres. */
  widthM: number;
  heightM: number;
  view: View;
  /** Main colour (body, clothing) and a second colour (roof, trousers, cargo). */
  colour: string;
  accent: string;
  /** Small per-object variation used by the sprite (window rows, pose…), 0–1. */
  variant: number;
}

export interface Building {
  side: -1 | 1;
  /** Distance of the facade from the road centre, metres. */
  xM: number;
  zNearM: number;
  zFarM: number;
  heightM: number;
  colour: string;
  windowColour: string;
}

export interface SceneSpec {
  camera: CameraView;
  /** "street" draws road, kerbs and buildings; "plain" fills the frame with the pavement colour (for box tests). */
  background: 'street' | 'plain';
  lighting: Lighting;
  /** Road centre offset, metres; lanes are 3.5 m wide. */
  roadXM: number;
  lanes: number;
  sidewalkM: number;
  /** A cross street at this distance (junction), or none. */
  crossStreetZM: number | undefined;
  buildings: Building[];
  objects: SceneObject[];
  /** 0 … 1: sensor noise standard deviation as a share of 40 grey levels. */
  noise: number;
  /** Gaussian blur sigma in pixels (0 = sharp). */
  blurSigma: number;
  rain: boolean;
  asphalt: string;
  pavement: string;
  sky: [string, string];
}

/** Typical sizes (width as seen from behind, height), metres. */
export const CLASS_SIZE: Readonly<Record<ObjectClass, { width: [number, number]; height: [number, number] }>> = {
  person: { width: [0.45, 0.6], height: [1.5, 1.9] },
  bicycle: { width: [1.6, 1.8], height: [1.55, 1.8] },
  car: { width: [1.7, 1.95], height: [1.35, 1.65] },
  motorcycle: { width: [1.9, 2.2], height: [1.35, 1.6] },
  bus: { width: [2.45, 2.55], height: [3.0, 4.4] },
  truck: { width: [2.1, 2.5], height: [2.4, 3.6] },
};

const CAR_COLOURS = ['#f2f2f2', '#c0c4c8', '#1d1f22', '#7d8288', '#b3262d', '#23417a', '#3f6e9e', '#d9d2bd', '#5a2d25', '#2f5d3a', '#e6c229'];
const TAXI = [
  ['#c8202c', '#c9c9c9'],
  ['#2c8a3c', '#f0f0f0'],
  ['#3b78c2', '#f0f0f0'],
] as const;
const BUS_COLOURS = [
  ['#c5232d', '#f0e6cf'],
  ['#f4c51c', '#e8782a'],
  ['#d9d9d9', '#2f6fb0'],
  ['#3f9b4c', '#f2f2f2'],
] as const;
const TRUCK_COLOURS = ['#f4f4f4', '#2e5c9a', '#2f7a3f', '#d6d0c0', '#a33a2a', '#555b61'];
const CLOTHES = ['#1f2a44', '#e8e8e8', '#a32d2d', '#3c6e3c', '#d0a030', '#6b4c8a', '#2b2b2b', '#4a7fb5', '#c86f9a', '#8a6a4a'];
const BUILDING = ['#b8a99a', '#8d9aa3', '#c9c2b0', '#7a6f66', '#a3b1b8', '#d2c8b6', '#6f7b82'];

/** Where the ground row of distance z lands. */
export function groundY(camera: CameraView, zM: number): number {
  return camera.horizonY + (camera.focalPx * camera.heightM) / zM;
}

export function screenX(camera: CameraView, xM: number, zM: number): number {
  return camera.centreX + (camera.focalPx * xM) / zM;
}

/** Row of a point at height h above the road at distance z. */
export function heightY(camera: CameraView, hM: number, zM: number): number {
  return camera.horizonY + (camera.focalPx * (camera.heightM - hM)) / zM;
}

/** Nearest distance whose ground row is inside the image. */
export function nearestVisibleZ(camera: CameraView): number {
  return (camera.focalPx * camera.heightM) / (camera.height - camera.horizonY);
}

export interface RandomSceneOptions {
  width: number;
  height: number;
  /** Objects per class: the mean of a Poisson draw. Default: a busy junction. */
  density?: Partial<Record<ObjectClass, number>>;
  lighting?: Lighting;
  /** Allow noise and blur. Default true. */
  degrade?: boolean;
  /** Chance of a group of people on the pavement. Default 0.3. */
  groupChance?: number;
  /** Fix parts of the layout instead of drawing them (live cameras want a steady, wide view). */
  camera?: Partial<Pick<CameraView, 'horizonY' | 'centreX' | 'focalPx' | 'heightM'>>;
  lanes?: number;
  roadXM?: number;
  sidewalkM?: number;
  crossStreet?: boolean;
}

export const DEFAULT_DENSITY: Readonly<Record<ObjectClass, number>> = { person: 3, bicycle: 0.7, car: 3.5, motorcycle: 0.8, bus: 0.7, truck: 0.9 };

function sizeOf(random: Random, cls: ObjectClass): { widthM: number; heightM: number } {
  const size = CLASS_SIZE[cls];
  return { widthM: random.range(...size.width), heightM: random.range(...size.height) };
}

/** A random street scene: a straight road with lanes and kerbs, buildings, and traffic on it. */
export function randomScene(random: Random, options: RandomSceneOptions): SceneSpec {
  const { width, height } = options;
  const lighting = options.lighting ?? random.pick<Lighting>(['day', 'day', 'day', 'overcast', 'overcast', 'dusk', 'night']);
  const camera: CameraView = {
    width,
    height,
    horizonY: height * random.range(0.22, 0.42),
    centreX: width * random.range(0.35, 0.65),
    focalPx: Math.max(width, height) * random.range(0.8, 1.25),
    heightM: random.range(4.5, 9),
    ...options.camera,
  };
  const lanes = options.lanes ?? random.int(2, 4);
  const roadXM = options.roadXM ?? random.range(-2.5, 2.5);
  const sidewalkM = options.sidewalkM ?? random.range(2.5, 5);
  const half = (lanes * 3.5) / 2;
  const zNear = nearestVisibleZ(camera);
  // Objects far enough that their height is at least ~7 px, and no nearer than the image bottom.
  const zFar = Math.min(70, (camera.focalPx * 1.5) / 7);
  const building = (side: -1 | 1, z: number, depth: number): Building => ({
    side,
    xM: roadXM + side * (half + sidewalkM + random.range(0.5, 3)),
    zNearM: z,
    zFarM: z + depth,
    heightM: random.range(12, 60),
    colour: random.pick(BUILDING),
    windowColour: lighting === 'night' || lighting === 'dusk' ? random.pick(['#f5d98a', '#3a3f47', '#e8c770']) : random.pick(['#5d7085', '#8aa0b5', '#3d4a57']),
  });
  const objects: SceneObject[] = [];
  const density = { ...DEFAULT_DENSITY, ...options.density };
  const place = (cls: ObjectClass): void => {
    const { widthM, heightM } = sizeOf(random, cls);
    const zM = zNear + (zFar - zNear) * random.next() ** 1.3 + 0.5;
    const onRoad = cls !== 'person' || random.chance(0.25);
    let xM: number;
    let view: View;
    if (cls === 'person') {
      xM = onRoad ? roadXM + random.range(-half, half) : roadXM + random.pick([-1, 1]) * (half + random.range(0.4, sidewalkM - 0.3));
      view = random.pick<View>(['front', 'rear', 'left', 'right']);
    } else if (cls === 'bicycle' || cls === 'motorcycle') {
      xM = roadXM + random.range(-half + 0.8, half - 0.8);
      view = random.pick<View>(['left', 'right']);
    } else {
      const lane = random.int(0, lanes - 1);
      xM = roadXM - half + 1.75 + lane * 3.5 + random.range(-0.4, 0.4);
      // Hong Kong drives on the left: the left lanes move away from the camera, the right lanes come towards it.
      view = xM < roadXM ? 'rear' : 'front';
    }
    let colour: string;
    let accent: string;
    if (cls === 'car') {
      if (random.chance(0.25)) [colour, accent] = random.pick(TAXI);
      else {
        colour = random.pick(CAR_COLOURS);
        accent = colour;
      }
    } else if (cls === 'bus') [colour, accent] = random.pick(BUS_COLOURS);
    else if (cls === 'truck') {
      colour = random.pick(TRUCK_COLOURS);
      accent = random.pick(TRUCK_COLOURS);
    } else {
      colour = random.pick(CLOTHES);
      accent = random.pick(CLOTHES);
    }
    objects.push({ class: cls, xM, zM, widthM, heightM, view, colour, accent, variant: random.next() });
  };
  const isVehicle = (cls: ObjectClass): boolean => cls !== 'person';
  // Vehicles keep apart (no two in one spot of a lane); a few tries, then the object is left out.
  const placeApart = (cls: ObjectClass): void => {
    for (let attempt = 0; attempt < 6; attempt++) {
      place(cls);
      const added = objects[objects.length - 1]!;
      const clash = isVehicle(cls) && objects.some((o) => o !== added && isVehicle(o.class) && Math.abs(o.xM - added.xM) < 1.6 && Math.abs(o.zM - added.zM) < 6);
      if (!clash) return;
      objects.pop();
    }
  };
  for (const cls of Object.keys(density) as ObjectClass[]) {
    const n = random.poisson(density[cls] ?? 0);
    for (let i = 0; i < n; i++) placeApart(cls);
  }
  // Now and then a group of people waiting on the pavement (bus stop, crossing, crowd): loose rows,
  // three abreast and staggered, as the live cameras stage crowds.
  if ((density.person ?? 0) > 0 && random.chance(options.groupChance ?? 0.3)) {
    const side = random.pick([-1, 1] as const);
    const z0 = zNear + random.range(1, Math.max(2, Math.min(30, zFar - 12)));
    const count = random.int(4, 10);
    const spacing = random.range(0.9, 1.3);
    for (let i = 0; i < count; i++) {
      const row = Math.floor(i / 3);
      const { widthM, heightM } = sizeOf(random, 'person');
      objects.push({
        class: 'person',
        xM: roadXM + side * (half + 0.5 + (i % 3) * spacing + (row % 2) * spacing * 0.5 + random.range(-0.15, 0.15)),
        zM: z0 + row * random.range(2.2, 3) + random.range(-0.2, 0.2),
        widthM,
        heightM,
        view: random.pick<View>(['front', 'rear', 'left', 'right', 'front']),
        colour: random.pick(CLOTHES),
        accent: random.pick(CLOTHES),
        variant: random.next(),
      });
    }
  }

  const crossStreetZM = options.crossStreet !== false && random.chance(0.4) ? random.range(zNear + 8, 45) : undefined;
  const buildings: Building[] = [];
  for (const side of [-1, 1] as const) {
    let z = random.range(2, 10);
    while (z < 160) {
      if (crossStreetZM !== undefined && z < crossStreetZM + 15 && z > crossStreetZM - 40) {
        // Leave the corner of the cross street open.
        const depth = crossStreetZM - 1 - z;
        if (depth > 4) buildings.push(building(side, z, depth));
        z = crossStreetZM + 15;
        continue;
      }
      const depth = random.range(12, 40);
      buildings.push(building(side, z, depth));
      z += depth + (random.chance(0.3) ? random.range(4, 12) : 0);
    }
  }
  const degrade = options.degrade ?? true;
  const sky: Record<Lighting, [string, string]> = {
    day: ['#7fb2e5', '#d6e6f2'],
    overcast: ['#a9b0b6', '#d5d8da'],
    dusk: ['#43365e', '#e69a63'],
    night: ['#05070d', '#1c2433'],
  };
  return {
    camera,
    background: 'street',
    lighting,
    roadXM,
    lanes,
    sidewalkM,
    crossStreetZM,
    buildings,
    objects,
    noise: degrade ? random.range(0, 0.5) : 0,
    blurSigma: degrade && random.chance(0.4) ? random.range(0.3, 1.1) : 0,
    rain: degrade && random.chance(0.15),
    asphalt: random.pick(['#4a4c50', '#55575b', '#3e4044', '#5f6064']),
    pavement: random.pick(['#9a968e', '#b0aca3', '#8c8a86']),
    sky: sky[lighting],
  };
}
