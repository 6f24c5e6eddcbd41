import { OBJECT_CLASSES, type ObjectClass } from '@streetwise/protocol';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.js';
import { renderScene } from './render.js';
import { CLASS_SIZE, randomScene, type SceneObject, type SceneSpec, type View } from './scene-spec.js';

const BACKGROUND = [0, 255, 0] as const;

function plainScene(objects: SceneObject[], width = 320, height = 240): SceneSpec {
  return {
    camera: { width, height, horizonY: 60, centreX: width / 2, focalPx: 300, heightM: 6 },
    background: 'plain',
    lighting: 'day',
    roadXM: 0,
    lanes: 2,
    sidewalkM: 3,
    crossStreetZM: undefined,
    buildings: [],
    objects,
    noise: 0,
    blurSigma: 0,
    rain: false,
    asphalt: '#00ff00',
    pavement: '#00ff00',
    sky: ['#00ff00', '#00ff00'],
  };
}

function object(cls: ObjectClass, xM: number, zM: number, view: View): SceneObject {
  const size = CLASS_SIZE[cls];
  return { class: cls, xM, zM, widthM: size.width[1], heightM: size.height[1], view, colour: '#b3262d', accent: '#23417a', variant: 0.3 };
}

/** Bounding box of every pixel that is not the background colour (tolerating anti-aliasing a little). */
function drawnBox(raw: Buffer, width: number, height: number): { x1: number; y1: number; x2: number; y2: number } {
  let x1 = width;
  let y1 = height;
  let x2 = -1;
  let y2 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const d = Math.abs(raw[i]! - BACKGROUND[0]) + Math.abs(raw[i + 1]! - BACKGROUND[1]) + Math.abs(raw[i + 2]! - BACKGROUND[2]);
      if (d > 60) {
        x1 = Math.min(x1, x);
        y1 = Math.min(y1, y);
        x2 = Math.max(x2, x + 1);
        y2 = Math.max(y2, y + 1);
      }
    }
  }
  return { x1, y1, x2, y2 };
}

describe('scene renderer boxes', () => {
  const cases: Array<[ObjectClass, View]> = [
    ['car', 'rear'],
    ['car', 'front'],
    ['bus', 'front'],
    ['bus', 'rear'],
    ['truck', 'rear'],
    ['truck', 'front'],
    ['motorcycle', 'left'],
    ['motorcycle', 'right'],
    ['bicycle', 'right'],
    ['person', 'front'],
    ['person', 'left'],
  ];
  it.each(cases)('the box of a lone %s (%s) is exactly what was drawn, within 1 px', async (cls, view) => {
    const spec = plainScene([object(cls, 0.4, 14, view)]);
    const scene = await renderScene(spec, { format: 'raw' });
    expect(scene.boxes).toHaveLength(1);
    const box = scene.boxes[0]!;
    expect(box.class).toBe(cls);
    expect(box.ignore).toBe(false);
    const drawn = drawnBox(scene.image, spec.camera.width, spec.camera.height);
    expect(Math.abs(drawn.x1 - box.x1)).toBeLessThanOrEqual(1);
    expect(Math.abs(drawn.y1 - box.y1)).toBeLessThanOrEqual(1);
    expect(Math.abs(drawn.x2 - box.x2)).toBeLessThanOrEqual(1);
    expect(Math.abs(drawn.y2 - box.y2)).toBeLessThanOrEqual(1);
  });

  it('puts a nearer object in front and estimates how much of the farther one it hides', async () => {
    const far = object('car', 0, 20, 'rear');
    const near = object('bus', 0, 12, 'rear');
    const scene = await renderScene(plainScene([far, near]), { format: 'raw' });
    const farBox = scene.boxes.find((b) => b.objectIndex === 0)!;
    const nearBox = scene.boxes.find((b) => b.objectIndex === 1)!;
    expect(nearBox.visible).toBe(1);
    expect(farBox.visible).toBeLessThan(0.1);
    expect(farBox.ignore).toBe(true);
  });

  it('is deterministic and draws every class across random street scenes', async () => {
    const random = createRandom(9);
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const spec = randomScene(random, { width: 320, height: 180 });
      const a = await renderScene(spec, { format: 'png', noiseSeed: i });
      const b = await renderScene(spec, { format: 'png', noiseSeed: i });
      expect(a.image.equals(b.image)).toBe(true);
      for (const box of a.boxes) {
        seen.add(box.class);
        expect(box.x1).toBeGreaterThanOrEqual(0);
        expect(box.y2).toBeLessThanOrEqual(180);
      }
    }
    expect(seen).toEqual(new Set(OBJECT_CLASSES));
  });
});
