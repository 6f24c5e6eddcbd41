import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import ort from 'onnxruntime-node';
import type { ObjectClass } from '@streetwise/protocol';
import { SW_EDGE_MODEL_LOAD } from '../errors.js';
import { resolveClassMap } from './class-map.js';
import { manifestClassNames } from './manifest-names.js';
import { Letterboxer, toImageBox, type PreparedFrame } from './letterbox.js';
import { DEFAULT_NMS_OPTIONS, nms } from './nms.js';
import { parseYoloMetadata, readOnnxMetadata, type YoloMetadata } from './onnx-metadata.js';
import { decodeYolo, detectLayout, type DecodeParams, type YoloLayout } from './yolo-decode.js';
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
  /** Force the output layout instead of telling it from shape and metadata. */
  layout?: YoloLayout;
  /** Class names when the model carries none: id → name. Default: from a manifest.json next to the model (see manifest-names.ts). */
  classNames?: ReadonlyMap<number, string> | readonly string[];
  /** Input size [width, height] for models with a dynamic input shape. Default the model's imgsz, else 640. */
  inputSize?: [number, number];
  /** Version reported in events. Default the model's `version` metadata, else <file>@<sha256 prefix>. */
  modelVersion?: string;
}

export const DEFAULT_THRESHOLD = 0.25;

export interface OnnxDetector extends Detector {
  readonly layout: YoloLayout | undefined;
  readonly metadata: YoloMetadata;
  readonly classMap: ReadonlyMap<number, ObjectClass>;
  readonly sha256: string;
  readonly session: ort.InferenceSession;
  /** The reused input tensor (for benchmarks that run the bare session on the same input). */
  readonly input: ort.Tensor;
}

export function sessionOptions(threads = 1): ort.InferenceSession.SessionOptions {
  return { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', logSeverityLevel: 3 };
}

function toNameMap(names: OnnxDetectorOptions['classNames']): ReadonlyMap<number, string> | undefined {
  if (names === undefined) return undefined;
  if (names instanceof Map) return names;
  return new Map((names as readonly string[]).map((n, i) => [i, n]));
}

/** YOLO detector on onnxruntime-node (CPU). */
export async function createOnnxDetector(options: OnnxDetectorOptions): Promise<OnnxDetector> {
  let bytes: Buffer;
  let session: ort.InferenceSession;
  let metadata: YoloMetadata;
  try {
    bytes = await readFile(options.modelPath);
    metadata = parseYoloMetadata(readOnnxMetadata(bytes));
    session = await ort.InferenceSession.create(bytes, sessionOptions(options.threads));
  } catch (err) {
    throw SW_EDGE_MODEL_LOAD([options.modelPath, (err as Error).message], { cause: err });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  const inputMeta = session.inputMetadata[0];
  const shape = inputMeta?.isTensor ? inputMeta.shape : [];
  const fixed = (v: number | string | undefined) => (typeof v === 'number' && v > 0 ? v : undefined);
  const inputHeight = fixed(shape[2]) ?? options.inputSize?.[1] ?? metadata.imgsz?.[0] ?? 640;
  const inputWidth = fixed(shape[3]) ?? options.inputSize?.[0] ?? metadata.imgsz?.[1] ?? 640;
  const names = metadata.names ?? toNameMap(options.classNames ?? manifestClassNames(options.modelPath));
  const classMap = resolveClassMap(names);
  const letterboxer = new Letterboxer(inputWidth, inputHeight);
  const input = new ort.Tensor('float32', letterboxer.tensor, [1, 3, inputHeight, inputWidth]);
  const modelVersion = options.modelVersion ?? metadata.version ?? `${basename(options.modelPath, '.onnx')}@${sha256.slice(0, 8)}`;
  const iouThreshold = options.iouThreshold ?? DEFAULT_NMS_OPTIONS.iouThreshold;
  let layout: YoloLayout | undefined = options.layout;
  let params: DecodeParams;

  const setThresholds = (thresholds: ClassThresholds = {}) => {
    params = {
      wanted: [...classMap].map(([classId, cls]) => ({ classId, threshold: thresholds[cls] ?? thresholds.default ?? DEFAULT_THRESHOLD })),
    };
  };
  setThresholds(options.thresholds);

  const detector: OnnxDetector = {
    modelVersion,
    inputWidth,
    inputHeight,
    metadata,
    classMap,
    sha256,
    session,
    input,
    get layout() {
      return layout;
    },
    setThresholds,
    prepare(frame: Frame) {
      return letterboxer.prepare(frame);
    },
    async detect(frame: Frame): Promise<DetectResult> {
      const t0 = performance.now();
      const prepared = await letterboxer.prepare(frame);
      return detector.run(prepared, performance.now() - t0);
    },
    async run(prepared: PreparedFrame, decodeMs = 0): Promise<DetectResult> {
      const t0 = performance.now();
      letterboxer.fill(prepared);
      const box = prepared.layout;
      const t1 = performance.now();
      const results = await session.run({ [inputName]: input });
      const t2 = performance.now();
      const output = results[outputName]!;
      const dims = output.dims;
      // Without names the model is taken for a COCO export (80 classes), as the class map is.
      layout ??= detectLayout(dims, { end2end: metadata.end2end, numClasses: names?.size ?? 80 });
      const candidates = decodeYolo(layout, output.data as Float32Array, dims, params);
      const kept = layout === 'end2end' ? candidates : nms(candidates, { iouThreshold });
      const detections: Detection[] = [];
      for (const c of kept) {
        const b = toImageBox([c.x1, c.y1, c.x2, c.y2], box);
        if (b[2] - b[0] <= 0 || b[3] - b[1] <= 0) continue;
        detections.push({ class: classMap.get(c.classId)!, classId: c.classId, score: c.score, box: b });
      }
      for (const t of Object.values(results)) t.dispose();
      const t3 = performance.now();
      return { detections, width: box.srcWidth, height: box.srcHeight, timings: { decodeMs, letterboxMs: t1 - t0, inferMs: t2 - t1, postprocessMs: t3 - t2 } };
    },
    async dispose() {
      await session.release();
    },
  };
  return detector;
}
