/** Corners of an axis-aligned box, x1 < x2 and y1 < y2. */
export interface Corners {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** One detection out of a decoder: corners (model-input pixels, or image pixels once mapped back), score, class. */
export interface Candidate extends Corners {
  score: number;
  classId: number;
}

export interface DecodeParams {
  /** Class ids to report, with their minimum score. Other classes are ignored. */
  wanted: ReadonlyArray<{ classId: number; threshold: number }>;
}

/** The model input's size, pixels: layouts whose boxes are relative to a stride grid (YOLOX) need it. */
export interface InputSize {
  width: number;
  height: number;
}

/** A decoder for one output layout: the raw output array and its dims in, candidates in model-input pixels out. */
export type Decoder = (data: Float32Array, dims: readonly number[], params: DecodeParams, input: InputSize) => Candidate[];
