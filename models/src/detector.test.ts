import { OBJECT_CLASSES } from '@streetwise/protocol';
import { createRandom, renderTrainingSample } from '@streetwise/simulators';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Through the package (dist), like @streetwise/simulators does: one copy of the error catalogue.
import { averagePrecision, decodeYoloOutput, findModel, loadManifest, matchDetections, openVerifiedSession, type TruthBox } from '@streetwise/models';

/** Stated bounds on freshly rendered scenes, at score ≥ 0.35 and IoU ≥ 0.5 (measured at commit: recall 0.759, precision 0.888, mAP@0.5 0.817). */
export const MIN_RECALL = 0.7;
export const MIN_PRECISION = 0.8;
const SCENES = 40;

describe('detector on freshly rendered scenes', () => {
  let session: ort.InferenceSession;
  const entry = findModel(loadManifest(), 'detector');
  beforeAll(async () => {
    ({ session } = await openVerifiedSession(entry));
  });
  afterAll(async () => {
    await session.release();
  });

  it(`finds the objects: recall ≥ ${MIN_RECALL} and precision ≥ ${MIN_PRECISION} at IoU 0.5`, async () => {
    // A seed no training or held-out set used.
    const random = createRandom(90_917);
    const [, channels, anchors] = entry.outputs[0]!.shape as [number, number, number];
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const scored: Array<{ score: number; hit: boolean; classIndex: number }> = [];
    const objects = new Array<number>(OBJECT_CLASSES.length).fill(0);
    for (let i = 0; i < SCENES; i++) {
      const sample = await renderTrainingSample(random, 90_917 + i);
      const { data } = await sharp(sample.jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const input = new Float32Array(3 * 320 * 320);
      for (let p = 0; p < 320 * 320; p++) {
        input[p] = data[p * 3]! / 255;
        input[320 * 320 + p] = data[p * 3 + 1]! / 255;
        input[2 * 320 * 320 + p] = data[p * 3 + 2]! / 255;
      }
      const result = await session.run({ images: new ort.Tensor('float32', input, [1, 3, 320, 320]) });
      const output = result['output0']!.data as Float32Array;
      const truth: TruthBox[] = sample.boxes.map((b) => ({ x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2, classIndex: OBJECT_CLASSES.indexOf(b.class), ignore: b.ignore }));
      for (const t of truth) if (!t.ignore) objects[t.classIndex]!++;
      const atThreshold = matchDetections(decodeYoloOutput(output, channels, anchors, 0.35, 0.5), truth);
      tp += atThreshold.truePositives;
      fp += atThreshold.falsePositives;
      fn += atThreshold.falseNegatives;
      scored.push(...matchDetections(decodeYoloOutput(output, channels, anchors, 0.01, 0.5), truth).scored);
    }
    const recall = tp / (tp + fn);
    const precision = tp / (tp + fp);
    const aps = OBJECT_CLASSES.map((_, c) => averagePrecision(scored.filter((s) => s.classIndex === c), objects[c]!)).filter((ap) => !Number.isNaN(ap));
    const map50 = aps.reduce((a, b) => a + b, 0) / aps.length;
    console.log(`detector on ${SCENES} fresh scenes: recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)}, mAP@0.5 ${map50.toFixed(3)}`);
    expect(recall).toBeGreaterThanOrEqual(MIN_RECALL);
    expect(precision).toBeGreaterThanOrEqual(MIN_PRECISION);
  });
});
