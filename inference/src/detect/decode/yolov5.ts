import type { Candidate, DecodeParams } from './candidate.js';

/** YOLOv5 output [1, N, 5+nc]: cx, cy, w, h, objectness, class scores; score = objectness × class score. */
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
