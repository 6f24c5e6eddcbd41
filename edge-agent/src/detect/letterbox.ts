import sharp from 'sharp';
import type { Box, Frame } from './types.js';

/** Where an image of srcWidth×srcHeight lands inside the model input after an aspect-preserving resize. */
export interface LetterboxLayout {
  srcWidth: number;
  srcHeight: number;
  dstWidth: number;
  dstHeight: number;
  /** Size of the resized image inside the input. */
  newWidth: number;
  newHeight: number;
  padLeft: number;
  padTop: number;
}

/** Ultralytics' letterbox: scale by min ratio, round the new size, centre it (odd padding: one more pixel right/bottom). */
export function computeLetterbox(srcWidth: number, srcHeight: number, dstWidth: number, dstHeight: number): LetterboxLayout {
  const ratio = Math.min(dstWidth / srcWidth, dstHeight / srcHeight);
  const newWidth = Math.max(1, Math.min(dstWidth, Math.round(srcWidth * ratio)));
  const newHeight = Math.max(1, Math.min(dstHeight, Math.round(srcHeight * ratio)));
  return {
    srcWidth,
    srcHeight,
    dstWidth,
    dstHeight,
    newWidth,
    newHeight,
    padLeft: Math.floor((dstWidth - newWidth) / 2),
    padTop: Math.floor((dstHeight - newHeight) / 2),
  };
}

/**
 * Map a box from model-input pixels back to image pixels, clamped to the image. The resize maps pixel
 * edges linearly (x_src = x_dst × srcWidth / newWidth), so this is the exact inverse per axis.
 */
export function toImageBox(box: Box, l: LetterboxLayout): Box {
  const sx = l.srcWidth / l.newWidth;
  const sy = l.srcHeight / l.newHeight;
  const clampX = (v: number) => Math.min(l.srcWidth, Math.max(0, v));
  const clampY = (v: number) => Math.min(l.srcHeight, Math.max(0, v));
  return [clampX((box[0] - l.padLeft) * sx), clampY((box[1] - l.padTop) * sy), clampX((box[2] - l.padLeft) * sx), clampY((box[3] - l.padTop) * sy)];
}

/** Inverse of toImageBox (no clamping): where an image box lands in the model input. */
export function toInputBox(box: Box, l: LetterboxLayout): Box {
  const sx = l.newWidth / l.srcWidth;
  const sy = l.newHeight / l.srcHeight;
  return [box[0] * sx + l.padLeft, box[1] * sy + l.padTop, box[2] * sx + l.padLeft, box[3] * sy + l.padTop];
}

/** A frame decoded and resized for the model, not yet in the tensor. */
export interface PreparedFrame {
  /** RGB, newWidth × newHeight, interleaved. */
  pixels: Buffer;
  layout: LetterboxLayout;
  capturedAt?: number;
}

const PAD_VALUE = 114 / 255;
const BYTE_TO_UNIT = Float32Array.from({ length: 256 }, (_, i) => i / 255);

/**
 * Decode + letterbox frames into one reused Float32 CHW tensor (RGB, 0..1, padding 114), for a model input
 * of width×height. The padding is written only when the layout changes.
 */
export class Letterboxer {
  readonly tensor: Float32Array;
  private lastLayout: LetterboxLayout | undefined;

  constructor(readonly width: number, readonly height: number) {
    this.tensor = new Float32Array(3 * width * height);
  }

  /**
   * Decode and resize (sharp, off the main thread); touches no shared state, so the next frame can be
   * prepared while the current one is in inference.
   */
  async prepare(frame: Frame): Promise<PreparedFrame> {
    let image: ReturnType<typeof sharp>;
    let srcWidth: number;
    let srcHeight: number;
    if (frame.kind === 'raw') {
      image = sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: frame.channels } });
      srcWidth = frame.width;
      srcHeight = frame.height;
    } else {
      const meta = await sharp(frame.data).metadata();
      if (!meta.width || !meta.height) throw new Error('image has no size');
      // EXIF orientations 5–8 swap width and height once applied.
      const swap = (meta.orientation ?? 1) >= 5;
      srcWidth = swap ? meta.height : meta.width;
      srcHeight = swap ? meta.width : meta.height;
      image = sharp(frame.data).rotate();
    }
    const layout = computeLetterbox(srcWidth, srcHeight, this.width, this.height);
    const pixels = await image
      .removeAlpha()
      .resize(layout.newWidth, layout.newHeight, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer();
    return { pixels, layout, ...(frame.capturedAt === undefined ? {} : { capturedAt: frame.capturedAt }) };
  }

  /** Prepare and write into the tensor. */
  async load(frame: Frame): Promise<LetterboxLayout> {
    const prepared = await this.prepare(frame);
    this.fill(prepared);
    return prepared.layout;
  }

  /** Write a prepared frame into the tensor (RGB → CHW floats; padding only when the layout changed). */
  fill({ pixels, layout: l }: PreparedFrame): void {
    const t = this.tensor;
    const plane = this.width * this.height;
    const prev = this.lastLayout;
    if (!prev || prev.newWidth !== l.newWidth || prev.newHeight !== l.newHeight || prev.padLeft !== l.padLeft || prev.padTop !== l.padTop) {
      t.fill(PAD_VALUE);
      this.lastLayout = l;
    }
    let src = 0;
    for (let y = 0; y < l.newHeight; y++) {
      let dst = (y + l.padTop) * this.width + l.padLeft;
      for (let x = 0; x < l.newWidth; x++, dst++, src += 3) {
        t[dst] = BYTE_TO_UNIT[pixels[src]!]!;
        t[plane + dst] = BYTE_TO_UNIT[pixels[src + 1]!]!;
        t[2 * plane + dst] = BYTE_TO_UNIT[pixels[src + 2]!]!;
      }
    }
  }
}
