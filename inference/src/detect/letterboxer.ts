import sharp from 'sharp';
import type { InputSettings } from '../model-settings.js';
import type { Frame } from './frame.js';
import { readJpegHeader, type JpegHeader } from './jpeg-header.js';
import { computeLetterbox, type LetterboxLayout } from './letterbox.js';

/** A frame decoded and resized for the model, not yet in the tensor. */
export interface PreparedFrame {
  /** RGB, newWidth × newHeight, interleaved (sharp's order; the channel order is applied by fill()). */
  pixels: Buffer;
  layout: LetterboxLayout;
  capturedAt?: number;
}

/** One plane of the tensor: which byte of an interleaved RGB pixel feeds it, and the byte → value table. */
interface Plane {
  rgbOffset: number;
  table: Float32Array;
  pad: number;
}

/**
 * The three planes in the model's channel order, each with its byte → value table (pixelRange, mean, std),
 * so filling the tensor is one table look-up per value.
 */
function planeTables(input: InputSettings): [Plane, Plane, Plane] {
  const divisor = input.pixelRange === '0-1' ? 255 : 1;
  const plane = (index: number, rgbOffset: number): Plane => {
    const normalise = (byte: number) => (byte / divisor - input.mean[index]!) / input.std[index]!;
    return { rgbOffset, table: Float32Array.from({ length: 256 }, (_, byte) => normalise(byte)), pad: normalise(input.padValue) };
  };
  return input.channelOrder === 'rgb' ? [plane(0, 0), plane(1, 1), plane(2, 2)] : [plane(0, 2), plane(1, 1), plane(2, 0)];
}

/**
 * Decode + letterbox frames into one reused Float32 NCHW tensor as the model's input settings say (channel
 * order, pixel range, mean/std, placement, pad value). The padding is written only when the layout changes.
 */
export class Letterboxer {
  readonly tensor: Float32Array;
  readonly width: number;
  readonly height: number;
  private readonly planes: [Plane, Plane, Plane];
  private lastLayout: LetterboxLayout | undefined;

  constructor(readonly input: InputSettings) {
    this.width = input.width;
    this.height = input.height;
    this.tensor = new Float32Array(3 * input.width * input.height);
    this.planes = planeTables(input);
  }

  /**
   * Decode and resize (sharp, off the main thread); touches no shared state, so the next frame can be
   * prepared while the current one is in inference.
   */
  async prepare(frame: Frame): Promise<PreparedFrame> {
    let image: ReturnType<typeof sharp>;
    let srcWidth: number;
    let srcHeight: number;
    let header: JpegHeader | undefined;
    if (frame.kind === 'raw') {
      image = sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: frame.channels } });
      srcWidth = frame.width;
      srcHeight = frame.height;
    } else if ((header = readJpegHeader(frame.data)) && !header.exif) {
      // The common camera frame: a JPEG without Exif (nothing to rotate). Its size comes from the markers, so
      // decode and resize are one sharp job, queued before this frame's predecessor goes into inference.
      image = sharp(frame.data);
      srcWidth = header.width;
      srcHeight = header.height;
    } else {
      const meta = await sharp(frame.data).metadata();
      if (!meta.width || !meta.height) throw new Error('image has no size');
      // EXIF orientations 5–8 swap width and height once applied.
      const swap = (meta.orientation ?? 1) >= 5;
      srcWidth = swap ? meta.height : meta.width;
      srcHeight = swap ? meta.width : meta.height;
      image = sharp(frame.data).rotate();
    }
    const layout = computeLetterbox(srcWidth, srcHeight, this.input);
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

  /** Write a prepared frame into the tensor (interleaved RGB → planes; padding only when the layout changed). */
  fill({ pixels, layout: l }: PreparedFrame): void {
    const t = this.tensor;
    const planeSize = this.width * this.height;
    const prev = this.lastLayout;
    if (!prev || prev.newWidth !== l.newWidth || prev.newHeight !== l.newHeight || prev.padLeft !== l.padLeft || prev.padTop !== l.padTop) {
      this.planes.forEach((p, i) => t.fill(p.pad, i * planeSize, (i + 1) * planeSize));
      this.lastLayout = l;
    }
    const [p0, p1, p2] = this.planes;
    const [o0, o1, o2] = [p0.rgbOffset, p1.rgbOffset, p2.rgbOffset];
    const [t0, t1, t2] = [p0.table, p1.table, p2.table];
    let src = 0;
    for (let y = 0; y < l.newHeight; y++) {
      let dst = (y + l.padTop) * this.width + l.padLeft;
      for (let x = 0; x < l.newWidth; x++, dst++, src += 3) {
        t[dst] = t0[pixels[src + o0]!]!;
        t[planeSize + dst] = t1[pixels[src + o1]!]!;
        t[2 * planeSize + dst] = t2[pixels[src + o2]!]!;
      }
    }
  }
}
