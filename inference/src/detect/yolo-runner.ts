/**
 * One detector model on onnxruntime: letterbox → session.run → decode → NMS → boxes in image pixels. The
 * edge agent's detector and the models package's evaluation both run frames through this, so the scores
 * published for a model are measured with the code that ships.
 */
import { performance } from 'node:perf_hooks';
import ort from 'onnxruntime-node';
import { resolveInputSettings, resolveModelSettings, verifyInputSettings, type InputSettings, type ModelSettings, type ModelSettingsOverrides } from '../model-settings.js';
import type { YoloMetadata } from '../onnx/metadata.js';
import { declaredShape } from '../onnx/session.js';
import type { Candidate, DecodeParams } from './decode/candidate.js';
import type { Frame } from './frame.js';
import { toImageBox } from './letterbox.js';
import { Letterboxer, type PreparedFrame } from './letterboxer.js';
import { nms, type NmsOptions } from './nms.js';
import { decodeOutput, nmsInModel } from './output-layout.js';

export interface YoloRunnerOptions {
  /** The model's parsed metadata_props (names, imgsz, end2end). */
  metadata?: YoloMetadata;
  /** Classes the model is known to have; tells YOLOv5 from YOLOv8 shapes. Default: the metadata's names, else 80 (COCO). */
  classCount?: number;
  /** Settings to force instead of telling them from the graph. */
  overrides?: ModelSettingsOverrides;
}

export interface YoloTimings {
  /** Writing the resized pixels into the tensor, ms. */
  letterboxMs: number;
  inferMs: number;
  /** Output decode + NMS + mapping back to image pixels, ms. */
  postprocessMs: number;
}

export interface YoloResult {
  /** In image pixels, clamped to the image; boxes left empty by the clamping are dropped. */
  candidates: Candidate[];
  width: number;
  height: number;
  timings: YoloTimings;
}

export interface YoloRunner {
  readonly settings: ModelSettings;
  readonly session: ort.InferenceSession;
  /** The reused input tensor (for benchmarks that run the bare session on the same input). */
  readonly input: ort.Tensor;
  /** Decode and resize a frame; may run while another frame is in inference. */
  prepare(frame: Frame): Promise<PreparedFrame>;
  run(prepared: PreparedFrame, params: DecodeParams, nmsOptions?: Partial<NmsOptions>): Promise<YoloResult>;
}

/** The output shape: as declared when every axis is fixed, else from one run on a blank input of the resolved size. */
async function outputShape(session: ort.InferenceSession, input: InputSettings): Promise<number[]> {
  const declared = declaredShape(session, 'output');
  if (declared.length > 0 && declared.every((d) => typeof d === 'number' && d > 0)) return declared as number[];
  const blank = new ort.Tensor('float32', new Float32Array(3 * input.width * input.height), [1, 3, input.height, input.width]);
  const results = await session.run({ [session.inputNames[0]!]: blank });
  const dims = [...results[session.outputNames[0]!]!.dims];
  for (const t of Object.values(results)) t.dispose();
  return dims;
}

/** Wrap a loaded session; its settings are resolved here, once (see model-settings.ts). */
export async function createYoloRunner(session: ort.InferenceSession, options: YoloRunnerOptions = {}): Promise<YoloRunner> {
  const metadata = options.metadata ?? {};
  const inputShape = declaredShape(session, 'input');
  // The input first: a dynamic output is probed with an input of this size.
  const probeInput = resolveInputSettings(inputShape, metadata, options.overrides?.input);
  verifyInputSettings(probeInput);
  const classCount = options.classCount ?? metadata.names?.size;
  const settings = resolveModelSettings(
    { inputShape, outputShape: await outputShape(session, probeInput), metadata, ...(classCount === undefined ? {} : { classCount }) },
    options.overrides,
  );
  const letterboxer = new Letterboxer(settings.input);
  const input = new ort.Tensor('float32', letterboxer.tensor, [1, 3, settings.input.height, settings.input.width]);
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  const { layout } = settings.output;
  const suppress = !nmsInModel(layout);

  return {
    settings,
    session,
    input,
    prepare: (frame) => letterboxer.prepare(frame),
    async run(prepared, params, nmsOptions = {}) {
      const t0 = performance.now();
      letterboxer.fill(prepared);
      const box = prepared.layout;
      const t1 = performance.now();
      const results = await session.run({ [inputName]: input });
      const t2 = performance.now();
      const output = results[outputName]!;
      try {
        const decoded = decodeOutput(layout, output.data as Float32Array, output.dims, params, settings.input);
        const kept = suppress ? nms(decoded, nmsOptions) : decoded;
        const candidates: Candidate[] = [];
        for (const c of kept) {
          const [x1, y1, x2, y2] = toImageBox([c.x1, c.y1, c.x2, c.y2], box);
          if (x2 - x1 > 0 && y2 - y1 > 0) candidates.push({ x1, y1, x2, y2, score: c.score, classId: c.classId });
        }
        const t3 = performance.now();
        return { candidates, width: box.srcWidth, height: box.srcHeight, timings: { letterboxMs: t1 - t0, inferMs: t2 - t1, postprocessMs: t3 - t2 } };
      } finally {
        for (const t of Object.values(results)) t.dispose();
      }
    },
  };
}
