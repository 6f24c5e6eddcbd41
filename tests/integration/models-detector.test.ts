import { createYoloRunner, type YoloRunner } from '@streetwise/inference';
import { evaluateDetector, findModel, loadManifest, openVerifiedSession, type DetectorSample } from '@streetwise/models';
import { OBJECT_CLASSES } from '@streetwise/protocol';
import { createRandom, renderTrainingSample } from '@streetwise/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Stated bounds for models/detector.onnx on freshly rendered scenes, at score ≥ 0.35 and IoU ≥ 0.5, run through
 * the edge agent's letterbox, decoder and NMS (@streetwise/inference); measured figures are in models/README.md.
 */
export const MIN_RECALL = 0.7;
export const MIN_PRECISION = 0.8;
const SCENES = 40;

/** Rendered here (simulators) rather than in models' unit tests: models must not depend on simulators, which depends on models. */
async function* freshScenes(seed: number, count: number): AsyncGenerator<DetectorSample> {
  const random = createRandom(seed);
  for (let i = 0; i < count; i++) {
    const sample = await renderTrainingSample(random, seed + i);
    yield {
      image: { kind: 'encoded', data: sample.jpeg },
      truth: sample.boxes.map((b) => ({ x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2, classId: OBJECT_CLASSES.indexOf(b.class), ...(b.ignore === undefined ? {} : { ignore: b.ignore }) })),
    };
  }
}

describe('models/detector.onnx on freshly rendered scenes', () => {
  const entry = findModel(loadManifest(), 'detector');
  let runner: YoloRunner;
  beforeAll(async () => {
    const { session } = await openVerifiedSession(entry);
    runner = await createYoloRunner(session, { classCount: entry.classes!.length });
  });
  afterAll(async () => {
    await runner.session.release();
  });

  it('is read with the settings its manifest describes: 320 × 320, RGB 0–1, centred letterbox padded 114, YOLOv8 layout', () => {
    expect(runner.settings).toEqual({
      input: { width: 320, height: 320, channelOrder: 'rgb', pixelRange: '0-1', mean: [0, 0, 0], std: [1, 1, 1], placement: 'centre', padValue: 114 },
      output: { layout: 'yolov8' },
    });
  });

  it(`finds the objects: recall ≥ ${MIN_RECALL} and precision ≥ ${MIN_PRECISION} at IoU 0.5`, async () => {
    // A seed no training or held-out set used.
    const score = await evaluateDetector(runner, freshScenes(90_917, SCENES), { classCount: OBJECT_CLASSES.length });
    const perClass = OBJECT_CLASSES.map((c, i) => `${c} ${score.ap50[i]!.toFixed(2)}`).join(', ');
    console.log(`detector on ${score.images} fresh scenes: recall ${score.recall.toFixed(3)}, precision ${score.precision.toFixed(3)}, mAP@0.5 ${score.map50.toFixed(3)} (${perClass})`);
    expect(score.images).toBe(SCENES);
    expect(score.recall).toBeGreaterThanOrEqual(MIN_RECALL);
    expect(score.precision).toBeGreaterThanOrEqual(MIN_PRECISION);
  });
});
