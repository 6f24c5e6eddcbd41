import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOnnxDetector, type OnnxDetector } from '../detect/onnx-detector.js';
import type { Frame } from '../detect/types.js';
import { RuleEngine } from '../rules/engine.js';
import { createGeneratorSource } from '../sources/synthetic.js';
import { buildConstantModel, yolov8Output } from '@streetwise/inference/testing';
import { TrafficReporter } from '../traffic/traffic-reporter.js';
import { CameraPipeline } from './camera-pipeline.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-pipe-'));
let small: OnnxDetector;
let large: OnnxDetector;
beforeAll(async () => {
  const o = yolov8Output([[100, 100, 40, 80, 0.9, 0.0]]);
  writeFileSync(join(dir, 'a.onnx'), buildConstantModel({ inputWidth: 320, inputHeight: 320, outputDims: o.dims, outputData: o.data, metadata: { names: "{0: 'person', 1: 'car'}" } }));
  writeFileSync(join(dir, 'b.onnx'), buildConstantModel({ inputWidth: 416, inputHeight: 416, outputDims: o.dims, outputData: o.data, metadata: { names: "{0: 'person', 1: 'car'}" } }));
  small = await createOnnxDetector({ modelPath: join(dir, 'a.onnx') });
  large = await createOnnxDetector({ modelPath: join(dir, 'b.onnx') });
});
afterAll(async () => {
  await small.dispose();
  await large.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const rawFrame = (t: number): Frame => ({ kind: 'raw', data: Buffer.alloc(640 * 480 * 3, 90), width: 640, height: 480, channels: 3, capturedAt: t });

describe('camera pipeline', () => {
  it('processes every frame in order through detect → track → rules, and reports stage timings', async () => {
    let n = 0;
    const seen: number[] = [];
    const events: string[] = [];
    const pipeline = new CameraPipeline({
      name: 'cam',
      source: createGeneratorSource('gen', () => (n < 12 ? rawFrame(1000 + 100 * n++) : undefined)),
      detector: small,
      rules: new RuleEngine({ lines: [], lanes: [], zones: [{ name: 'z', polygon: [[150, 150], [250, 150], [250, 250], [150, 250]], restricted: true }] }),
      traffic: new TrafficReporter({ approaches: [] }),
      onFrame: (c) => seen.push(c.t),
      onEvents: (e) => void events.push(...e.map((x) => `${x.type}:${x.trackId}`)),
    });
    await pipeline.run();
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => 1000 + 100 * i));
    expect(events).toEqual(['intrusion:1']);
    const stats = pipeline.stats();
    expect(stats.frames).toBe(12);
    expect(Object.keys(stats.stageMsP50).sort()).toEqual(['decode', 'infer', 'letterbox', 'postprocess', 'rules', 'track']);
    expect(stats.inferenceMsP95).toBeGreaterThanOrEqual(stats.inferenceMsP50!);
  });

  it('takes a new model of another input size mid-stream (the prefetched frame is prepared again)', async () => {
    let n = 0;
    const boxes: number[][] = [];
    const pipeline = new CameraPipeline({
      name: 'cam',
      source: createGeneratorSource('gen', () => (n < 6 ? rawFrame(n++ * 100) : undefined)),
      detector: small,
      onFrame: (c) => {
        boxes.push(c.result.detections[0]!.box);
        if (boxes.length === 3) pipeline.setDetector(large);
      },
    });
    await pipeline.run();
    // 320 input: box 80..120 → ×2; 416 input: scale 0.65, pad top 52 → (80 / 0.65, (60 − 52) / 0.65 …)
    expect(boxes.slice(0, 3)).toEqual(Array(3).fill([160, 40, 240, 200]));
    expect(boxes[3]![0]).toBeCloseTo(80 / 0.65, 6);
    expect(boxes[3]![1]).toBeCloseTo(8 / 0.65, 6);
  });

  it('a failing source ends run() with its error', async () => {
    const pipeline = new CameraPipeline({
      name: 'cam',
      source: createGeneratorSource('gen', () => {
        throw new Error('camera unplugged');
      }),
      detector: small,
    });
    await expect(pipeline.run()).rejects.toThrow('camera unplugged');
  });
});
