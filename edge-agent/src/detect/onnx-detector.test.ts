import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { buildConstantModel, yolov8Output } from '@streetwise/inference/testing';
import { createOnnxDetector, type OnnxDetector } from './onnx-detector.js';
import { realCameraModelPath } from './manifest-names.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-detect-'));
const detectors: OnnxDetector[] = [];
afterAll(async () => {
  for (const d of detectors) await d.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function writeModel(name: string, model: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, model);
  return path;
}

async function open(path: string, extra: Partial<Parameters<typeof createOnnxDetector>[0]> = {}): Promise<OnnxDetector> {
  const d = await createOnnxDetector({ modelPath: path, ...extra });
  detectors.push(d);
  return d;
}

const jpeg = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 90, g: 120, b: 150 } } }).jpeg().toBuffer();

// Anchors in 320×320 input pixels; classes: 0 person, 1 dog, 2 car (names in the metadata).
const v8 = yolov8Output([
  [100, 100, 40, 80, 0.9, 0.1, 0.05], // person, box 80,60 → 120,140
  [104, 100, 40, 80, 0.8, 0.0, 0.0], // same person, IoU 0.82: suppressed by NMS
  [100, 100, 40, 80, 0.0, 0.0, 0.7], // a car on the same spot: another class, kept
  [250, 250, 30, 30, 0.0, 0.95, 0.0], // a dog: not a class we report
  [20, 60, 10, 10, 0.2, 0.0, 0.0], // weak person below 0.25
]);

// Decoding, NMS and box mapping are tested in @streetwise/inference (yolo-runner.test.ts); here, what the agent adds.
describe('ONNX detector on a tiny hand-made model', () => {
  it('reads names and version from metadata_props, maps classes to ours, boxes to image pixels', async () => {
    const path = writeModel('v8.onnx', buildConstantModel({
      inputWidth: 320,
      inputHeight: 320,
      outputDims: v8.dims,
      outputData: v8.data,
      metadata: { names: "{0: 'person', 1: 'dog', 2: 'car'}", imgsz: '[320, 320]', task: 'detect', version: 'test-1' },
    }));
    const d = await open(path);
    expect(d.inputWidth).toBe(320);
    expect(d.modelVersion).toBe('test-1');
    expect([...d.classMap]).toEqual([[0, 'person'], [2, 'car']]);

    const land = await d.detect({ kind: 'encoded', data: await jpeg(640, 480) });
    expect(d.layout).toBe('yolov8');
    expect(land.detections.map((x) => [x.class, x.box])).toEqual([
      ['person', [160, 40, 240, 200]],
      ['car', [160, 40, 240, 200]],
    ]);
    expect(land.detections[0]!.score).toBeCloseTo(0.9, 6);
    expect(land.timings.inferMs).toBeGreaterThan(0);

    const portrait = await d.detect({ kind: 'encoded', data: await jpeg(480, 640) });
    expect(portrait.detections[0]!.box).toEqual([80, 120, 160, 280]);

    const odd = await d.detect({ kind: 'encoded', data: await jpeg(333, 97) });
    // x × 333/320; (y − 113) × 97/93, clamped to the 97 px height
    const [x1, y1, x2, y2] = odd.detections[0]!.box;
    expect(x1).toBeCloseTo(83.25, 4);
    expect(y1).toBe(0);
    expect(x2).toBeCloseTo(124.875, 4);
    expect(y2).toBeCloseTo((27 * 97) / 93, 4);
  });

  it('per-class thresholds change without a reload', async () => {
    const path = writeModel('v8b.onnx', buildConstantModel({ inputWidth: 320, inputHeight: 320, outputDims: v8.dims, outputData: v8.data, metadata: { names: "{0: 'person', 1: 'dog', 2: 'car'}" } }));
    const d = await open(path, { thresholds: { car: 0.75 } });
    const frame = { kind: 'encoded' as const, data: await jpeg(640, 480) };
    expect((await d.detect(frame)).detections.map((x) => x.class)).toEqual(['person']);
    d.setThresholds({ default: 0.1 });
    expect((await d.detect(frame)).detections.map((x) => x.class)).toEqual(['person', 'car', 'person']);
  });

  it('passes model settings through to the runner, and reports them', async () => {
    const path = writeModel('v8c.onnx', buildConstantModel({ inputWidth: 320, inputHeight: 320, outputDims: v8.dims, outputData: v8.data, metadata: { names: "{0: 'person', 1: 'dog', 2: 'car'}" } }));
    const d = await open(path, { settings: { input: { placement: 'top-left' } } });
    expect(d.settings.input.placement).toBe('top-left');
    // 640×480 top-left: ×2, no vertical offset: 80,60 → 120,140 becomes 160,120 → 240,280
    expect((await d.detect({ kind: 'encoded', data: await jpeg(640, 480) })).detections[0]!.box).toEqual([160, 120, 240, 280]);
    await expect(createOnnxDetector({ modelPath: path, settings: { output: { layout: 'end2end' } } })).rejects.toMatchObject({ code: 'SW_EDGE_MODEL_LOAD', message: expect.stringMatching(/does not fit layout end2end/) });
  });

  it('explains a model that cannot be loaded', async () => {
    const path = writeModel('broken.onnx', new Uint8Array([1, 2, 3, 4, 5]));
    await expect(createOnnxDetector({ modelPath: path })).rejects.toMatchObject({ code: 'SW_EDGE_MODEL_LOAD' });
  });
});

