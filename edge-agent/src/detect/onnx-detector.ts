import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import ort from 'onnxruntime-node';
import {
  createYoloRunner,
  DEFAULT_NMS_OPTIONS,
  parseYoloMetadata,
  readOnnxMetadata,
  sessionOptions,
  type DecodeParams,
  type ModelSettings,
  type ModelSettingsOverrides,
  type OutputLayout,
  type PreparedFrame,
  type YoloMetadata,
  type YoloRunner,
} from '@streetwise/inference';
import type { ObjectClass } from '@streetwise/protocol';
import { SW_EDGE_MODEL_LOAD } from '../errors.js';
import { resolveClassMap } from './class-map.js';
import { findManifestEntry, manifestClassNames, manifestSettings } from './manifest-names.js';
import type { ClassThresholds, Detection, DetectResult, Detector, Frame } from './types.js';

export interface OnnxDetectorOptions {
  /** Path of the .onnx file. */
  modelPath: string;
  /** Minimum score per class. Default 0.25 for every class. */
  thresholds?: ClassThresholds;
  /** NMS IoU threshold. Default 0.45. */
  iouThreshold?: number;
  /** onnxruntime intra-op threads. Default 1 (small CPUs: leave a core for decoding and the rest). */
  threads?: number;
  /**
   * Model settings to force instead of telling them from the graph (see @streetwise/inference's model-settings.ts),
   * on top of those a manifest.json next to the model carries for it.
   */
  settings?: ModelSettingsOverrides;
  /** Class names when the model carries none: id → name. Default: from a manifest.json next to the model (see manifest-names.ts). */
  classNames?: ReadonlyMap<number, string> | readonly string[];
  /**
   * Manifests to search for this model's entry by sha256 when no manifest.json next to the file names it (a model
   * pushed to the device lives in `detector.modelDir`). The shipped models/manifest.json is always searched.
   */
  manifests?: readonly string[];
  /** Version reported in events. Default the model's `version` metadata, else <file>@<sha256 prefix>. */
  modelVersion?: string;
}

export const DEFAULT_THRESHOLD = 0.25;

export interface OnnxDetector extends Detector {
  readonly layout: OutputLayout;
  readonly settings: ModelSettings;
  readonly metadata: YoloMetadata;
  readonly classMap: ReadonlyMap<number, ObjectClass>;
  readonly sha256: string;
  readonly session: ort.InferenceSession;
  /** The reused input tensor (for benchmarks that run the bare session on the same input). */
  readonly input: ort.Tensor;
}

function toNameMap(names: OnnxDetectorOptions['classNames']): ReadonlyMap<number, string> | undefined {
  if (names === undefined) return undefined;
  if (names instanceof Map) return names;
  return new Map((names as readonly string[]).map((n, i) => [i, n]));
}

/** The config's settings over the manifest's, field by field. */
function mergeOverrides(base: ModelSettingsOverrides | undefined, top: ModelSettingsOverrides | undefined): ModelSettingsOverrides | undefined {
  if (!base || !top) return top ?? base;
  return { input: { ...base.input, ...top.input }, output: { ...base.output, ...top.output } };
}

/** YOLO detector on onnxruntime-node (CPU): @streetwise/inference's runner plus our class map and thresholds. */
export async function createOnnxDetector(options: OnnxDetectorOptions): Promise<OnnxDetector> {
  let bytes: Buffer;
  let metadata: YoloMetadata;
  let runner: YoloRunner;
  let names: ReadonlyMap<number, string> | undefined;
  let sha256: string;
  try {
    bytes = await readFile(options.modelPath);
    sha256 = createHash('sha256').update(bytes).digest('hex');
    metadata = parseYoloMetadata(readOnnxMetadata(bytes));
    const entry = findManifestEntry(options.modelPath, { sha256, manifests: options.manifests ?? [] });
    names = metadata.names ?? toNameMap(options.classNames ?? manifestClassNames(entry));
    const fromManifest = manifestSettings(entry);
    const overrides = mergeOverrides(fromManifest, options.settings);
    const session = await ort.InferenceSession.create(bytes, sessionOptions(options.threads));
    // Without names the model is taken for a COCO export (80 classes), as the class map is.
    runner = await createYoloRunner(session, { metadata, classCount: names?.size ?? 80, ...(overrides ? { overrides } : {}) }).catch(async (err: unknown) => {
      await session.release();
      throw err;
    });
  } catch (err) {
    throw SW_EDGE_MODEL_LOAD([options.modelPath, (err as Error).message], { cause: err });
  }
  const classMap = resolveClassMap(names);
  const modelVersion = options.modelVersion ?? metadata.version ?? `${basename(options.modelPath, '.onnx')}@${sha256.slice(0, 8)}`;
  const nmsOptions = { iouThreshold: options.iouThreshold ?? DEFAULT_NMS_OPTIONS.iouThreshold };
  let params: DecodeParams;

  const setThresholds = (thresholds: ClassThresholds = {}) => {
    params = {
      wanted: [...classMap].map(([classId, cls]) => ({ classId, threshold: thresholds[cls] ?? thresholds.default ?? DEFAULT_THRESHOLD })),
    };
  };
  setThresholds(options.thresholds);

  const detector: OnnxDetector = {
    modelVersion,
    inputWidth: runner.settings.input.width,
    inputHeight: runner.settings.input.height,
    layout: runner.settings.output.layout,
    settings: runner.settings,
    metadata,
    classMap,
    sha256,
    session: runner.session,
    input: runner.input,
    setThresholds,
    prepare(frame: Frame) {
      return runner.prepare(frame);
    },
    async detect(frame: Frame): Promise<DetectResult> {
      const t0 = performance.now();
      const prepared = await runner.prepare(frame);
      return detector.run(prepared, performance.now() - t0);
    },
    async run(prepared: PreparedFrame, decodeMs = 0): Promise<DetectResult> {
      const { candidates, width, height, timings } = await runner.run(prepared, params, nmsOptions);
      const detections: Detection[] = candidates.map((c) => ({ class: classMap.get(c.classId)!, classId: c.classId, score: c.score, box: [c.x1, c.y1, c.x2, c.y2] }));
      return { detections, width, height, timings: { decodeMs, ...timings } };
    },
    async dispose() {
      await runner.session.release();
    },
  };
  return detector;
}
