/**
 * Decoders for the three YOLO output layouts, as pure functions over the raw output array. Boxes come out in
 * model-input pixels as x1, y1, x2, y2.
 *   yolov8   [1, 4+nc, N]  YOLOv8 / YOLO11: cx, cy, w, h, then one score per class; anchors along the last axis
 *   yolov5   [1, N, 5+nc]  cx, cy, w, h, objectness, class scores (score = objectness × class score)
 *   end2end  [1, N, 6]     x1, y1, x2, y2, score, class id: NMS done inside the model (YOLOv10, YOLO26, end2end exports)
 */
export type YoloLayout = 'yolov8' | 'yolov5' | 'end2end';

export interface Candidate {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  classId: number;
}

/**
 * Which layout an output of `dims` is. An explicit `layout` or the model's `end2end` metadata win; with the
 * class count known, the shape decides; otherwise the longer axis holds the anchors.
 */
export function detectLayout(dims: readonly number[], hints: { end2end?: boolean; numClasses?: number; layout?: YoloLayout } = {}): YoloLayout {
  if (hints.layout) return hints.layout;
  if (dims.length !== 3 || dims[0] !== 1) throw new Error(`expected an output of shape [1, a, b], got [${dims.join(', ')}]`);
  const [, a, b] = dims as [number, number, number];
  if (hints.end2end === true) {
    if (b !== 6) throw new Error(`end2end model output must be [1, N, 6], got [${dims.join(', ')}]`);
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

export interface DecodeParams {
  /** Class ids to report, with their minimum score. Other classes are ignored. */
  wanted: ReadonlyArray<{ classId: number; threshold: number }>;
}

export function decodeYolov8(data: Float32Array, dims: readonly number[], params: DecodeParams): Candidate[] {
  const channels = dims[1]!;
  const n = dims[2]!;
  const numClasses = channels - 4;
  const wanted = params.wanted.filter((w) => w.classId < numClasses);
  const out: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestScore = 0;
    for (const w of wanted) {
      const s = data[(4 + w.classId) * n + i]!;
      if (s >= w.threshold && s > bestScore) {
        bestScore = s;
        best = w.classId;
      }
    }
    if (best < 0) continue;
    const cx = data[i]!;
    const cy = data[n + i]!;
    const hw = data[2 * n + i]! / 2;
    const hh = data[3 * n + i]! / 2;
    out.push({ x1: cx - hw, y1: cy - hh, x2: cx + hw, y2: cy + hh, score: bestScore, classId: best });
  }
  return out;
}

export function decodeYolov5(data: Float32Array, dims: readonly number[], params: DecodeParams): Candidate[] {
  const n = dims[1]!;
  const stride = dims[2]!;
  const numClasses = stride - 5;
  const wanted = params.wanted.filter((w) => w.classId < numClasses);
  const minThreshold = Math.min(...wanted.map((w) => w.threshold));
  const out: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    const row = i * stride;
    const objectness = data[row + 4]!;
    if (objectness < minThreshold) continue;
    let best = -1;
    let bestScore = 0;
    for (const w of wanted) {
      const s = objectness * data[row + 5 + w.classId]!;
      if (s >= w.threshold && s > bestScore) {
        bestScore = s;
        best = w.classId;
      }
    }
    if (best < 0) continue;
    const cx = data[row]!;
    const cy = data[row + 1]!;
    const hw = data[row + 2]! / 2;
    const hh = data[row + 3]! / 2;
    out.push({ x1: cx - hw, y1: cy - hh, x2: cx + hw, y2: cy + hh, score: bestScore, classId: best });
  }
  return out;
}

export function decodeEnd2End(data: Float32Array, dims: readonly number[], params: DecodeParams): Candidate[] {
  const n = dims[1]!;
  const thresholdOf = new Map(params.wanted.map((w) => [w.classId, w.threshold]));
  const out: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    const row = i * 6;
    const score = data[row + 4]!;
    const classId = Math.round(data[row + 5]!);
    const threshold = thresholdOf.get(classId);
    if (threshold === undefined || score < threshold) continue;
    out.push({ x1: data[row]!, y1: data[row + 1]!, x2: data[row + 2]!, y2: data[row + 3]!, score, classId });
  }
  return out;
}

export function decodeYolo(layout: YoloLayout, data: Float32Array, dims: readonly number[], params: DecodeParams): Candidate[] {
  switch (layout) {
    case 'yolov8':
      return decodeYolov8(data, dims, params);
    case 'yolov5':
      return decodeYolov5(data, dims, params);
    case 'end2end':
      return decodeEnd2End(data, dims, params);
  }
}
