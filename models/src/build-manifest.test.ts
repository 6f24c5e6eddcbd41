import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeManifest } from './build-manifest.js';
import { findModel, loadManifest, MODELS_DIR } from './manifest.js';
import { YOLOX_NANO, YOLOX_NANO_METRICS } from './yolox-nano.js';

describe('writeManifest', () => {
  it('keeps the entries it does not rewrite (retraining ours keeps YOLOX-Nano), replaces those it does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sw-build-manifest-'));
    try {
      const forecaster = findModel(loadManifest(), 'forecaster');
      await copyFile(join(MODELS_DIR, 'forecaster.onnx'), join(dir, 'forecaster.onnx'));
      const { card, trainedOn, task, version, metrics, preprocess } = forecaster;
      await writeManifest(dir, [{ file: join(dir, 'forecaster.onnx'), description: { name: 'forecaster', card, trainedOn, task, version, metrics, ...(preprocess ? { preprocess } : {}) } }]);
      await copyFile(join(MODELS_DIR, 'yolox-nano.onnx'), join(dir, 'yolox-nano.onnx'));
      const yolox = { file: join(dir, 'yolox-nano.onnx'), description: { ...YOLOX_NANO, metrics: YOLOX_NANO_METRICS } };
      expect((await writeManifest(dir, [yolox])).models.map((m) => m.name)).toEqual(['forecaster', 'yolox-nano']);
      const again = await writeManifest(dir, [{ ...yolox, description: { ...yolox.description, version: '9.9.9' } }]);
      expect(again.models.map((m) => [m.name, m.version])).toEqual([['forecaster', forecaster.version], ['yolox-nano', '9.9.9']]);
      expect(loadManifest(join(dir, 'manifest.json')).models.find((m) => m.name === 'yolox-nano')).toMatchObject({ roles: ['real-camera'], settings: { output: { layout: 'yolox' } }, sha256: findModel(loadManifest(), 'yolox-nano').sha256 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
