import { describe, expect, it } from 'vitest';
import { nms, iou } from './nms.js';
import { decodeEnd2End } from './decode/end2end.js';
import { decodeYolov5 } from './decode/yolov5.js';
import { decodeYolov8 } from './decode/yolov8.js';
import { decodeYolox, yoloxAnchorCount } from './decode/yolox.js';
import { decodeOutput, detectLayout } from './output-layout.js';
import { yolov8Output } from '../testing/onnx-model.js';

const wantedPersonCar = { wanted: [{ classId: 0, threshold: 0.25 }, { classId: 2, threshold: 0.5 }] };

describe('layout detection', () => {
  it('tells the three layouts apart by shape, class count and metadata', () => {
    expect(detectLayout([1, 84, 2100])).toBe('yolov8');
    expect(detectLayout([1, 6300, 85])).toBe('yolov5');
    expect(detectLayout([1, 300, 6])).toBe('end2end');
    expect(detectLayout([1, 300, 6], { end2end: true })).toBe('end2end');
    // YOLOv5 with one class also ends in 6: the class count decides.
    expect(detectLayout([1, 300, 6], { numClasses: 1 })).toBe('yolov5');
    expect(detectLayout([1, 6, 300], { numClasses: 2 })).toBe('yolov8');
    expect(detectLayout([1, 300, 6], { numClasses: 80 })).toBe('end2end');
    expect(() => detectLayout([1, 84, 2100], { end2end: true })).toThrow(expect.objectContaining({ code: 'SW_INFERENCE_OUTPUT_SHAPE', message: expect.stringMatching(/end2end/) }));
    expect(() => detectLayout([84, 2100])).toThrow(expect.objectContaining({ code: 'SW_INFERENCE_OUTPUT_SHAPE', message: expect.stringMatching(/\[84, 2100\]/) }));
  });

  it('refuses to decode an output with a layout it does not fit', () => {
    const params = { wanted: [{ classId: 0, threshold: 0.5 }] };
    expect(() => decodeOutput('end2end', new Float32Array(84 * 3), [1, 84, 3], params)).toThrow(expect.objectContaining({ code: 'SW_INFERENCE_OUTPUT_SHAPE' }));
    expect(() => decodeOutput('yolov8', new Float32Array(12), [1, 4, 3], params)).toThrow(/at least one class/);
    expect(decodeOutput('end2end', Float32Array.from([1, 2, 3, 4, 0.9, 0]), [1, 1, 6], params)).toEqual([{ x1: 1, y1: 2, x2: 3, y2: 4, score: expect.closeTo(0.9, 6), classId: 0 }]);
  });
});

describe('decoders (hand-computed)', () => {
  it('yolov8: best wanted class per anchor, per-class thresholds, centre → corners', () => {
    const { dims, data } = yolov8Output([
      [100, 100, 40, 80, 0.9, 0.1, 0.05], // person 0.9
      [200, 50, 20, 20, 0.1, 0.95, 0.4], // dog (not wanted), car 0.4 below its 0.5 threshold
      [50, 60, 10, 30, 0.3, 0.0, 0.6], // car 0.6 beats person 0.3
      [10, 10, 4, 4, 0.2, 0.0, 0.0], // person 0.2 below 0.25
    ]);
    const got = decodeYolov8(data, dims, wantedPersonCar);
    expect(got).toHaveLength(2);
    expect(got[0]).toMatchObject({ x1: 80, y1: 60, x2: 120, y2: 140, classId: 0 });
    expect(got[0]!.score).toBeCloseTo(0.9, 6);
    expect(got[1]).toMatchObject({ x1: 45, y1: 45, x2: 55, y2: 75, classId: 2 });
  });

  it('yolov5: score is objectness × class score', () => {
    const rows = [
      [100, 100, 40, 80, 0.8, 0.5, 0, 0.1], // person 0.4
      [100, 100, 40, 80, 0.2, 0.9, 0, 0.9], // objectness below every threshold
      [30, 30, 10, 10, 0.9, 0.1, 0, 0.7], // car 0.63
    ];
    const got = decodeYolov5(Float32Array.from(rows.flat()), [1, 3, 8], wantedPersonCar);
    expect(got.map((c) => c.classId)).toEqual([0, 2]);
    expect(got[0]!.score).toBeCloseTo(0.4, 6);
    expect(got[1]!.score).toBeCloseTo(0.63, 6);
    expect(got[1]).toMatchObject({ x1: 25, y1: 25, x2: 35, y2: 35 });
  });

  it('end2end: corners, score and class id as given', () => {
    const rows = [
      [1, 2, 3, 4, 0.9, 0],
      [5, 6, 7, 8, 0.45, 2], // car below 0.5
      [9, 9, 19, 19, 0.99, 16], // not wanted
      [0, 0, 0, 0, 0, 0], // padding rows
    ];
    const got = decodeEnd2End(Float32Array.from(rows.flat()), [1, 4, 6], wantedPersonCar);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ x1: 1, y1: 2, x2: 3, y2: 4, classId: 0 });
  });
});

