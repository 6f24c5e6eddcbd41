/**
 * PRIVACY.md, DPP4: an opt-in snapshot of a real street hides every person, also those the detector missed.
 * The London street photo (tests/fixtures/photos/coco_000000001584.jpg, 612×612) has seven people labelled by
 * hand below (approximate boxes: three on the pavement, the driver and a passenger behind the lower deck's
 * glass, two passengers upstairs). The shipped real-camera detector (YOLOX-Nano) finds some of them; the
 * snapshot the agent would publish is measured inside every labelled box: its sharpness (variance of the
 * Laplacian) against the same box in the unblurred picture.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOnnxDetector, type OnnxDetector } from '../detect/onnx-detector.js';
import { realCameraModelPath } from '../detect/manifest-names.js';
import type { Detection } from '../detect/types.js';
import { DEFAULT_SNAPSHOT_OPTIONS, makeSnapshot } from './snapshot.js';

type Box = readonly [number, number, number, number];
const PHOTO = readFileSync(fileURLToPath(new URL('../../../tests/fixtures/photos/coco_000000001584.jpg', import.meta.url)));
const PHOTO_WIDTH = 612;
const PEOPLE: ReadonlyArray<{ who: string; box: Box }> = [
  { who: 'man in yellow on the pavement', box: [78, 372, 99, 432] },
  { who: 'child on the pavement', box: [90, 388, 104, 432] },
  { who: 'woman with a pram', box: [111, 378, 131, 432] },
  { who: 'bus driver behind the windscreen', box: [190, 308, 252, 370] },
  { who: 'lower-deck passenger', box: [295, 330, 332, 370] },
  { who: 'upper-deck passenger, left', box: [177, 162, 205, 192] },
  { who: 'upper-deck passenger, middle', box: [295, 160, 322, 190] },
];

const iou = (a: Box, b: Box): number => {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const area = (r: Box) => (r[2] - r[0]) * (r[3] - r[1]);
  return (w * h) / (area(a) + area(b) - w * h);
};

/** Greyscale pixels of a picture at the snapshot's width. */
async function grey(image: Buffer, width: number): Promise<{ px: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(image).resize({ width }).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { px: data, width: info.width, height: info.height };
}

/** Within `margin` px of a drawn outline (a rectangle's border). */
function nearOutline(outlines: readonly Box[], x: number, y: number, margin: number): boolean {
  return outlines.some(
    (o) => x >= o[0] - margin && x <= o[2] + margin && y >= o[1] - margin && y <= o[3] + margin && (x <= o[0] + margin || x >= o[2] - margin || y <= o[1] + margin || y >= o[3] - margin),
  );
}

/** Variance of the 4-neighbour Laplacian inside `box` (output pixels): how much fine detail is there. */
function laplacianVariance(img: { px: Buffer; width: number }, box: Box): number {
  const at = (x: number, y: number): number => img.px[y * img.width + x]!;
  const values: number[] = [];
  for (let y = Math.ceil(box[1]); y < Math.floor(box[3]); y++) {
    for (let x = Math.ceil(box[0]); x < Math.floor(box[2]); x++) values.push(4 * at(x, y) - at(x - 1, y) - at(x + 1, y) - at(x, y - 1) - at(x, y + 1));
  }
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  return values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
}

describe('snapshots of a real street', () => {
  let detector: OnnxDetector;
  let detections: Detection[];
  beforeAll(async () => {
    detector = await createOnnxDetector({ modelPath: realCameraModelPath() });
    detections = (await detector.detect({ kind: 'encoded', data: PHOTO })).detections;
  });
  afterAll(async () => {
    await detector?.dispose();
  });

  it('the detector misses people on it: blurring only what it found would send them sharp', () => {
    const found = PEOPLE.filter((p) => detections.some((d) => d.class === 'person' && iou(d.box, p.box) >= 0.3));
    // PRIVACY.md quotes this figure (3 of 7 when written): the reason the whole frame is blurred.
    expect(found.length).toBeGreaterThan(0);
    expect(found.length, `found: ${found.map((p) => p.who).join(', ')}`).toBeLessThan(PEOPLE.length);
  });

  it('blurs every labelled person, found or missed, in the snapshot the agent would publish', async () => {
    const width = DEFAULT_SNAPSHOT_OPTIONS.width;
    const scale = width / PHOTO_WIDTH;
    const toOutput = (b: Box): Box => [b[0] * scale, b[1] * scale, b[2] * scale, b[3] * scale];
    const outlines = detections.map((d) => toOutput(d.box));
    const published = Buffer.from(await makeSnapshot({ kind: 'encoded', data: PHOTO }, detections), 'base64');
    expect(await sharp(published).metadata()).toMatchObject({ format: 'jpeg', width });
    // The outlines (sharp yellow lines, on purpose) cover the smallest people at this width, so the picture's
    // content is measured on the same snapshot without them, after checking that the outlines are all that differs.
    const plain = Buffer.from(await makeSnapshot({ kind: 'encoded', data: PHOTO }, []), 'base64');
    const [withLines, withoutLines, original] = await Promise.all([grey(published, width), grey(plain, width), grey(PHOTO, width)]);
    let differing = 0;
    let compared = 0;
    for (let y = 0; y < withLines.height; y++) {
      for (let x = 0; x < withLines.width; x++) {
        if (nearOutline(outlines, x, y, 4)) continue;
        compared++;
        if (Math.abs(withLines.px[y * width + x]! - withoutLines.px[y * width + x]!) > 12) differing++;
      }
    }
    expect(differing / compared).toBeLessThan(0.001);
    for (const p of PEOPLE) {
      const box = toOutput(p.box);
      const before = laplacianVariance(original, box);
      const after = laplacianVariance(withoutLines, box);
      // Sharp in the original (there is detail to hide), and almost none of it left.
      expect(before, p.who).toBeGreaterThan(20);
      expect(after / before, `${p.who}: ${before.toFixed(0)} → ${after.toFixed(1)}`).toBeLessThan(0.05);
    }
  });
});
