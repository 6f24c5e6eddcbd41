import type { ObjectClass } from '@streetwise/protocol';
import sharp from 'sharp';
import { SW_SIM_RENDER_FAILED } from '../errors.js';
import { groundY, heightY, screenX, type CameraView, type SceneObject, type SceneSpec } from './scene-spec.js';
import { spriteFor } from './sprites.js';
import { createRandom } from '../random.js';

/** A box in image pixels, x1/y1 inclusive top-left, x2/y2 bottom-right. */
export interface PixelBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface LabelledBox extends PixelBox {
  class: ObjectClass;
  /** Share of the box not hidden by nearer objects (box-level estimate), 0–1. */
  visible: number;
  /** Too small or hidden to be fair to demand of a detector: do not count as a miss, nor a hit on it as a false alarm. */
  ignore: boolean;
  /** Index into spec.objects. */
  objectIndex: number;
}

export interface RenderedScene {
  width: number;
  height: number;
  /** Encoded image (JPEG or PNG) or raw RGB, as asked. */
  image: Buffer;
  format: 'jpeg' | 'png' | 'raw';
  boxes: LabelledBox[];
}

export interface RenderOptions {
  format?: 'jpeg' | 'png' | 'raw';
  /** JPEG quality. Default 85. */
  quality?: number;
  /** Seed of the sensor noise pattern. Default 1. */
  noiseSeed?: number;
}

/** Labels are kept only for boxes at least this large (pixels) and this visible. */
export const MIN_BOX_HEIGHT_PX = 6;
export const MIN_BOX_WIDTH_PX = 3;
export const MIN_VISIBLE = 0.4;

const f1 = (x: number): string => (Math.round(x * 10) / 10).toString();
const quad = (pts: Array<[number, number]>, fill: string, extra = ''): string => `<polygon points="${pts.map(([x, y]) => `${f1(x)},${f1(y)}`).join(' ')}" fill="${fill}"${extra}/>`;

/** The screen box of an object: its ground contact at the bottom, its height at the top. */
export function objectBox(camera: CameraView, o: SceneObject): PixelBox {
  const cx = screenX(camera, o.xM, o.zM);
  const halfW = (camera.focalPx * o.widthM) / o.zM / 2;
  return { x1: cx - halfW, y1: heightY(camera, o.heightM, o.zM), x2: cx + halfW, y2: groundY(camera, o.zM) };
}

function groundQuad(camera: CameraView, x1: number, x2: number, z1: number, z2: number): Array<[number, number]> {
  return [
    [screenX(camera, x1, z1), groundY(camera, z1)],
    [screenX(camera, x2, z1), groundY(camera, z1)],
    [screenX(camera, x2, z2), groundY(camera, z2)],
    [screenX(camera, x1, z2), groundY(camera, z2)],
  ];
}

