import type { Candidate, DecodeParams } from './candidate.js';

/**
 * YOLOv8 / YOLO11 output [1, 4+nc, N]: cx, cy, w, h, then one score per class; anchors along the last axis.
 * Per anchor, the best wanted class at or above its threshold.
 */
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
