import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOnnxDetector, type OnnxDetector } from '../detect/onnx-detector.js';
import type { Frame } from '../detect/types.js';
import { RuleEngine } from '../rules/engine.js';
import type { Crossing, RuleEvent } from '../rules/types.js';
import { createGeneratorSource } from '../sources/synthetic.js';
import { buildColourBlobModel } from '@streetwise/inference/testing';
import { CameraPipeline } from './camera-pipeline.js';

/**
 * The whole camera pipeline on rendered frames whose answer is known: JPEG decode → letterbox → ONNX
 * detector (a colour-blob graph: red squares are cars, blue ones people) → NMS → tracker → count lines.
 */
const dir = mkdtempSync(join(tmpdir(), 'sw-scene-'));
let detector: OnnxDetector;
let red: Buffer;
let blue: Buffer;
beforeAll(async () => {
  writeFileSync(join(dir, 'blob.onnx'), buildColourBlobModel());
  detector = await createOnnxDetector({ modelPath: join(dir, 'blob.onnx'), thresholds: { default: 0.5 }, iouThreshold: 0.2 });
  red = await sharp({ create: { width: 48, height: 48, channels: 3, background: { r: 255, g: 0, b: 0 } } }).png().toBuffer();
  blue = await sharp({ create: { width: 48, height: 48, channels: 3, background: { r: 0, g: 0, b: 255 } } }).png().toBuffer();
});
afterAll(async () => {
  await detector.dispose();
  rmSync(dir, { recursive: true, force: true });
});

interface Mover {
  colour: 'red' | 'blue';
  x: number;
  startMs: number;
  /** +1 down the image (southbound), −1 up (northbound) */
  dir: 1 | -1;
  /** Optional: stand still at this y for stopMs. */
  stopAtY?: number;
  stopMs?: number;
}
const SPEED_PX_PER_S = 200;
function centreY(m: Mover, t: number): number {
  const start = m.dir === 1 ? -30 : 510;
  let travelled = ((t - m.startMs) / 1000) * SPEED_PX_PER_S;
  if (m.stopAtY !== undefined) {
    const toStop = Math.abs(m.stopAtY - start);
    if (travelled > toStop) travelled = Math.max(toStop, travelled - ((m.stopMs ?? 0) / 1000) * SPEED_PX_PER_S);
  }
  return start + m.dir * travelled;
}

async function render(movers: Mover[], t: number): Promise<Frame> {
  const overlays = movers
    .map((m) => ({ m, y: centreY(m, t) }))
    .filter(({ m }) => t >= m.startMs)
    .map(({ m, y }) => ({ input: m.colour === 'red' ? red : blue, left: m.x - 24, top: Math.round(y) - 24 }))
    .filter((o) => o.top >= 0 && o.top <= 480 - 48);
  const data = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 110, g: 110, b: 110 } } }).composite(overlays).jpeg({ quality: 90 }).toBuffer();
  return { kind: 'encoded', data, capturedAt: t };
}

describe('pipeline on rendered frames with known ground truth', () => {
  it('7 cars north, 3 cars south, 2 people: exact counts per class and direction', async () => {
    const movers: Mover[] = [
      ...Array.from({ length: 7 }, (_, i): Mover => ({ colour: 'red', x: [60, 160, 260][i % 3]!, startMs: i * 1000, dir: -1 })),
      ...Array.from({ length: 3 }, (_, i): Mover => ({ colour: 'red', x: [400, 500][i % 2]!, startMs: 500 + i * 1500, dir: 1 })),
      { colour: 'blue', x: 590, startMs: 0, dir: 1 },
      { colour: 'blue', x: 590, startMs: 4000, dir: -1 },
    ];
    const endMs = 10_000;
    let t = 0;
    const source = createGeneratorSource('scene', async () => {
      if (t > endMs) return undefined;
      const frame = await render(movers, t);
      t += 100;
      return frame;
    });
    const crossings: Crossing[] = [];
    const events: RuleEvent[] = [];
    const rules = new RuleEngine({
      lines: [
        { name: 'road', from: [0, 240], to: [640, 240], classes: ['car'], directions: { in: 'southbound', out: 'northbound' } },
        { name: 'walk', from: [0, 240], to: [640, 240], classes: ['person'], directions: { in: 'southbound', out: 'northbound' }, events: true },
      ],
      zones: [],
      lanes: [],
    });
    let maxDetections = 0;
    const pipeline = new CameraPipeline({
      name: 'scene',
      source,
      detector,
      rules,
      onFrame: (c) => (maxDetections = Math.max(maxDetections, c.result.detections.length)),
      onEvents: (e) => void events.push(...e),
      onCrossings: (c) => void crossings.push(...c),
    });
    await pipeline.run();
    const count = (line: string, direction: string) => crossings.filter((c) => c.line === line && c.direction === direction).length;
    expect({ north: count('road', 'northbound'), south: count('road', 'southbound'), peopleSouth: count('walk', 'southbound'), peopleNorth: count('walk', 'northbound') }).toEqual({ north: 7, south: 3, peopleSouth: 1, peopleNorth: 1 });
    expect(new Set(crossings.map((c) => c.trackId)).size).toBe(12);
    expect(events.map((e) => `${e.type}:${e.class}:${e.direction}`)).toEqual(['line_crossing:person:southbound', 'line_crossing:person:northbound']);
    expect(maxDetections).toBeGreaterThanOrEqual(3);
  });

  it('a car against the lane and a car standing in it: wrong_way and stopped_vehicle once each', async () => {
    const movers: Mover[] = [
      { colour: 'red', x: 60, startMs: 0, dir: -1 }, // right way
      { colour: 'red', x: 160, startMs: 500, dir: 1 }, // wrong way
      { colour: 'red', x: 260, startMs: 0, dir: -1, stopAtY: 300, stopMs: 3000 }, // stops 3 s
      { colour: 'red', x: 60, startMs: 3000, dir: -1, stopAtY: 300, stopMs: 1000 }, // stops 1 s: not long enough
    ];
    let t = 0;
    const source = createGeneratorSource('scene', async () => {
      if (t > 7000) return undefined;
      const frame = await render(movers, t);
      t += 100;
      return frame;
    });
    const events: RuleEvent[] = [];
    const rules = new RuleEngine({ lines: [], zones: [], lanes: [{ name: 'nb', polygon: [[0, 0], [320, 0], [320, 480], [0, 480]], headingDeg: 0, stoppedS: 2 }] });
    await new CameraPipeline({ name: 'scene', source, detector, rules, onEvents: (e) => void events.push(...e) }).run();
    expect(events.map((e) => `${e.type}:${e.class}`).sort()).toEqual(['stopped_vehicle:car', 'wrong_way:car']);
    expect(events.find((e) => e.type === 'stopped_vehicle')!.durationS).toBeGreaterThanOrEqual(2);
  });
});
