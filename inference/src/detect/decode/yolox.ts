import type { Candidate, DecodeParams, InputSize } from './candidate.js';

/** YOLOX's three heads, finest first: the rows of its output are these grids in this order, each row-major. */
export const YOLOX_STRIDES = [8, 16, 32] as const;

/** Anchor points of a YOLOX output for an input of this size: one per cell of each stride's grid. */
export function yoloxAnchorCount(input: InputSize): number {
  return YOLOX_STRIDES.reduce((sum, s) => sum + Math.floor(input.height / s) * Math.floor(input.width / s), 0);
}

/**
 * YOLOX output [1, N, 5+nc]: dx, dy, log w, log h, objectness, class scores (objectness and class scores
 * already sigmoided). The box decode is not in the graph: for the anchor at grid cell (gx, gy) of stride s,
 * cx = (dx + gx)·s, cy = (dy + gy)·s, w = exp(log w)·s, h = exp(log h)·s. Score = objectness × class score.
 */
export function decodeYolox(data: Float32Array, dims: readonly number[], params: DecodeParams, input: InputSize): Candidate[] {
  const rowLength = dims[2]!;
  const numClasses = rowLength - 5;
  const wanted = params.wanted.filter((w) => w.classId < numClasses);
  const minThreshold = Math.min(...wanted.map((w) => w.threshold));
  const out: Candidate[] = [];
  let anchor = 0;
  for (const stride of YOLOX_STRIDES) {
    const cols = Math.floor(input.width / stride);
    const rows = Math.floor(input.height / stride);
    for (let gy = 0; gy < rows; gy++) {
      for (let gx = 0; gx < cols; gx++, anchor++) {
        const row = anchor * rowLength;
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
        const cx = (data[row]! + gx) * stride;
        const cy = (data[row + 1]! + gy) * stride;
        const hw = (Math.exp(data[row + 2]!) * stride) / 2;
        const hh = (Math.exp(data[row + 3]!) * stride) / 2;
        out.push({ x1: cx - hw, y1: cy - hh, x2: cx + hw, y2: cy + hh, score: bestScore, classId: best });
      }
    }
  }
  return out;
}
