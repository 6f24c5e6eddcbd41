import { existsSync } from 'node:fs';
import { copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ModelSettings } from '@streetwise/inference';
import * as ort from 'onnxruntime-node';
import { loadManifest, sha256Hex, type DetectorRole, type Manifest, type ManifestEntry, type TensorSpec } from './manifest.js';

export interface ModelDescription {
  name: string;
  version: string;
  task: ManifestEntry['task'];
  card: string;
  trainedOn: string;
  classes?: string[];
  settings?: ModelSettings;
  roles?: DetectorRole[];
  preprocess?: Record<string, unknown>;
  metrics: Record<string, unknown>;
}

function tensorSpecs(metadata: readonly ort.InferenceSession.ValueMetadata[]): TensorSpec[] {
  return metadata.map((m) => ({ name: m.name, shape: m.isTensor ? [...m.shape] : [], type: 'float32' as const }));
}

/** A manifest entry for an ONNX file: hash and size from the bytes, shapes from onnxruntime itself. */
export async function describeOnnx(file: string, description: ModelDescription): Promise<ManifestEntry> {
  const bytes = await readFile(file);
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    return {
      name: description.name,
      version: description.version,
      file: basename(file),
      sha256: sha256Hex(bytes),
      sizeBytes: (await stat(file)).size,
      task: description.task,
      inputs: tensorSpecs(session.inputMetadata),
      outputs: tensorSpecs(session.outputMetadata),
      ...(description.classes ? { classes: description.classes } : {}),
      ...(description.settings ? { settings: description.settings } : {}),
      ...(description.roles ? { roles: description.roles } : {}),
      ...(description.preprocess ? { preprocess: description.preprocess } : {}),
      metrics: description.metrics,
      card: description.card,
      trainedOn: description.trainedOn,
      opset: 17,
    };
  } finally {
    await session.release();
  }
}

/**
 * Copy model files into the models folder and write manifest.json (entries sorted by name). Entries of an
 * existing manifest there that are not rewritten are kept (retraining ours keeps a shipped third-party model).
 */
export async function writeManifest(outDir: string, models: Array<{ file: string; description: ModelDescription }>): Promise<Manifest> {
  const rewritten = new Set(models.map((m) => m.description.name));
  const existing = join(outDir, 'manifest.json');
  const entries: ManifestEntry[] = existsSync(existing) ? loadManifest(existing).models.filter((m) => !rewritten.has(m.name)) : [];
  for (const { file, description } of models) {
    const target = join(outDir, basename(file));
    if (target !== file) await copyFile(file, target);
    entries.push(await describeOnnx(target, description));
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const manifest: Manifest = { schemaVersion: 1, models: entries };
  await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
