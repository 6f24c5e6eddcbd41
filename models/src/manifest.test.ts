import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStreetwiseError } from '@streetwise/errors';
import { detectorFileSettings } from './detect-score.js';
import { findDetectorByRole, findModel, loadManifest, MANIFEST_PATH, modelPath, parseManifest, sha256Hex } from './manifest.js';
import { YOLOX_NANO_SETTINGS } from './yolox-nano.js';
import { openVerifiedSession } from './session.js';

const MAX_DETECTOR_BYTES = 8 * 1024 * 1024;

describe('models/manifest.json', () => {
  const manifest = loadManifest();

  it('lists the detector, the forecaster and YOLOX-Nano', () => {
    expect(manifest.models.map((m) => m.name).sort()).toEqual(['detector', 'forecaster', 'yolox-nano']);
  });

  it('names the detector for real cameras (YOLOX-Nano) and the one for rendered scenes (ours); one detector per role', () => {
    expect(findDetectorByRole(manifest, 'real-camera').name).toBe('yolox-nano');
    expect(findDetectorByRole(manifest, 'simulated-scenes').name).toBe('detector');
    const twice = { ...manifest, models: manifest.models.map((m) => (m.name === 'detector' ? { ...m, roles: ['real-camera'] } : m)) };
    expect(() => parseManifest(twice)).toThrow(/roles \| real-camera \| one detector per role/);
    expect(() => parseManifest({ ...manifest, models: [{ ...manifest.models[0]!, roles: ['night'] }] })).toThrow(/roles \| "night" \| real-camera or simulated-scenes/);
    expect(() => findDetectorByRole({ ...manifest, models: manifest.models.filter((m) => m.name !== 'yolox-nano') }, 'real-camera')).toThrow(expect.objectContaining({ code: 'SW_MODEL_ROLE_MISSING' }));
  });

  it("carries YOLOX-Nano's settings, which its graph cannot tell: read alone its output is taken for YOLOv5", async () => {
    const yolox = findModel(manifest, 'yolox-nano');
    expect(yolox.settings).toEqual(YOLOX_NANO_SETTINGS);
    expect(yolox.settings).toEqual({ input: { width: 416, height: 416, channelOrder: 'bgr', pixelRange: '0-255', mean: [0, 0, 0], std: [1, 1, 1], placement: 'top-left', padValue: 114 }, output: { layout: 'yolox' } });
    expect(await detectorFileSettings(modelPath(yolox), yolox.settings, 80)).toEqual(yolox.settings);
    expect((await detectorFileSettings(modelPath(yolox), undefined, 80)).output.layout).toBe('yolov5');
    expect(yolox.classes).toHaveLength(80);
    expect([yolox.classes![0], yolox.classes![5], yolox.classes![7], yolox.classes![16]]).toEqual(['person', 'bus', 'truck', 'dog']);
    expect(yolox.outputs[0]!.shape).toEqual([1, 52 * 52 + 26 * 26 + 13 * 13, 85]);
  });

  it.each(loadManifest().models.map((m) => [m.name, m] as const))('%s loads in onnxruntime-node with the declared hash and shapes', async (_name, entry) => {
    const bytes = await readFile(modelPath(entry));
    expect(sha256Hex(bytes)).toBe(entry.sha256);
    expect(bytes.length).toBe(entry.sizeBytes);
    const { session } = await openVerifiedSession(entry);
    try {
      expect(session.inputNames).toEqual(entry.inputs.map((t) => t.name));
      expect(session.outputNames).toEqual(entry.outputs.map((t) => t.name));
    } finally {
      await session.release();
    }
  });

  it('keeps the detector YOLOv8-shaped, 320 x 320 and under 8 MB', () => {
    const detector = manifest.models.find((m) => m.name === 'detector')!;
    expect(detector.inputs[0]!.shape).toEqual([1, 3, 320, 320]);
    const classes = detector.classes ?? [];
    expect(detector.outputs[0]!.shape).toEqual([1, 4 + classes.length, 40 * 40 + 20 * 20 + 10 * 10]);
    expect(classes).toEqual(['person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck']);
    expect(detector.sizeBytes).toBeLessThanOrEqual(MAX_DETECTOR_BYTES);
  });

  it("describes the detector's preprocessing as the model settings @streetwise/inference resolves from the file", async () => {
    const detector = manifest.models.find((m) => m.name === 'detector')!;
    expect(detector.settings).toEqual(await detectorFileSettings(modelPath(detector)));
    expect(detector.settings).toMatchObject({ input: { width: 320, height: 320, channelOrder: 'rgb', pixelRange: '0-1', placement: 'centre', padValue: 114 }, output: { layout: 'yolov8' } });
    const bad = { schemaVersion: 1, models: [{ ...detector, settings: { ...detector.settings!, input: { ...detector.settings!.input, placement: 'middle' } } }] };
    expect(() => parseManifest(bad)).toThrow(/models -> 0 -> settings -> input -> placement \| "middle" \| centre or top-left/);
    expect(() => parseManifest({ schemaVersion: 1, models: [{ ...detector, settings: { input: {} } }] })).toThrow(/settings \| .* \| an object with input and output/);
  });

  it('refuses a file whose hash differs from the manifest, and a manifest with unknown keys', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sw-manifest-'));
    try {
      const entry = manifest.models.find((m) => m.name === 'forecaster')!;
      await copyFile(modelPath(entry), join(dir, entry.file));
      const tampered = { schemaVersion: 1, models: [{ ...entry, sha256: 'f'.repeat(64) }] };
      await writeFile(join(dir, 'manifest.json'), JSON.stringify(tampered));
      const err = await openVerifiedSession(tampered.models[0]!, join(dir, 'manifest.json')).catch((e: unknown) => e);
      expect(isStreetwiseError(err, 'SW_MODEL_HASH_MISMATCH')).toBe(true);
      expect(() => parseManifest({ ...tampered, extra: 1 })).toThrow(/unknown key "extra"/);
      expect(() => parseManifest({ schemaVersion: 1, models: [{ ...entry, sha256: 'xyz' }] })).toThrow(/sha256/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is the file the package reads by default', () => {
    expect(MANIFEST_PATH.endsWith(join('models', 'manifest.json'))).toBe(true);
  });
});
