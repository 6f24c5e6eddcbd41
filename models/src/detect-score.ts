import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import { createYoloRunner, parseYoloMetadata, readOnnxMetadata, sessionOptions, type ModelSettings, type ModelSettingsOverrides, type YoloRunner } from '@streetwise/inference';
import { OBJECT_CLASSES } from '@streetwise/protocol';
import { evaluateDetector, type DetectorSample, type DetectorScore, type EvaluateDetectorOptions } from './detect-eval.js';
import { SW_MODEL_LOAD_FAILED } from './errors.js';
import { findModel, loadManifest, MANIFEST_PATH, type ManifestEntry } from './manifest.js';
import { openVerifiedSession } from './session.js';

type Samples = Iterable<DetectorSample> | AsyncIterable<DetectorSample>;
export type ScoreOptions = Omit<EvaluateDetectorOptions, 'classCount'>;

/** Score a loaded session (released afterwards) through @streetwise/inference's runner, our six classes. */
async function scoreSession(session: ort.InferenceSession, bytes: Uint8Array | undefined, samples: Samples, options: ScoreOptions): Promise<DetectorScore & { settings: ModelSettings }> {
  try {
    const runner = await createYoloRunner(session, { classCount: OBJECT_CLASSES.length, ...(bytes ? { metadata: parseYoloMetadata(readOnnxMetadata(bytes)) } : {}) });
    const score = await evaluateDetector(runner, samples, { ...options, classCount: OBJECT_CLASSES.length });
    return { ...score, settings: runner.settings };
  } finally {
    await session.release();
  }
}

/** A manifest detector's runner (hash and shapes checked, the entry's settings) and the model id of each of our classes (−1: none). */
export async function openManifestRunner(entry: ManifestEntry, manifestPath = MANIFEST_PATH): Promise<{ runner: YoloRunner; modelClassIds: number[]; release: () => Promise<void> }> {
  const { session } = await openVerifiedSession(entry, manifestPath);
  const classes = entry.classes ?? [...OBJECT_CLASSES];
  try {
    const runner = await createYoloRunner(session, { classCount: classes.length, ...(entry.settings ? { overrides: entry.settings } : {}) });
    return { runner, modelClassIds: OBJECT_CLASSES.map((c) => classes.indexOf(c)), release: () => session.release() };
  } catch (err) {
    await session.release();
    throw err;
  }
}

/**
 * Any detector of the manifest, with the entry's settings and our classes found in its class list by name (a
 * COCO model's person, bicycle, car, motorcycle, bus, truck).
 */
export async function scoreManifestEntry(entry: ManifestEntry, samples: Samples, options: ScoreOptions & { manifestPath?: string } = {}): Promise<DetectorScore & { settings: ModelSettings }> {
  const { runner, modelClassIds, release } = await openManifestRunner(entry, options.manifestPath);
  try {
    const score = await evaluateDetector(runner, samples, { ...options, classCount: OBJECT_CLASSES.length, modelClassIds });
    return { ...score, settings: runner.settings };
  } finally {
    await release();
  }
}

/** The manifest's detector (hash and shapes checked). */
export async function scoreManifestDetector(samples: Samples, options: ScoreOptions & { manifestPath?: string } = {}): Promise<DetectorScore & { settings: ModelSettings }> {
  const path = options.manifestPath ?? MANIFEST_PATH;
  const { session } = await openVerifiedSession(findModel(loadManifest(path), 'detector', path), path);
  return scoreSession(session, undefined, samples, options);
}

async function openFile(file: string): Promise<{ bytes: Buffer; session: ort.InferenceSession }> {
  try {
    const bytes = await readFile(file);
    return { bytes, session: await ort.InferenceSession.create(bytes, sessionOptions(1)) };
  } catch (err) {
    throw SW_MODEL_LOAD_FAILED([file, (err as Error).message], { cause: err });
  }
}

/** An ONNX file not (yet) in a manifest: a model just trained, or one to compare. */
export async function scoreDetectorFile(file: string, samples: Samples, options: ScoreOptions = {}): Promise<DetectorScore & { settings: ModelSettings }> {
  const { bytes, session } = await openFile(file);
  return scoreSession(session, bytes, samples, options);
}

/** The model settings @streetwise/inference resolves for a detector file (for its manifest entry), with `overrides` on top. */
export async function detectorFileSettings(file: string, overrides?: ModelSettingsOverrides, classCount: number = OBJECT_CLASSES.length): Promise<ModelSettings> {
  const { bytes, session } = await openFile(file);
  try {
    return (await createYoloRunner(session, { classCount, metadata: parseYoloMetadata(readOnnxMetadata(bytes)), ...(overrides ? { overrides } : {}) })).settings;
  } finally {
    await session.release();
  }
}
