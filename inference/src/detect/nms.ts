import type { Candidate, Corners } from './decode/candidate.js';

/** Intersection over union of two boxes (0 when they do not overlap). */
export function iou(a: Corners, b: Corners): number {
  const ix = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const iy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (ix <= 0 || iy <= 0) return 0;
  const inter = ix * iy;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union <= 0 ? 0 : inter / union;
}

export interface NmsOptions {
  /** Boxes of the same class overlapping more than this are suppressed. Default 0.45. */
  iouThreshold: number;
  /** Keep at most this many. Default 300. */
  maxDetections: number;
  /** Consider at most this many candidates, best first. Default 3000. */
  maxCandidates: number;
  /** Suppress across classes too. Default false (class-aware, like Ultralytics). */
  agnostic: boolean;
}

export const DEFAULT_NMS_OPTIONS: NmsOptions = { iouThreshold: 0.45, maxDetections: 300, maxCandidates: 3000, agnostic: false };

/** Greedy non-maximum suppression, best score first. Stable for equal scores (input order). */
export function nms<C extends Candidate>(candidates: readonly C[], options: Partial<NmsOptions> = {}): C[] {
  const { iouThreshold, maxDetections, maxCandidates, agnostic } = { ...DEFAULT_NMS_OPTIONS, ...options };
  const sorted = candidates
    .map((c, i) => ({ c, i }))
    .sort((p, q) => q.c.score - p.c.score || p.i - q.i)
    .slice(0, maxCandidates)
    .map((p) => p.c);
  const kept: C[] = [];
  for (const c of sorted) {
    if (kept.length >= maxDetections) break;
    let suppressed = false;
    for (const k of kept) {
      if ((agnostic || k.classId === c.classId) && iou(k, c) > iouThreshold) {
        suppressed = true;
        break;
      }
    }
    if (!suppressed) kept.push(c);
  }
  return kept;
}
