/**
 * Decoding and scoring of YOLOv8-style detector output ([1, 4 + nc, N]: cx, cy, w, h in input pixels,
 * then per-class scores). Used to prove the committed detector on freshly rendered scenes; the edge
 * agent has its own decoder for the live pipeline.
 */
export interface Detection {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  classIndex: number;
}

export interface TruthBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  classIndex: number;
  /** A region that is neither a required hit nor a false alarm (too small or hidden). */
  ignore?: boolean;
}

export function iou(a: { x1: number; y1: number; x2: number; y2: number }, b: { x1: number; y1: number; x2: number; y2: number }): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
}

/** Decode one image's output (channel-major [4 + nc, N]) and apply per-class greedy NMS. */
export function decodeYoloOutput(data: Float32Array, channels: number, anchors: number, scoreThreshold = 0.25, iouThreshold = 0.5, maxDetections = 100): Detection[] {
  const nc = channels - 4;
  const candidates: Detection[] = [];
  for (let i = 0; i < anchors; i++) {
    let best = 0;
    let cls = -1;
    for (let c = 0; c < nc; c++) {
      const s = data[(4 + c) * anchors + i]!;
      if (s > best) {
        best = s;
        cls = c;
      }
    }
    if (best < scoreThreshold) continue;
    const cx = data[i]!;
    const cy = data[anchors + i]!;
    const w = data[2 * anchors + i]!;
    const h = data[3 * anchors + i]!;
    candidates.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score: best, classIndex: cls });
  }
  candidates.sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const d of candidates) {
    if (kept.length >= maxDetections) break;
    if (kept.every((k) => k.classIndex !== d.classIndex || iou(k, d) <= iouThreshold)) kept.push(d);
  }
  return kept;
}

export interface MatchResult {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Per detection, in score order: 1 hit, 0 false alarm; detections on ignore regions are left out. */
  scored: Array<{ score: number; classIndex: number; hit: boolean }>;
}

/** Greedy matching by score at an IoU threshold, class by class; ignore regions absorb detections. */
export function matchDetections(detections: readonly Detection[], truth: readonly TruthBox[], iouThreshold = 0.5): MatchResult {
  const used = new Set<number>();
  const scored: MatchResult['scored'] = [];
  let tp = 0;
  let fp = 0;
  for (const d of [...detections].sort((a, b) => b.score - a.score)) {
    let best = -1;
    let bestIou = iouThreshold;
    truth.forEach((t, j) => {
      if (t.ignore || used.has(j) || t.classIndex !== d.classIndex) return;
      const o = iou(d, t);
      if (o >= bestIou) {
        bestIou = o;
        best = j;
      }
    });
    if (best >= 0) {
      used.add(best);
      tp++;
      scored.push({ score: d.score, classIndex: d.classIndex, hit: true });
    } else if (truth.some((t) => t.ignore && t.classIndex === d.classIndex && iou(d, t) >= iouThreshold)) {
      continue;
    } else {
      fp++;
      scored.push({ score: d.score, classIndex: d.classIndex, hit: false });
    }
  }
  const required = truth.filter((t) => !t.ignore).length;
  return { truePositives: tp, falsePositives: fp, falseNegatives: required - tp, scored };
}

/** All-point interpolated average precision from scored detections and the number of objects. */
export function averagePrecision(scored: ReadonlyArray<{ score: number; hit: boolean }>, objects: number): number {
  if (objects === 0) return Number.NaN;
  const sorted = [...scored].sort((a, b) => b.score - a.score);
  const recall: number[] = [0];
  const precision: number[] = [0];
  let tp = 0;
  sorted.forEach((s, i) => {
    if (s.hit) tp++;
    recall.push(tp / objects);
    precision.push(tp / (i + 1));
  });
  recall.push(1);
  precision.push(0);
  for (let i = precision.length - 2; i >= 0; i--) precision[i] = Math.max(precision[i]!, precision[i + 1]!);
  let ap = 0;
  for (let i = 1; i < recall.length; i++) ap += (recall[i]! - recall[i - 1]!) * precision[i]!;
  return ap;
}
