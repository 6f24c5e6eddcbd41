/**
 * Scoring a detector against ground truth: greedy matching, average precision, and evaluateDetector(), which
 * runs frames through @streetwise/inference's runner — the letterbox, decoder and NMS the edge agent ships — so
 * the figures published for a model are those of the code that runs it.
 */
import { DEFAULT_NMS_OPTIONS, iou, type Candidate, type Frame, type NmsOptions, type YoloRunner } from '@streetwise/inference';

export interface TruthBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  classId: number;
  /** A region that is neither a required hit nor a false alarm (too small or hidden). */
  ignore?: boolean;
}

export interface MatchResult {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Per detection, in score order: 1 hit, 0 false alarm; detections on ignore regions are left out. */
  scored: Array<{ score: number; classId: number; hit: boolean }>;
}

/** Greedy matching by score at an IoU threshold, class by class; ignore regions absorb detections. */
export function matchDetections(detections: readonly Candidate[], truth: readonly TruthBox[], iouThreshold = 0.5): MatchResult {
  const used = new Set<number>();
  const scored: MatchResult['scored'] = [];
  let tp = 0;
  let fp = 0;
  for (const d of [...detections].sort((a, b) => b.score - a.score)) {
    let best = -1;
    let bestIou = iouThreshold;
    truth.forEach((t, j) => {
      if (t.ignore || used.has(j) || t.classId !== d.classId) return;
      const o = iou(d, t);
      if (o >= bestIou) {
        bestIou = o;
        best = j;
      }
    });
    if (best >= 0) {
      used.add(best);
      tp++;
      scored.push({ score: d.score, classId: d.classId, hit: true });
    } else if (truth.some((t) => t.ignore && t.classId === d.classId && iou(d, t) >= iouThreshold)) {
      continue;
    } else {
      fp++;
      scored.push({ score: d.score, classId: d.classId, hit: false });
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

export interface DetectorSample {
  image: Frame;
  truth: readonly TruthBox[];
}

export interface DetectorScore {
  images: number;
  /** Objects per class (ignore regions left out). */
  objects: number[];
  /** At the operating score threshold. */
  recall: number;
  precision: number;
  /** Average precision at IoU `matchIou` per class; NaN for a class with no objects. */
  ap50: number[];
  /** Mean over the classes that have objects. */
  map50: number;
}

export interface EvaluateDetectorOptions {
  /** Classes scored (truth class ids 0 … classCount−1). */
  classCount: number;
  /**
   * The model's class id for each scored class (index = truth class id), for a model whose classes are numbered
   * otherwise (a COCO model: person 0, bus 5, truck 7). Default: the same ids.
   */
  modelClassIds?: readonly number[];
  /** Operating threshold for recall and precision. Default 0.35. */
  scoreThreshold?: number;
  /** Lowest score kept for the precision–recall curve. Default 0.01. */
  minScore?: number;
  /** IoU a detection needs with a truth box to be a hit. Default 0.5. */
  matchIou?: number;
  /** NMS as the detector runs it. Default the edge agent's (IoU 0.45, at most 300). */
  nms?: Partial<NmsOptions>;
}

/**
 * Run every sample through the runner once (scores ≥ minScore), then score: recall and precision at
 * scoreThreshold, AP per class over all scores. NMS keeps the best box first, so the detections at or above the
 * threshold are exactly those NMS keeps when run on them alone.
 */
export async function evaluateDetector(runner: YoloRunner, samples: Iterable<DetectorSample> | AsyncIterable<DetectorSample>, options: EvaluateDetectorOptions): Promise<DetectorScore> {
  const { classCount, scoreThreshold = 0.35, minScore = 0.01, matchIou = 0.5 } = options;
  const modelIds = options.modelClassIds ?? Array.from({ length: classCount }, (_, c) => c);
  const toTruthClass = new Map(modelIds.map((modelId, c) => [modelId, c]));
  const params = { wanted: modelIds.filter((id) => id >= 0).map((classId) => ({ classId, threshold: minScore })) };
  const nms = { ...DEFAULT_NMS_OPTIONS, ...options.nms };
  const objects = new Array<number>(classCount).fill(0);
  const scored: MatchResult['scored'] = [];
  let images = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for await (const sample of samples) {
    images++;
    const { candidates: raw } = await runner.run(await runner.prepare(sample.image), params, nms);
    const candidates = raw.map((c) => ({ ...c, classId: toTruthClass.get(c.classId)! }));
    for (const t of sample.truth) if (!t.ignore && t.classId < classCount) objects[t.classId]!++;
    const atThreshold = matchDetections(candidates.filter((c) => c.score >= scoreThreshold), sample.truth, matchIou);
    tp += atThreshold.truePositives;
    fp += atThreshold.falsePositives;
    fn += atThreshold.falseNegatives;
    scored.push(...matchDetections(candidates, sample.truth, matchIou).scored);
  }
  const ap50 = objects.map((n, c) => averagePrecision(scored.filter((s) => s.classId === c), n));
  const present = ap50.filter((ap) => !Number.isNaN(ap));
  return {
    images,
    objects,
    recall: tp / (tp + fn),
    precision: tp / (tp + fp),
    ap50,
    map50: present.reduce((a, b) => a + b, 0) / present.length,
  };
}
