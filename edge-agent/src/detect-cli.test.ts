import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, expect, it } from 'vitest';
import { runDetectCommand } from './detect-cli.js';
import { buildConstantModel, yolov8Output } from '@streetwise/inference/testing';

const dir = mkdtempSync(join(tmpdir(), 'sw-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('streetwise-edge detect --json prints class, score and box in image pixels per image', async () => {
  const out = yolov8Output([[100, 100, 40, 80, 0.9, 0.1]]);
  const model = join(dir, 'm.onnx');
  writeFileSync(model, buildConstantModel({ inputWidth: 320, inputHeight: 320, outputDims: out.dims, outputData: out.data, metadata: { names: "{0: 'person', 1: 'car'}" } }));
  const image = join(dir, 'a.jpg');
  writeFileSync(image, await sharp({ create: { width: 640, height: 480, channels: 3, background: '#888' } }).jpeg().toBuffer());
  const lines: string[] = [];
  expect(await runDetectCommand(['--model', model, image, image, '--json'], (l) => lines.push(l))).toBe(0);
  expect(lines).toHaveLength(2);
  expect(JSON.parse(lines[0]!)).toMatchObject({ image, width: 640, height: 480, layout: 'yolov8', detections: [{ class: 'person', score: 0.9, box: [160, 40, 240, 200] }] });
  const text: string[] = [];
  await runDetectCommand(['--model', model, image], (l) => text.push(l));
  expect(text[2]).toMatch(/person\s+0\.900\s+\[160, 40, 240, 200\]/);
  expect(await runDetectCommand([], () => {})).toBe(2);
});
