import type { ObjectClass } from '@streetwise/protocol';
import type { PreparedFrame } from './letterbox.js';

/** One camera frame: an encoded image (JPEG/PNG/WebP…) or raw interleaved pixels (synthetic sources). */
export type Frame =
  | { kind: 'encoded'; data: Buffer; capturedAt?: number }
  | { kind: 'raw'; data: Buffer; width: number; height: number; channels: 3 | 4; capturedAt?: number };

/** Axis-aligned box in image pixels: [x1, y1, x2, y2]. */
export type Box = [number, number, number, number];

export interface Detection {
  class: ObjectClass;
  /** Class index in the model's output. */
  classId: number;
  score: number;
  box: Box;
}

export interface DetectTimings {
  /** Decode + resize (sharp, off the main thread; overlaps inference when frames are prepared ahead), ms. */
  decodeMs: number;
  /** Writing the resized pixels into the CHW tensor, ms. */
  letterboxMs: number;
  inferMs: number;
  /** Output decode + NMS + mapping back to image pixels, ms. */
  postprocessMs: number;
}

export interface DetectResult {
  detections: Detection[];
  width: number;
  height: number;
  timings: DetectTimings;
}

/** A detector back-end (one file each: onnx-detector.ts, …). */
export interface Detector {
  readonly modelVersion: string;
  readonly inputWidth: number;
  readonly inputHeight: number;
  detect(frame: Frame): Promise<DetectResult>;
  /** Decode and resize a frame for this detector; may run while another frame is in inference. */
  prepare(frame: Frame): Promise<PreparedFrame>;
  /** Detect on a prepared frame. `decodeMs` is what prepare() took, when the caller measured it. */
  run(prepared: PreparedFrame, decodeMs?: number): Promise<DetectResult>;
  /** Change per-class thresholds without reloading the model. */
  setThresholds(thresholds: ClassThresholds): void;
  dispose(): Promise<void>;
}

/** Minimum score per class; `default` for classes not named. */
export type ClassThresholds = Partial<Record<ObjectClass, number>> & { default?: number };
