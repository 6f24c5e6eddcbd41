import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readJpegHeader } from './jpeg-header.js';
import { Letterboxer } from './letterboxer.js';
import { ULTRALYTICS_INPUT } from '../model-settings.js';

const image = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 10, g: 200, b: 90 } } });

describe('JPEG size from its markers', () => {
  it('reads baseline and progressive JPEGs, and says when there is Exif', async () => {
    expect(readJpegHeader(await image(1280, 720).jpeg().toBuffer())).toEqual({ width: 1280, height: 720, exif: false });
    expect(readJpegHeader(await image(333, 97).jpeg({ progressive: true }).toBuffer())).toEqual({ width: 333, height: 97, exif: false });
    // Orientation 6 (rotate 90°): the stored size is 640×480; sharp is asked for the oriented one.
    expect(readJpegHeader(await image(640, 480).jpeg().withMetadata({ orientation: 6 }).toBuffer())).toEqual({ width: 640, height: 480, exif: true });
  });

  it('answers undefined for what it cannot read: another format, a truncated header, an empty buffer', async () => {
    expect(readJpegHeader(await image(10, 10).png().toBuffer())).toBeUndefined();
    const jpeg = await image(64, 48).jpeg().toBuffer();
    expect(readJpegHeader(jpeg.subarray(0, 30))).toBeUndefined();
    expect(readJpegHeader(Buffer.alloc(0))).toBeUndefined();
  });

  it('the letterboxer: sizes from the markers give the pixels sharp gives; an Exif orientation still turns the frame', async () => {
    const boxer = new Letterboxer({ width: 416, height: 416, ...ULTRALYTICS_INPUT });
    const plain = await sharp({ create: { width: 1280, height: 720, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg().toBuffer();
    const a = await boxer.prepare({ kind: 'encoded', data: plain });
    expect(a.layout).toEqual({ srcWidth: 1280, srcHeight: 720, dstWidth: 416, dstHeight: 416, newWidth: 416, newHeight: 234, padLeft: 0, padTop: 91 });
    const expected = await sharp(plain).rotate().removeAlpha().resize(416, 234, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
    expect(a.pixels.equals(expected)).toBe(true);
    // Orientation 6: stored 1280×720, shown 720×1280 (sharp reads the Exif and turns it).
    const turned = await boxer.prepare({ kind: 'encoded', data: await sharp(plain).withMetadata({ orientation: 6 }).jpeg().toBuffer() });
    expect(turned.layout).toMatchObject({ srcWidth: 720, srcHeight: 1280, newWidth: 234, newHeight: 416 });
  });
});