describe('class names from a manifest next to the model', () => {
  it('uses models/manifest.json classes when the model has no names metadata', async () => {
    const sub = join(dir, 'with-manifest');
    (await import('node:fs')).mkdirSync(sub);
    const out = yolov8Output([[100, 100, 40, 80, 0.0, 0.9]]);
    const file = join(sub, 'det.onnx');
    writeFileSync(file, buildConstantModel({ inputWidth: 320, inputHeight: 320, outputDims: out.dims, outputData: out.data }));
    writeFileSync(join(sub, 'manifest.json'), JSON.stringify({
      schemaVersion: 1,
      models: [{ name: 'detector', version: '1', file: 'det.onnx', sha256: '0'.repeat(64), sizeBytes: 1, task: 'detect', inputs: [{ name: 'images', shape: [1, 3, 320, 320], type: 'float32' }], outputs: [{ name: 'output0', shape: [1, 6, 1], type: 'float32' }], classes: ['truck', 'bus'], card: 'det.card.md' }],
    }));
    const d = await open(file);
    expect([...d.classMap]).toEqual([[0, 'truck'], [1, 'bus']]);
    expect((await d.detect({ kind: 'encoded', data: await jpeg(320, 320) })).detections.map((x) => x.class)).toEqual(['bus']);
  });
});

describe('the shipped real-camera detector (models/yolox-nano.onnx)', () => {
  it("is the manifest's real-camera entry, loaded with the settings it carries; the config's settings go on top", async () => {
    const path = realCameraModelPath();
    expect(path).toMatch(/yolox-nano\.onnx$/);
    const plain = await open(path);
    expect(plain.settings).toEqual({ input: { width: 416, height: 416, channelOrder: 'bgr', pixelRange: '0-255', mean: [0, 0, 0], std: [1, 1, 1], placement: 'top-left', padValue: 114 }, output: { layout: 'yolox' } });
    // COCO names from the manifest: bus is id 5, truck 7; dog (16) is not reported.
    expect([plain.classMap.get(5), plain.classMap.get(7), plain.classMap.has(16)]).toEqual(['bus', 'truck', false]);
    const overridden = await open(path, { settings: { input: { padValue: 0 } } });
    expect(overridden.settings.input).toMatchObject({ padValue: 0, channelOrder: 'bgr', placement: 'top-left' });
    expect(overridden.settings.output.layout).toBe('yolox');
  });
});
