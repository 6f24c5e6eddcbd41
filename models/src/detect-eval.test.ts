import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConstantModel, yolov8Output } from '@streetwise/inference/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDetectorDataset } from './detect-dataset.js';
import { averagePrecision, matchDetections } from './detect-eval.js';
import { scoreDetectorFile } from './detect-score.js';

const box = (x1: number, y1: number, x2: number, y2: number, classId: number, score = 1) => ({ x1, y1, x2, y2, classId, score });

describe('matching and average precision (hand-computed)', () => {
  it('matches greedily by score; a detection on an ignore region is neither hit nor false alarm', () => {
    const truth = [{ ...box(0, 0, 10, 10, 0) }, { ...box(50, 50, 60, 60, 0), ignore: true }];
    const got = matchDetections([box(1, 0, 11, 10, 0, 0.9), box(0, 0, 10, 10, 0, 0.8), box(50, 50, 60, 60, 0, 0.7), box(0, 0, 10, 10, 2, 0.6)], truth);
    // 0.9 takes the truth box (IoU 90/110 ≥ 0.5); 0.8 finds it used: false alarm; 0.7 on the ignore box; class 2 has no truth.
    expect(got).toEqual({ truePositives: 1, falsePositives: 2, falseNegatives: 0, scored: [{ score: 0.9, classId: 0, hit: true }, { score: 0.8, classId: 0, hit: false }, { score: 0.6, classId: 2, hit: false }] });
  });

  it('all-point interpolated AP', () => {
    // hits at ranks 1 and 3 of 2 objects: precision envelope 1 up to recall 0.5, 2/3 up to recall 1 → 0.5 + 1/3
    expect(averagePrecision([{ score: 0.9, hit: true }, { score: 0.8, hit: false }, { score: 0.7, hit: true }], 2)).toBeCloseTo(0.5 + 1 / 3, 12);
    expect(Number.isNaN(averagePrecision([], 0))).toBe(true);
  });
});

describe('evaluateDetector through the shipped runner, on a dataset folder', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sw-detect-eval-'));
    await mkdir(join(dir, 'images'));
    // Six classes (ours), anchors in 320×320 input pixels; the images are 320×320, so input = image pixels.
    const scores = (classId: number, score: number) => Array.from({ length: 6 }, (_, c) => (c === classId ? score : 0));
    const out = yolov8Output([
      [100, 100, 40, 80, ...scores(0, 0.9)], // (80, 60, 120, 140): the person
      [200, 200, 20, 20, ...scores(1, 0.6)], // (190, 190, 210, 210): on an ignore box
      [50, 250, 20, 20, ...scores(2, 0.2)], // (40, 240, 60, 260): the car, scored below the 0.35 threshold
    ]);
    await writeFile(join(dir, 'det.onnx'), buildConstantModel({ inputWidth: 320, inputHeight: 320, outputDims: out.dims, outputData: out.data }));
    const jpeg = await sharp({ create: { width: 320, height: 320, channels: 3, background: { r: 128, g: 128, b: 128 } } }).jpeg().toBuffer();
    // Per image: person (hit), car (hit only below the threshold), motorcycle (never found), a bicycle to ignore.
    const boxes = [[0, 80, 60, 120, 140, 0], [2, 40, 240, 60, 260, 0], [3, 250, 50, 290, 90, 0], [1, 190, 190, 210, 210, 1]];
    const lines = [0, 1].map((i) => JSON.stringify({ file: `images/${i}.jpg`, layout: 'square', boxes }));
    for (const i of [0, 1]) await writeFile(join(dir, 'images', `${i}.jpg`), jpeg);
    await writeFile(join(dir, 'labels.jsonl'), `${lines.join('\n')}\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('recall, precision, AP per class and mAP as computed by hand', async () => {
    const score = await scoreDetectorFile(join(dir, 'det.onnx'), readDetectorDataset(dir));
    expect(score.settings.output.layout).toBe('yolov8');
    expect(score.images).toBe(2);
    expect(score.objects).toEqual([2, 0, 2, 2, 0, 0]);
    // At 0.35: the person twice (2 hits), the bicycle box absorbed, car and motorcycle missed twice each.
    expect(score.recall).toBeCloseTo(2 / 6, 12);
    expect(score.precision).toBe(1);
    // AP: person 1, car 1 (found, if only at 0.2), motorcycle 0; bicycle, bus, truck have no objects.
    expect(score.ap50.map((ap) => (Number.isNaN(ap) ? null : ap))).toEqual([1, null, 1, 0, null, null]);
    expect(score.map50).toBeCloseTo(2 / 3, 12);
  });

  it('names the line of a bad dataset', async () => {
    const bad = join(dir, 'bad');
    await mkdir(bad);
    await writeFile(join(bad, 'labels.jsonl'), '{"file": "images/0.jpg", "boxes": [[0, 1, 2]]}\n');
    await expect(readDetectorDataset(bad).next()).rejects.toMatchObject({ code: 'SW_MODEL_DATASET_INVALID', message: expect.stringMatching(/labels\.jsonl line 1: expected/) });
    await expect(readDetectorDataset(join(dir, 'nowhere')).next()).rejects.toMatchObject({ code: 'SW_MODEL_DATASET_INVALID' });
  });
});