function backgroundSvg(spec: SceneSpec): string {
  const c = spec.camera;
  const half = (spec.lanes * 3.5) / 2;
  const zNear = 0.3;
  const zFar = 2000;
  const parts: string[] = [
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${spec.sky[0]}"/><stop offset="1" stop-color="${spec.sky[1]}"/></linearGradient></defs>`,
    `<rect x="0" y="0" width="${c.width}" height="${c.height}" fill="url(#sky)"/>`,
    `<rect x="0" y="${f1(c.horizonY)}" width="${c.width}" height="${f1(c.height - c.horizonY)}" fill="${spec.pavement}"/>`,
  ];
  if (spec.crossStreetZM !== undefined) parts.push(quad(groundQuad(c, -300, 300, spec.crossStreetZM, spec.crossStreetZM + 14), spec.asphalt));
  // Buildings, far first on each side: front face then facade with windows.
  const sorted = [...spec.buildings].sort((a, b) => b.zNearM - a.zNearM);
  for (const b of sorted) {
    const zn = Math.max(0.5, b.zNearM);
    const outer = b.xM + b.side * 25;
    const p = (x: number, h: number, z: number): [number, number] => [screenX(c, x, z), heightY(c, h, z)];
    parts.push(quad([p(b.xM, 0, zn), p(b.xM, b.heightM, zn), p(outer, b.heightM, zn), p(outer, 0, zn)], b.colour));
    parts.push(quad([p(b.xM, 0, zn), p(b.xM, b.heightM, zn), p(b.xM, b.heightM, b.zFarM), p(b.xM, 0, b.zFarM)], b.colour, ' fill-opacity="0.88"'));
    for (let h = 3; h + 1.6 < b.heightM; h += 3.2) {
      for (let z = zn + 1; z + 1.8 < b.zFarM; z += 4) {
        const w = [p(b.xM, h, z), p(b.xM, h + 1.6, z), p(b.xM, h + 1.6, z + 1.8), p(b.xM, h, z + 1.8)];
        if (Math.abs(w[0]![0] - w[2]![0]) < 1.2) continue;
        parts.push(quad(w, b.windowColour));
      }
    }
  }
  parts.push(quad(groundQuad(c, spec.roadXM - half, spec.roadXM + half, zNear, zFar), spec.asphalt));
  if (spec.crossStreetZM !== undefined) {
    const z = spec.crossStreetZM;
    for (let x = spec.roadXM - half + 0.3; x < spec.roadXM + half - 0.5; x += 1.1) {
      parts.push(quad(groundQuad(c, x, x + 0.55, z - 4, z - 0.5), '#e9e9e9'));
    }
  }
  // Kerbs and lane markings: solid edge lines, dashed lane lines.
  for (const edge of [spec.roadXM - half, spec.roadXM + half]) {
    parts.push(quad(groundQuad(c, edge - 0.25, edge, zNear, zFar), '#c9c5bb'));
    parts.push(quad(groundQuad(c, edge + (edge < spec.roadXM ? 0.2 : -0.35), edge + (edge < spec.roadXM ? 0.35 : -0.2), zNear, zFar), '#e8c32a'));
  }
  for (let k = 1; k < spec.lanes; k++) {
    const x = spec.roadXM - half + k * 3.5;
    for (let z = 1; z < 160; z += 9) parts.push(quad(groundQuad(c, x - 0.07, x + 0.07, z, z + 3), '#e4e4e4'));
  }
  return parts.join('');
}

/** Share of each box not covered by nearer boxes, on a coarse 12 × 12 sample grid. */
function visibility(boxes: PixelBox[], nearerFirst: number[]): number[] {
  const out = new Array<number>(boxes.length).fill(1);
  nearerFirst.forEach((index, rank) => {
    const b = boxes[index]!;
    let hidden = 0;
    for (let i = 0; i < 12; i++) {
      for (let j = 0; j < 12; j++) {
        const x = b.x1 + ((i + 0.5) / 12) * (b.x2 - b.x1);
        const y = b.y1 + ((j + 0.5) / 12) * (b.y2 - b.y1);
        for (let r = 0; r < rank; r++) {
          const o = boxes[nearerFirst[r]!]!;
          if (x >= o.x1 && x <= o.x2 && y >= o.y1 && y <= o.y2) {
            hidden++;
            break;
          }
        }
      }
    }
    out[index] = 1 - hidden / 144;
  });
  return out;
}

const DARKNESS: Record<SceneSpec['lighting'], number> = { day: 0, overcast: 0.12, dusk: 0.35, night: 0.6 };

