import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyModelSettings, type ModelSettings } from '@streetwise/inference';
import { SW_MODEL_FILE_MISSING, SW_MODEL_HASH_MISMATCH, SW_MODEL_MANIFEST_INVALID, SW_MODEL_NOT_FOUND, SW_MODEL_ROLE_MISSING } from './errors.js';

/** The models/ folder: *.onnx, manifest.json and the cards (src/ and dist/ both sit one level below it). */
export const MODELS_DIR = fileURLToPath(new URL('../', import.meta.url));
export const MANIFEST_PATH = join(MODELS_DIR, 'manifest.json');

export interface TensorSpec {
  name: string;
  /** Fixed sizes, or a name for a dynamic axis ("batch"). */
  shape: Array<number | string>;
  type: 'float32';
}

/**
 * What a detector is for: `real-camera` is the one a camera whose config names no model gets (COCO-trained,
 * real streets); `simulated-scenes` is the one trained on rendered scenes (the simulator's cameras name it).
 */
export type DetectorRole = 'real-camera' | 'simulated-scenes';
export const DETECTOR_ROLES: readonly DetectorRole[] = ['real-camera', 'simulated-scenes'];

export interface ManifestEntry {
  name: string;
  version: string;
  /** File name relative to the manifest. */
  file: string;
  sha256: string;
  sizeBytes: number;
  task: 'detect' | 'forecast';
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Class names in output order (detectors). */
  classes?: string[];
  /**
   * A detector's model settings, as @streetwise/inference resolves them from the file (models/src/manifest.test.ts
   * keeps the two equal): how frames become its input tensor and how its output is read.
   */
  settings?: ModelSettings;
  /** Detectors: what the model is for (at most one entry per role). */
  roles?: DetectorRole[];
  /** How to prepare the input, in words a device implementer can follow (models without `settings`). */
  preprocess?: Record<string, unknown>;
  metrics: Record<string, unknown>;
  /** The model card, relative to the manifest. */
  card: string;
  trainedOn: string;
  opset: number;
}

export interface Manifest {
  schemaVersion: 1;
  models: ManifestEntry[];
}

function fail(path: string, why: string): never {
  throw SW_MODEL_MANIFEST_INVALID([path, why]);
}

/** Check the shape of a parsed manifest (closed: unknown top-level keys are refused). */
export function parseManifest(value: unknown, path = 'manifest.json'): Manifest {
  if (typeof value !== 'object' || value === null) fail(path, 'not a JSON object');
  const m = value as Record<string, unknown>;
  for (const key of Object.keys(m)) if (key !== 'schemaVersion' && key !== 'models') fail(path, `unknown key "${key}"`);
  if (m['schemaVersion'] !== 1) fail(path, 'schemaVersion must be 1');
  if (!Array.isArray(m['models'])) fail(path, 'models must be an array');
  const names = new Set<string>();
  const roles = new Set<string>();
  for (const [i, raw] of (m['models'] as unknown[]).entries()) {
    const e = raw as Partial<ManifestEntry>;
    const where = `models -> ${i}`;
    if (typeof e.name !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(e.name)) fail(path, `${where} -> name | ${String(e.name)} | 1-64 letters, digits, "_", "." or "-"`);
    if (names.has(e.name)) fail(path, `${where} -> name | ${e.name} | names must be unique`);
    names.add(e.name);
    if (typeof e.version !== 'string' || e.version.length === 0) fail(path, `${where} -> version | missing`);
    if (typeof e.file !== 'string' || !e.file.endsWith('.onnx') || e.file.includes('..')) fail(path, `${where} -> file | ${String(e.file)} | a .onnx file beside the manifest`);
    if (typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256)) fail(path, `${where} -> sha256 | ${String(e.sha256)} | 64 lower-case hex digits`);
    if (!Number.isInteger(e.sizeBytes) || (e.sizeBytes ?? 0) <= 0) fail(path, `${where} -> sizeBytes | ${String(e.sizeBytes)} | a positive integer`);
    for (const side of ['inputs', 'outputs'] as const) {
      const list = e[side];
      if (!Array.isArray(list) || list.length === 0) fail(path, `${where} -> ${side} | missing`);
      for (const t of list) {
        if (typeof t.name !== 'string' || !Array.isArray(t.shape) || t.type !== 'float32') fail(path, `${where} -> ${side} -> ${String(t.name)} | name, shape and type float32 are required`);
      }
    }
    if (typeof e.card !== 'string') fail(path, `${where} -> card | missing`);
    if (e.roles !== undefined) {
      if (!Array.isArray(e.roles)) fail(path, `${where} -> roles | ${JSON.stringify(e.roles)} | a list of ${DETECTOR_ROLES.join(', ')}`);
      for (const role of e.roles) {
        if (!DETECTOR_ROLES.includes(role)) fail(path, `${where} -> roles | ${JSON.stringify(role)} | ${DETECTOR_ROLES.join(' or ')}`);
        if (roles.has(role)) fail(path, `${where} -> roles | ${role} | one detector per role`);
        roles.add(role);
      }
    }
    if (e.settings !== undefined) {
      const settings = e.settings as Partial<ModelSettings> | null;
      if (typeof settings !== 'object' || settings === null || typeof settings.input !== 'object' || typeof settings.output !== 'object') {
        fail(path, `${where} -> settings | ${JSON.stringify(e.settings)} | an object with input and output`);
      }
      try {
        verifyModelSettings(settings as ModelSettings);
      } catch (err) {
        fail(path, `${where} -> settings -> ${(err as Error).message.replace(/^model settings: /, '')}`);
      }
    }
  }
  return value as Manifest;
}

export function loadManifest(path = MANIFEST_PATH): Manifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw SW_MODEL_FILE_MISSING([path, (err as Error).message], { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw SW_MODEL_MANIFEST_INVALID([path, (err as Error).message], { cause: err });
  }
  return parseManifest(json, path);
}

export function findModel(manifest: Manifest, name: string, path = MANIFEST_PATH): ManifestEntry {
  const entry = manifest.models.find((m) => m.name === name);
  if (!entry) throw SW_MODEL_NOT_FOUND([name, path]);
  return entry;
}

/** The detector with this role (e.g. `real-camera`: the default for a camera whose config names no model). */
export function findDetectorByRole(manifest: Manifest, role: DetectorRole, path = MANIFEST_PATH): ManifestEntry {
  const entry = manifest.models.find((m) => m.task === 'detect' && m.roles?.includes(role));
  if (!entry) throw SW_MODEL_ROLE_MISSING([role, path]);
  return entry;
}

export function modelPath(entry: ManifestEntry, manifestPath = MANIFEST_PATH): string {
  return join(dirname(manifestPath), entry.file);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Read a model file and check its hash against the manifest; returns the bytes. */
export async function readVerifiedModel(entry: ManifestEntry, manifestPath = MANIFEST_PATH): Promise<Buffer> {
  const path = modelPath(entry, manifestPath);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw SW_MODEL_FILE_MISSING([path, (err as Error).message], { cause: err });
  }
  const actual = sha256Hex(bytes);
  if (actual !== entry.sha256) throw SW_MODEL_HASH_MISMATCH([path, actual, entry.sha256]);
  return bytes;
}
