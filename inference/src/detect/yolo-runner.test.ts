import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { parseYoloMetadata, readOnnxMetadata } from '../onnx/metadata.js';
import { sessionOptions } from '../onnx/session.js';
import { buildConstantModel, buildDynamicModel, yolov8Output } from '../testing/onnx-model.js';
import { createYoloRunner, type YoloRunner, type YoloRunnerOptions } from './yolo-runner.js';

const sessions: ort.InferenceSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

/** A runner on a hand-made model, with its metadata read the way the edge agent reads it. */
async function runnerFor(model: Uint8Array, options: Omit<YoloRunnerOptions, 'metadata'> = {}): Promise<YoloRunner> {
  const session = await ort.InferenceSession.create(model, sessionOptions());
  sessions.push(session);
  return createYoloRunner(session, { metadata: parseYoloMetadata(readOnnxMetadata(model)), ...options });
}

const jpeg = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 90, g: 120, b: 150 } } }).jpeg().toBuffer();
const all = (classes: number, threshold = 0.25) => ({ wanted: Array.from({ length: classes }, (_, classId) => ({ classId, threshold })) });
const boxes = (r: { candidates: Array<{ x1: number; y1: number; x2: number; y2: number; classId: number }> }) => r.candidates.map((c) => [c.classId, [c.x1, c.y1, c.x2, c.y2]]);

// Anchors in 320×320 input pixels; classes 0, 1, 2.
const v8 = yolov8Output([
  [100, 100, 40, 80, 0.9, 0.1, 0.05], // class 0, box 80,60 → 120,140
  [104, 100, 40, 80, 0.8, 0.0, 0.0], // same object, IoU 0.82: suppressed by NMS
  [100, 100, 40, 80, 0.0, 0.0, 0.7], // class 2 on the same spot: another class, kept
  [20, 60, 10, 10, 0.2, 0.0, 0.0], // below 0.25
]);

