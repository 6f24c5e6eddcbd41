import type { Box, Frame, PreparedFrame } from '@streetwise/inference';
import type { ObjectClass } from '@streetwise/protocol';

// A frame and a box are the inference package's; the stages of the agent name them from here.
export type { Box, Frame } from '@streetwise/inference';

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
