import type { Candidate, DecodeParams } from './candidate.js';

/** End-to-end output [1, N, 6]: x1, y1, x2, y2, score, class id; NMS done inside the model (YOLOv10, YOLO26). */
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
