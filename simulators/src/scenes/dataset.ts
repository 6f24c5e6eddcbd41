import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { computeLetterbox, toInputBox, ULTRALYTICS_INPUT } from '@streetwise/inference';
import { OBJECT_CLASSES } from '@streetwise/protocol';
import sharp from 'sharp';
import { createRandom, type Random } from '../random.js';
import { renderScene, type LabelledBox } from './render.js';
import { randomScene } from './scene-spec.js';

/** Side of the square detector input. */
export const DETECTOR_INPUT = 320;
/** Grey of letterbox padding, as in Ultralytics' letterbox (the detector's input settings). */
export const LETTERBOX_GREY = ULTRALYTICS_INPUT.padValue;

export interface TrainingSample {
  /** JPEG, DETECTOR_INPUT × DETECTOR_INPUT. */
  jpeg: Buffer;
  boxes: LabelledBox[];
  /** "square" scenes fill the input; "wide" are 640 × 360 camera frames letterboxed into it. */
  layout: 'square' | 'wide';
}

/**
 * One detector training sample, laid out as the edge agent will feed frames: half are square scenes,
 * half are 16:9 camera frames scaled and letterboxed with grey bars.
 */
export async function renderTrainingSample(random: Random, noiseSeed: number): Promise<TrainingSample> {
  const layout = random.chance(0.5) ? 'square' : 'wide';
  if (layout === 'square') {
    const scene = await renderScene(randomScene(random, { width: DETECTOR_INPUT, height: DETECTOR_INPUT }), { format: 'jpeg', quality: 90, noiseSeed });
    return { jpeg: scene.image, boxes: scene.boxes, layout };
  }
  const scene = await renderScene(randomScene(random, { width: 640, height: 360 }), { format: 'raw', noiseSeed });
  // Where the frame lands in the input, and its boxes with it: the detector's own letterbox arithmetic.
  const l = computeLetterbox(640, 360, { width: DETECTOR_INPUT, height: DETECTOR_INPUT, placement: ULTRALYTICS_INPUT.placement });
  const jpeg = await sharp(scene.image, { raw: { width: 640, height: 360, channels: 3 } })
    .resize(l.newWidth, l.newHeight)
    .extend({
      top: l.padTop,
      bottom: l.dstHeight - l.newHeight - l.padTop,
      left: l.padLeft,
      right: l.dstWidth - l.newWidth - l.padLeft,
      background: { r: LETTERBOX_GREY, g: LETTERBOX_GREY, b: LETTERBOX_GREY },
    })
    .jpeg({ quality: 90 })
    .toBuffer();
  const boxes = scene.boxes.map((b) => {
    const [x1, y1, x2, y2] = toInputBox([b.x1, b.y1, b.x2, b.y2], l);
    const scaled = { ...b, x1, y1, x2, y2 };
    // Downscaling halves small boxes: re-apply the size floor at the input scale.
    return { ...scaled, ignore: b.ignore || scaled.y2 - scaled.y1 < 6 || scaled.x2 - scaled.x1 < 3 };
  });
  return { jpeg, boxes, layout };
}

export interface DatasetOptions {
  outDir: string;
  count: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Write a detector dataset: images/NNNNNN.jpg and labels.jsonl, one line per image:
 * {"file", "layout", "boxes": [[classIndex, x1, y1, x2, y2, ignore(0|1)], …]} in input pixels.
 */
export async function exportDetectorDataset(options: DatasetOptions): Promise<{ images: number; boxes: number; ignored: number; perClass: Record<string, number> }> {
  await mkdir(join(options.outDir, 'images'), { recursive: true });
  const random = createRandom(options.seed).fork('dataset');
  const lines: string[] = [];
  const perClass: Record<string, number> = Object.fromEntries(OBJECT_CLASSES.map((c) => [c, 0]));
  let boxes = 0;
  let ignored = 0;
  for (let i = 0; i < options.count; i++) {
    const sample = await renderTrainingSample(random, options.seed * 100_003 + i);
    const file = `images/${String(i).padStart(6, '0')}.jpg`;
    await writeFile(join(options.outDir, file), sample.jpeg);
    const rows = sample.boxes.map((b) => {
      if (b.ignore) ignored++;
      else {
        boxes++;
        perClass[b.class] = (perClass[b.class] ?? 0) + 1;
      }
      const r2 = (x: number): number => Math.round(x * 100) / 100;
      return [OBJECT_CLASSES.indexOf(b.class), r2(b.x1), r2(b.y1), r2(b.x2), r2(b.y2), b.ignore ? 1 : 0];
    });
    lines.push(JSON.stringify({ file, layout: sample.layout, boxes: rows }));
    options.onProgress?.(i + 1, options.count);
  }
  await writeFile(join(options.outDir, 'labels.jsonl'), `${lines.join('\n')}\n`);
  await writeFile(join(options.outDir, 'classes.json'), JSON.stringify(OBJECT_CLASSES));
  return { images: options.count, boxes, ignored, perClass };
}
