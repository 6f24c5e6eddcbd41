import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ModelSettingsOverrides } from '@streetwise/inference';
import { findDetectorByRole, loadManifest, MANIFEST_PATH, modelPath, type ManifestEntry } from '@streetwise/models';

/** The entry of a models/manifest.json next to the model whose file is this model, if any. */
function manifestEntry(modelPath: string): ManifestEntry | undefined {
  const path = join(dirname(modelPath), 'manifest.json');
  if (!existsSync(path)) return undefined;
  return loadManifest(path).models.find((m) => m.file === basename(modelPath));
}

/**
 * Class names for a model without `names` metadata, from a models/manifest.json next to it (the entry whose
 * file is this model). Undefined when there is no manifest or no entry with classes.
 */
export function manifestClassNames(modelPath: string): string[] | undefined {
  const entry = manifestEntry(modelPath);
  return entry?.classes && entry.classes.length > 0 ? [...entry.classes] : undefined;
}

/**
 * The model settings a manifest next to the model carries for it: what the graph cannot tell (YOLOX's BGR,
 * 0–255, top-left letterbox and grid layout). The device config's `detector.settings` go on top.
 */
export function manifestSettings(modelPath: string): ModelSettingsOverrides | undefined {
  return manifestEntry(modelPath)?.settings;
}

/** The shipped detector for real cameras (role `real-camera` in models/manifest.json): a camera config that names no model gets it. */
export function realCameraModelPath(manifestPath = MANIFEST_PATH): string {
  return modelPath(findDetectorByRole(loadManifest(manifestPath), 'real-camera', manifestPath), manifestPath);
}
