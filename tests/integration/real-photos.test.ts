import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { createYoloRunner, sessionOptions } from '@streetwise/inference';
import { createOnnxDetector, realCameraModelPath, type Detection, type OnnxDetector } from '@streetwise/edge-agent';
import { findModel, loadManifest, modelPath } from '@streetwise/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The shipped real-camera detector (YOLOX-Nano) through the edge agent's own detector on real photographs
 * (tests/fixtures/photos, README there). No ground-truth boxes: each test asserts what a person looking at
 * the photo would insist on, not exact counts.
 */
const PHOTOS = fileURLToPath(new URL('../fixtures/photos/', import.meta.url));
const photo = (name: string) => readFile(`${PHOTOS}${name}.jpg`);

describe('YOLOX-Nano on real photos, through the edge agent', () => {
  let detector: OnnxDetector;
  beforeAll(async () => {
    // The model a camera config without `detector.model` gets, loaded with the settings its manifest entry carries.
    detector = await createOnnxDetector({ modelPath: realCameraModelPath() });
  });
  afterAll(async () => {
    await detector.dispose();
  });

  const detect = async (name: string) => (await detector.detect({ kind: 'encoded', data: await photo(name) })).detections;
  const of = (ds: Detection[], cls: Detection['class']) => ds.filter((d) => d.class === cls);

  it('is YOLOX-Nano, read as YOLOX (BGR, 0–255, top-left) from its manifest entry', () => {
    expect(realCameraModelPath()).toMatch(/yolox-nano\.onnx$/);
    expect(detector.settings).toMatchObject({ input: { width: 416, height: 416, channelOrder: 'bgr', pixelRange: '0-255', placement: 'top-left', padValue: 114 }, output: { layout: 'yolox' } });
  });

  it('London street: the double-decker in front is a bus, more buses behind it, people on the pavement to its left', async () => {
    const ds = await detect('coco_000000001584');
    const buses = of(ds, 'bus');
    expect(buses.length).toBeGreaterThanOrEqual(2);
    // The front bus fills the middle of the 612×612 picture.
    const front = buses.find((b) => b.box[0] < 306 && b.box[2] > 306 && b.box[1] < 306 && b.box[3] > 306);
    expect(front).toBeDefined();
    const onPavement = of(ds, 'person').filter((p) => p.box[2] <= front!.box[0] + 5 && p.box[3] > 306);
    expect(onPavement.length).toBeGreaterThanOrEqual(2);
  });

  it('a single-deck bus at a stop and a pedestrian', async () => {
    const ds = await detect('coco_000000002006');
    expect(of(ds, 'bus').length).toBeGreaterThanOrEqual(1);
    expect(of(ds, 'person').length).toBeGreaterThanOrEqual(1);
  });

  it('a city bus filling most of the frame', async () => {
    const ds = await detect('coco_000000005037');
    const bus = of(ds, 'bus').find((b) => (b.box[2] - b.box[0]) * (b.box[3] - b.box[1]) > 0.3 * 640 * 425);
    expect(bus).toBeDefined();
  });

  it('freeway: several cars', async () => {
    expect(of(await detect('coco_000000001532'), 'car').length).toBeGreaterThanOrEqual(3);
  });

  it('a wide road through a town: cars far away', async () => {
    const cars = of(await detect('coco_000000006723'), 'car');
    expect(cars.length).toBeGreaterThanOrEqual(2);
    // Far away: small, and on the road near the horizon, not in the sky.
    for (const c of cars) expect(c.box[3] - c.box[1]).toBeLessThan(60);
  });

  it('snowy street: the pickup with a snow plough is a truck, a parked car', async () => {
    const ds = await detect('coco_000000009769');
    expect(of(ds, 'truck').some((t) => t.box[2] - t.box[0] > 200)).toBe(true);
    expect(of(ds, 'car').length).toBeGreaterThanOrEqual(1);
  });

  it('YOLOX sample picture: a bicycle and a small truck or van; the dog is not a class we report', async () => {
    const ds = await detect('yolox_dog');
    expect(of(ds, 'bicycle').length).toBeGreaterThanOrEqual(1);
    expect(of(ds, 'car').length + of(ds, 'truck').length).toBeGreaterThanOrEqual(1);
    expect(ds.every((d) => ['person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck'].includes(d.class))).toBe(true);
  });

  it('the same runner with COCO class 16 wanted finds the dog', async () => {
    const entry = findModel(loadManifest(), 'yolox-nano');
    const session = await ort.InferenceSession.create(modelPath(entry), sessionOptions(1));
    try {
      const runner = await createYoloRunner(session, { classCount: 80, overrides: entry.settings! });
      const { candidates } = await runner.run(await runner.prepare({ kind: 'encoded', data: await photo('yolox_dog') }), { wanted: [{ classId: 16, threshold: 0.25 }] });
      expect(entry.classes![16]).toBe('dog');
      expect(candidates.length).toBeGreaterThanOrEqual(1);
    } finally {
      await session.release();
    }
  });
});