describe('YOLOX decode: grid and stride offsets (hand-computed)', () => {
  // A 64×32 input: stride 8 → 8×4 cells (rows 0–31), stride 16 → 4×2 (rows 32–39), stride 32 → 2×1 (rows 40–41).
  const input = { width: 64, height: 32 };
  const nc = 2;
  const rows = Array.from({ length: 42 }, () => new Array<number>(5 + nc).fill(0));
  rows[0] = [0, 0, 0, 0, 0.2, 1, 0]; // objectness 0.2: below every threshold
  rows[11] = [0.5, 0.25, Math.log(2), 0, 0.9, 0.8, 0.1]; // stride 8, gx 3, gy 1
  rows[38] = [0, 0.5, 0, Math.log(3), 1, 0, 0.6]; // stride 16, gx 2, gy 1
  rows[41] = [-0.25, 0.5, Math.log(0.5), Math.log(0.5), 0.5, 0.9, 0]; // stride 32, gx 1, gy 0
  const data = Float32Array.from(rows.flat());
  const dims = [1, 42, 5 + nc];
  const wanted = { wanted: [{ classId: 0, threshold: 0.25 }, { classId: 1, threshold: 0.25 }] };

  it('counts one anchor per cell of the stride 8, 16 and 32 grids (416² → 3549)', () => {
    expect(yoloxAnchorCount(input)).toBe(42);
    expect(yoloxAnchorCount({ width: 416, height: 416 })).toBe(52 * 52 + 26 * 26 + 13 * 13);
  });

  it('cx = (dx + gx)·stride, cy = (dy + gy)·stride, w = exp(log w)·stride; score = objectness × class', () => {
    const got = decodeYolox(data, dims, wanted, input);
    const expected = [
      // (0.5+3)·8 = 28, (0.25+1)·8 = 10, w 2·8 = 16, h 1·8 = 8
      { x1: 20, y1: 6, x2: 36, y2: 14, score: 0.72, classId: 0 },
      // (0+2)·16 = 32, (0.5+1)·16 = 24, w 16, h 3·16 = 48
      { x1: 24, y1: 0, x2: 40, y2: 48, score: 0.6, classId: 1 },
      // (−0.25+1)·32 = 24, (0.5+0)·32 = 16, w = h = 0.5·32 = 16
      { x1: 16, y1: 8, x2: 32, y2: 24, score: 0.45, classId: 0 },
    ];
    expect(got).toHaveLength(3);
    got.forEach((c, i) => {
      const e = expected[i]!;
      for (const key of ['x1', 'y1', 'x2', 'y2', 'score'] as const) expect(c[key]).toBeCloseTo(e[key], 4);
      expect(c.classId).toBe(e.classId);
    });
  });

  it('the same output read by shape alone is YOLOv5 and finds no such boxes; decodeOutput needs the input size', () => {
    expect(detectLayout(dims, { numClasses: nc })).toBe('yolov5');
    expect(decodeOutput('yolov5', data, dims, wanted).map((c) => c.x2)).not.toContain(36);
    expect(decodeOutput('yolox', data, dims, wanted, input)).toHaveLength(3);
    expect(() => decodeOutput('yolox', data, dims, wanted)).toThrow(expect.objectContaining({ code: 'SW_INFERENCE_OUTPUT_SHAPE' }));
    expect(() => decodeOutput('yolox', data, dims, wanted, { width: 64, height: 64 })).toThrow(/84 anchor points/);
  });
});

describe('NMS', () => {
  const box = (x1: number, y1: number, x2: number, y2: number, score: number, classId = 0) => ({ x1, y1, x2, y2, score, classId });

  it('IoU by hand: two 40×80 boxes 4 px apart overlap 2880 / 3520', () => {
    expect(iou(box(80, 60, 120, 140, 1), box(84, 60, 124, 140, 1))).toBeCloseTo(2880 / 3520, 12);
    expect(iou(box(0, 0, 10, 10, 1), box(10, 0, 20, 10, 1))).toBe(0);
  });

  it('keeps the best of overlapping boxes of one class, keeps other classes, best first', () => {
    const kept = nms([box(84, 60, 124, 140, 0.8), box(80, 60, 120, 140, 0.9), box(80, 60, 120, 140, 0.7, 2), box(0, 0, 10, 10, 0.3)]);
    expect(kept.map((k) => [k.score, k.classId])).toEqual([[0.9, 0], [0.7, 2], [0.3, 0]]);
  });

  it('agnostic mode suppresses across classes; IoU exactly at the threshold is kept', () => {
    expect(nms([box(0, 0, 10, 10, 0.9), box(0, 0, 10, 10, 0.8, 2)], { agnostic: true })).toHaveLength(1);
    // 10×10 boxes shifted so IoU = 50/150 = 1/3
    expect(nms([box(0, 0, 10, 10, 0.9), box(5, 0, 15, 10, 0.8)], { iouThreshold: 1 / 3 })).toHaveLength(2);
    expect(nms([box(0, 0, 10, 10, 0.9), box(5, 0, 15, 10, 0.8)], { iouThreshold: 0.3 })).toHaveLength(1);
  });

  it('caps the number of detections', () => {
    const many = Array.from({ length: 50 }, (_, i) => box(i * 20, 0, i * 20 + 10, 10, 1 - i / 100));
    expect(nms(many, { maxDetections: 7 })).toHaveLength(7);
  });
});
