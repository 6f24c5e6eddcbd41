import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ModelSettingsOverrides } from '@streetwise/inference';
import { findDetectorByRole, loadManifest, MANIFEST_PATH, modelPath, type ManifestEntry } from '@streetwise/models';

/** Where to look for a model's manifest entry besides the manifest next to its file. */
export interface ManifestLookup {
  /** The model file's sha256 (lower-case hex): matched against the entries of `manifests`. */
  sha256?: string;
  /**
   * Manifests to search by sha256 when none sits next to the file (an updated model is stored under
   * `detector.modelDir`, away from its manifest). The shipped models/manifest.json is always searched last.
   */
  manifests?: readonly string[];
}

function entryInManifest(path: string, match: (m: ManifestEntry) => boolean): ManifestEntry | undefined {
  if (!existsSync(path)) return undefined;
  return loadManifest(path).models.find(match);
}

/**
 * The manifest entry of a model: the one naming its file in a manifest.json next to it, else the one with its
 * sha256 in the manifests the device knows (so a model pushed to the device loads with the same settings and
 * classes as when it is started from its manifest).
 */
export function findManifestEntry(modelPath: string, lookup: ManifestLookup = {}): ManifestEntry | undefined {
  const beside = entryInManifest(join(dirname(modelPath), 'manifest.json'), (m) => m.file === basename(modelPath));
  if (beside || lookup.sha256 === undefined) return beside;
  for (const path of new Set([...(lookup.manifests ?? []), MANIFEST_PATH])) {
    const found = entryInManifest(path, (m) => m.sha256 === lookup.sha256);
    if (found) return found;
  }
  return undefined;
}

/** Class names a manifest entry gives a model without `names` metadata (undefined when it gives none). */
export function manifestClassNames(entry: ManifestEntry | undefined): string[] | undefined {
  return entry?.classes && entry.classes.length > 0 ? [...entry.classes] : undefined;
}

/**
 * The model settings a manifest entry carries: what the graph cannot tell (YOLOX's BGR, 0–255, top-left
 * letterbox and grid layout). The device config's `detector.settings` go on top.
 */
export function manifestSettings(entry: ManifestEntry | undefined): ModelSettingsOverrides | undefined {
  return entry?.settings;
}

/** The manifest.json next to a configured model file (searched by sha256 for models pushed to the device). */
export function manifestBeside(modelPath: string): string {
  return join(dirname(modelPath), 'manifest.json');
}

/** The shipped detector for real cameras (role `real-camera` in models/manifest.json): a camera config that names no model gets it. */
export function realCameraModelPath(manifestPath = MANIFEST_PATH): string {
  return modelPath(findDetectorByRole(loadManifest(manifestPath), 'real-camera', manifestPath), manifestPath);
}
