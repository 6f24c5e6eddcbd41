/** One camera frame: an encoded image (JPEG/PNG/WebP…) or raw interleaved pixels (synthetic and RTSP sources). */
export type Frame =
  | { kind: 'encoded'; data: Buffer; capturedAt?: number }
  | { kind: 'raw'; data: Buffer; width: number; height: number; channels: 3 | 4; capturedAt?: number };

/** Axis-aligned box in pixels: [x1, y1, x2, y2]. */
export type Box = [number, number, number, number];