describe('YOLO runner on tiny hand-made models', () => {
  it('YOLOv8: decode, class-aware NMS, boxes mapped to image pixels (landscape, portrait, odd size)', async () => {
    const r = await runnerFor(buildConstantModel({ inputWidth: 320, inputHeight: 320, outputDims: v8.dims, outputData: v8.data, metadata: { names: "{0: 'person', 1: 'dog', 2: 'car'}" } }));
    expect(r.settings).toEqual({
      input: { width: 320, height: 320, channelOrder: 'rgb', pixelRange: '0-1', mean: [0, 0, 0], std: [1, 1, 1], placement: 'centre', padValue: 114 },
      output: { layout: 'yolov8' },
    });
    const land = await r.run(await r.prepare({ kind: 'encoded', data: await jpeg(640, 480) }), all(3));
    expect([land.width, land.height]).toEqual([640, 480]);
    expect(boxes(land)).toEqual([[0, [160, 40, 240, 200]], [2, [160, 40, 240, 200]]]);
    expect(land.candidates[0]!.score).toBeCloseTo(0.9, 6);
    expect(land.timings.inferMs).toBeGreaterThan(0);

    const portrait = await r.run(await r.prepare({ kind: 'encoded', data: await jpeg(480, 640) }), all(3));
    expect(boxes(portrait)[0]).toEqual([0, [80, 120, 160, 280]]);

    const odd = await r.run(await r.prepare({ kind: 'encoded', data: await jpeg(333, 97) }), all(3));
    // x × 333/320; (y − 113) × 97/93, clamped to the 97 px height
    const c = odd.candidates[0]!;
    expect(c.x1).toBeCloseTo(83.25, 4);
    expect(c.y1).toBe(0);
    expect(c.x2).toBeCloseTo(124.875, 4);
    expect(c.y2).toBeCloseTo((27 * 97) / 93, 4);
  });

  it('NMS options reach NMS: a looser IoU keeps the overlapping box', async () => {
    const r = await runnerFor(buildConstantModel({ inputWidth: 320, inputHeight: 320, outputDims: v8.dims, outputData: v8.data, metadata: { names: "{0: 'a', 1: 'b', 2: 'c'}" } }));
    const prepared = await r.prepare({ kind: 'encoded', data: await jpeg(320, 320) });
    expect((await r.run(prepared, all(3))).candidates).toHaveLength(2);
    expect((await r.run(prepared, all(3), { iouThreshold: 0.9 })).candidates).toHaveLength(3);
  });

  it('YOLOv5 without names: told from the shape with 80 (COCO) classes; score = objectness × class score', async () => {
    const nc = 80;
    const row = (cx: number, cy: number, w: number, h: number, obj: number, cls: number, p: number) => {
      const values = new Array<number>(5 + nc).fill(0);
      values.splice(0, 5, cx, cy, w, h, obj);
      values[5 + cls] = p;
      return values;
    };
    const rows = [row(160, 160, 64, 32, 0.9, 2, 0.9), row(60, 60, 20, 20, 0.9, 7, 0.5)];
    const r = await runnerFor(buildConstantModel({ inputWidth: 320, inputHeight: 320, outputDims: [1, 2, 5 + nc], outputData: rows.flat() }));
    expect(r.settings.output.layout).toBe('yolov5');
    const got = await r.run(await r.prepare({ kind: 'encoded', data: await jpeg(320, 320) }), all(nc));
    expect(boxes(got)).toEqual([[2, [128, 144, 192, 176]], [7, [50, 50, 70, 70]]]);
    expect(got.candidates[0]!.score).toBeCloseTo(0.81, 5);
  });

  it('end-to-end export told by metadata: no NMS after the model; input size from a non-square graph', async () => {
    const rows = [
      [10, 20, 30, 40, 0.8, 0],
      [12, 22, 32, 42, 0.7, 0], // overlapping, but the model already did NMS: kept as given
      [0, 0, 0, 0, 0, 0],
    ];
    const r = await runnerFor(buildConstantModel({ inputWidth: 416, inputHeight: 256, outputDims: [1, 3, 6], outputData: rows.flat(), metadata: { end2end: 'True', names: "{0: 'person'}" } }));
    expect(r.settings.output.layout).toBe('end2end');
    expect([r.settings.input.width, r.settings.input.height]).toEqual([416, 256]);
    const got = await r.run(await r.prepare({ kind: 'encoded', data: await jpeg(832, 512) }), all(1));
    // 832×512 → 416×256 exactly: ×2, no padding
    expect(boxes(got)).toEqual([[0, [20, 40, 60, 80]], [0, [24, 44, 64, 84]]]);
  });

  it('dynamic input axes: the input size from imgsz metadata ([height, width])', async () => {
    const out = yolov8Output([[100, 100, 40, 80, 0.9]]);
    const r = await runnerFor(
      buildConstantModel({ inputWidth: 320, inputHeight: 320, outputDims: out.dims, outputData: out.data, metadata: { imgsz: '[256, 320]' }, dynamicAxes: { input: [2, 3], output: [2] } }),
      { classCount: 1 },
    );
    expect(r.session.inputMetadata[0]).toMatchObject({ shape: [1, 3, 'd2', 'd3'] });
    expect(r.settings.input).toMatchObject({ width: 320, height: 256 });
    expect(r.settings.output.layout).toBe('yolov8');
    expect(r.input.dims).toEqual([1, 3, 256, 320]);
  });

  it('dynamic output axes: the output shape from one run on a blank input of the resolved size', async () => {
    const r = await runnerFor(buildDynamicModel({ imgsz: '[64, 96]' }), { classCount: 1 });
    expect(r.session.outputMetadata[0]).toMatchObject({ shape: [1, 5, 'anchors'] });
    // [1, 5, 64 × 96]: 4 box channels and one class, anchors on the last axis
    expect(r.settings).toMatchObject({ input: { width: 96, height: 64 }, output: { layout: 'yolov8' } });
    // Channels are the R, G, B, R, G planes: on a frame grey 114 every anchor is the same box (cx = cy = w = h =
    // 114/255) with class score 114/255 — 6144 identical candidates, of which NMS keeps one.
    const grey = await r.prepare({ kind: 'raw', data: Buffer.alloc(96 * 64 * 3, 114), width: 96, height: 64, channels: 3 });
    const v = 114 / 255;
    const got = await r.run(grey, all(1, 0.4));
    expect(got.candidates).toEqual([{ x1: expect.closeTo(v / 2, 5), y1: expect.closeTo(v / 2, 5), x2: expect.closeTo(1.5 * v, 5), y2: expect.closeTo(1.5 * v, 5), score: expect.closeTo(v, 5), classId: 0 }]);
    expect((await r.run(grey, all(1, 0.5))).candidates).toEqual([]);
  });

  it('overrides win over what the graph tells: layout, placement, channel order', async () => {
    // [1, 6, 6] reads as end2end by shape (rows of 6); forced to yolov8 it is 2 classes × 6 anchors.
    const out = yolov8Output(Array.from({ length: 6 }, (_, i) => [40 * i + 20, 100, 20, 20, i === 2 ? 0.9 : 0, 0]));
    const model = buildConstantModel({ inputWidth: 320, inputHeight: 320, outputDims: out.dims, outputData: out.data });
    expect((await runnerFor(model)).settings.output.layout).toBe('end2end');
    const r = await runnerFor(model, { overrides: { output: { layout: 'yolov8' }, input: { placement: 'top-left', channelOrder: 'bgr' } } });
    expect(r.settings.output.layout).toBe('yolov8');
    expect(r.settings.input).toMatchObject({ placement: 'top-left', channelOrder: 'bgr' });
    // 640×480 top-left: ×2 and no vertical offset; the one anchor at (100, 100) 20×20 → image (180..220, 180..220)
    const got = await r.run(await r.prepare({ kind: 'encoded', data: await jpeg(640, 480) }), all(2));
    expect(boxes(got)).toEqual([[0, [180, 180, 220, 220]]]);
  });

  it('YOLOX: grid decode in the runner, BGR 0–255 top-left input, told by override or by output_layout metadata', async () => {
    // 96×64 input: 12·8 + 6·4 + 3·2 = 126 anchors; one object at stride-8 cell gx 3, gy 2 (row 2·12 + 3 = 27).
    const rows = Array.from({ length: 126 }, () => new Array<number>(85).fill(0));
    rows[27]![0] = 0.5;
    rows[27]![1] = 0.5;
    rows[27]![4] = 0.9;
    rows[27]![5 + 5] = 1; // bus
    const yolox = { inputWidth: 96, inputHeight: 64, outputDims: [1, 126, 85], outputData: rows.flat() };
    const input = { channelOrder: 'bgr', pixelRange: '0-255', placement: 'top-left' } as const;
    const byOverride = await runnerFor(buildConstantModel(yolox), { overrides: { input, output: { layout: 'yolox' } } });
    const byMetadata = await runnerFor(buildConstantModel({ ...yolox, metadata: { output_layout: 'yolox' } }), { overrides: { input } });
    for (const r of [byOverride, byMetadata]) {
      expect(r.settings).toEqual({ input: { width: 96, height: 64, ...input, mean: [0, 0, 0], std: [1, 1, 1], padValue: 114 }, output: { layout: 'yolox' } });
      // 192×96 → ×0.5 at the top-left; cx (0.5+3)·8 = 28, cy (0.5+2)·8 = 20, 8×8 → input 24..32, 16..24 → image ×2
      const got = await r.run(await r.prepare({ kind: 'encoded', data: await jpeg(192, 96) }), all(80));
      expect(boxes(got)).toEqual([[5, [48, 32, 64, 48]]]);
      expect(got.candidates[0]!.score).toBeCloseTo(0.9, 5);
    }
    // Without either, the shape reads as YOLOv5 (which would find a 0.5×0.5 box at the corner).
    expect((await runnerFor(buildConstantModel(yolox))).settings.output.layout).toBe('yolov5');
    // A row count that is not the grid of the input is refused at load.
    const short = { ...yolox, outputDims: [1, 125, 85], outputData: rows.slice(1).flat() };
    await expect(runnerFor(buildConstantModel(short), { overrides: { output: { layout: 'yolox' } } })).rejects.toMatchObject({ code: 'SW_INFERENCE_OUTPUT_SHAPE', message: expect.stringMatching(/126 anchor points/) });
  });

  it('refuses settings the graph contradicts', async () => {
    const model = buildConstantModel({ inputWidth: 320, inputHeight: 320, outputDims: v8.dims, outputData: v8.data });
    await expect(runnerFor(model, { overrides: { input: { width: 640 } } })).rejects.toMatchObject({ code: 'SW_INFERENCE_SETTINGS_INVALID', message: expect.stringMatching(/input -> width \| 640 \| 320/) });
    // Checked before a dynamic model is probed with an input of that size.
    await expect(runnerFor(buildDynamicModel(), { overrides: { input: { width: 0 } } })).rejects.toMatchObject({ code: 'SW_INFERENCE_SETTINGS_INVALID', message: expect.stringMatching(/input -> width \| 0 \| an integer/) });
    await expect(runnerFor(model, { overrides: { output: { layout: 'end2end' } } })).rejects.toMatchObject({ code: 'SW_INFERENCE_OUTPUT_SHAPE', message: expect.stringMatching(/\[1, 7, 4\] does not fit layout end2end/) });
  });
});