/** The full SVG of a scene and the boxes of what it draws. */
export function sceneSvg(spec: SceneSpec): { svg: string; boxes: LabelledBox[] } {
  const c = spec.camera;
  const boxes = spec.objects.map((o) => objectBox(c, o));
  const farFirst = spec.objects.map((_, i) => i).sort((a, b) => spec.objects[b]!.zM - spec.objects[a]!.zM);
  const bodies: string[] = [];
  const lamps: string[] = [];
  for (const i of farFirst) {
    const b = boxes[i]!;
    const sprite = spriteFor(spec.objects[i]!);
    const frame = `x="${b.x1}" y="${b.y1}" width="${b.x2 - b.x1}" height="${b.y2 - b.y1}" viewBox="0 0 100 100" preserveAspectRatio="none"`;
    bodies.push(`<svg ${frame}>${sprite.body}</svg>`);
    if (sprite.emissive && spec.lighting !== 'day') lamps.push(`<svg ${frame}>${sprite.emissive}</svg>`);
    else if (sprite.emissive) bodies.push(`<svg ${frame}>${sprite.emissive}</svg>`);
  }
  const darkness = DARKNESS[spec.lighting];
  const overlay = darkness > 0 ? `<rect x="0" y="0" width="${c.width}" height="${c.height}" fill="#050816" fill-opacity="${darkness}"/>` : '';
  let rain = '';
  if (spec.rain) {
    const random = createRandom(Math.round(c.focalPx * 1000 + c.horizonY));
    const streaks: string[] = [];
    for (let i = 0; i < 120; i++) {
      const x = random.range(0, c.width);
      const y = random.range(0, c.height);
      streaks.push(`M${f1(x)} ${f1(y)} l-2 9`);
    }
    rain = `<path d="${streaks.join(' ')}" stroke="#d8e0ea" stroke-opacity="0.35" stroke-width="1"/>`;
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${c.width}" height="${c.height}" viewBox="0 0 ${c.width} ${c.height}">` +
    (spec.background === 'plain' ? `<rect x="0" y="0" width="${c.width}" height="${c.height}" fill="${spec.pavement}"/>` : backgroundSvg(spec)) +
    bodies.join('') +
    overlay +
    lamps.join('') +
    rain +
    `</svg>`;

  const nearFirst = [...farFirst].reverse();
  const visible = visibility(boxes, nearFirst);
  const labelled: LabelledBox[] = boxes.map((b, i) => {
    const clipped = { x1: Math.max(0, b.x1), y1: Math.max(0, b.y1), x2: Math.min(c.width, b.x2), y2: Math.min(c.height, b.y2) };
    const area = (b.x2 - b.x1) * (b.y2 - b.y1);
    const inFrame = area > 0 ? (Math.max(0, clipped.x2 - clipped.x1) * Math.max(0, clipped.y2 - clipped.y1)) / area : 0;
    const ignore =
      clipped.y2 - clipped.y1 < MIN_BOX_HEIGHT_PX || clipped.x2 - clipped.x1 < MIN_BOX_WIDTH_PX || visible[i]! < MIN_VISIBLE || inFrame < 0.4;
    return { ...clipped, class: spec.objects[i]!.class, visible: Math.round(visible[i]! * 100) / 100, ignore, objectIndex: i };
  });
  return { svg, boxes: labelled.filter((b) => b.x2 > b.x1 && b.y2 > b.y1) };
}

/**
 * Render a scene with sharp: the SVG is rasterised by librsvg, then sensor noise is added and the
 * image blurred as the spec says. Boxes are those of the SVG: noise and blur do not move them.
 */
export async function renderScene(spec: SceneSpec, options: RenderOptions = {}): Promise<RenderedScene> {
  const { svg, boxes } = sceneSvg(spec);
  const { width, height } = spec.camera;
  const format = options.format ?? 'jpeg';
  try {
    let raw = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
    if (spec.noise > 0) {
      const random = createRandom(options.noiseSeed ?? 1);
      const sd = spec.noise * 40;
      // One noise value per pixel (luma-like) plus a little chroma: cheaper than three normals.
      for (let i = 0; i < raw.length; i += 3) {
        const n = (random.next() + random.next() + random.next() - 1.5) * 2 * sd;
        raw[i] = Math.max(0, Math.min(255, raw[i]! + n));
        raw[i + 1] = Math.max(0, Math.min(255, raw[i + 1]! + n));
        raw[i + 2] = Math.max(0, Math.min(255, raw[i + 2]! + n));
      }
    }
    let image = sharp(raw, { raw: { width, height, channels: 3 } });
    if (spec.blurSigma >= 0.3) image = image.blur(spec.blurSigma);
    if (format === 'raw') raw = await image.raw().toBuffer();
    const encoded = format === 'raw' ? raw : format === 'png' ? await image.png().toBuffer() : await image.jpeg({ quality: options.quality ?? 85 }).toBuffer();
    return { width, height, image: encoded, format, boxes };
  } catch (err) {
    throw SW_SIM_RENDER_FAILED([`${width}x${height}`, (err as Error).message], { cause: err });
  }
}
