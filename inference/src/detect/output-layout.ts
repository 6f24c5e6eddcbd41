/**
 * The detector output layouts this package decodes, one decoder file each (decode/). Boxes come out in
 * model-input pixels as x1, y1, x2, y2.
 *   yolov8   [1, 4+nc, N]  YOLOv8 / YOLO11: cx, cy, w, h, then one score per class; anchors along the last axis
 *   yolov5   [1, N, 5+nc]  cx, cy, w, h, objectness, class scores (score = objectness × class score)
 *   end2end  [1, N, 6]     x1, y1, x2, y2, score, class id: NMS done inside the model (YOLOv10, YOLO26, end2end exports)
 *   yolox    [1, N, 5+nc]  YOLOX: like yolov5 but dx, dy, log w, log h on stride 8/16/32 grids (decoded here, not in
 *                          the graph). Its shape is YOLOv5's, so it is never told by shape: metadata, manifest or override.
 * A new layout is one decoder file plus one entry in LAYOUTS (and a rule in detectLayout if its shape tells it apart).
 */
import { SW_INFERENCE_OUTPUT_SHAPE } from '../errors.js';
import type { Candidate, DecodeParams, Decoder, InputSize } from './decode/candidate.js';
import { decodeEnd2End } from './decode/end2end.js';
import { decodeYolov5 } from './decode/yolov5.js';
import { decodeYolov8 } from './decode/yolov8.js';
import { decodeYolox, yoloxAnchorCount } from './decode/yolox.js';

export type OutputLayout = 'yolov8' | 'yolov5' | 'end2end' | 'yolox';

interface LayoutSpec {
  decode: Decoder;
  /** The model already suppressed overlapping boxes: no NMS after decoding. */
  nmsInModel: boolean;
  /** Why `dims` cannot be this layout (for a model input of `input`, when known), or undefined when it can. */
  misfit(dims: readonly number[], input?: InputSize): string | undefined;
}

const rank3 = (dims: readonly number[]) => (dims.length === 3 && dims[0] === 1 ? undefined : 'expected [1, a, b]');

const LAYOUTS: Record<OutputLayout, LayoutSpec> = {
  yolov8: { decode: decodeYolov8, nmsInModel: false, misfit: (d) => rank3(d) ?? (d[1]! > 4 ? undefined : 'needs 4 box channels and at least one class: [1, 4+nc, N]') },
  yolov5: { decode: decodeYolov5, nmsInModel: false, misfit: (d) => rank3(d) ?? (d[2]! > 5 ? undefined : 'needs 5 values and at least one class per row: [1, N, 5+nc]') },
  end2end: { decode: decodeEnd2End, nmsInModel: true, misfit: (d) => rank3(d) ?? (d[2] === 6 ? undefined : 'rows must be x1, y1, x2, y2, score, class: [1, N, 6]') },
  yolox: { decode: decodeYolox, nmsInModel: false, misfit: yoloxMisfit },
};

function yoloxMisfit(d: readonly number[], input?: InputSize): string | undefined {
  const shape = rank3(d) ?? (d[2]! > 5 ? undefined : 'needs 5 values and at least one class per row: [1, N, 5+nc]');
  if (shape || input === undefined) return shape;
  const anchors = yoloxAnchorCount(input);
  return d[1] === anchors ? undefined : `a ${input.width}×${input.height} input has ${anchors} anchor points on the stride 8, 16 and 32 grids`;
}

export const OUTPUT_LAYOUTS = Object.keys(LAYOUTS) as OutputLayout[];

/** Whether the layout's model does its own NMS. */
export function nmsInModel(layout: OutputLayout): boolean {
  return LAYOUTS[layout].nmsInModel;
}

/**
 * Which layout an output of `dims` is. The model's `end2end` metadata wins; with the class count known, the
 * shape decides; otherwise the longer axis holds the anchors. Throws SW_INFERENCE_OUTPUT_SHAPE.
 */
export function detectLayout(dims: readonly number[], hints: { end2end?: boolean; numClasses?: number } = {}): OutputLayout {
  const notRank3 = rank3(dims);
  if (notRank3) throw SW_INFERENCE_OUTPUT_SHAPE([dims.join(', '), 'yolov8, yolov5 or end2end', notRank3]);
  const [, a, b] = dims as [number, number, number];
  if (hints.end2end === true) {
    const misfit = LAYOUTS.end2end.misfit(dims);
    if (misfit) throw SW_INFERENCE_OUTPUT_SHAPE([dims.join(', '), 'end2end (the model metadata says end2end)', misfit]);
    return 'end2end';
  }
  const nc = hints.numClasses;
  if (nc !== undefined) {
    if (a === 4 + nc && b !== 5 + nc) return 'yolov8';
    if (b === 5 + nc && a !== 4 + nc) return 'yolov5';
    if (b === 6 && hints.end2end === undefined && a !== 4 + nc) return 'end2end';
  }
  if (a < b) return 'yolov8';
  return b === 6 ? 'end2end' : 'yolov5';
}

/** Throws SW_INFERENCE_OUTPUT_SHAPE when an output of `dims` cannot be read as `layout` (for a model input of `input`). */
export function verifyLayoutFits(layout: OutputLayout, dims: readonly number[], input?: InputSize): void {
  const misfit = LAYOUTS[layout].misfit(dims, input);
  if (misfit) throw SW_INFERENCE_OUTPUT_SHAPE([dims.join(', '), layout, misfit]);
}

/**
 * Decode one output with the decoder of `layout`, for a model input of `input` (grid layouts need it);
 * throws SW_INFERENCE_OUTPUT_SHAPE when the dims do not fit it.
 */
export function decodeOutput(layout: OutputLayout, data: Float32Array, dims: readonly number[], params: DecodeParams, input?: InputSize): Candidate[] {
  if (layout === 'yolox' && input === undefined) throw SW_INFERENCE_OUTPUT_SHAPE([dims.join(', '), layout, 'decoding YOLOX needs the model input size']);
  verifyLayoutFits(layout, dims, input);
  return LAYOUTS[layout].decode(data, dims, params, input ?? { width: 0, height: 0 });
}
