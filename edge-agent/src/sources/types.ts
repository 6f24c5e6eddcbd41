import type { Frame } from '../detect/types.js';

/** A camera: yields frames until closed (or, for finite sources, until the end). One file per kind. */
export interface FrameSource {
  readonly name: string;
  frames(): AsyncIterable<Frame>;
  close(): Promise<void>;
}
