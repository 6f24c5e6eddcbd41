import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ULTRALYTICS_INPUT, type InputSettings } from '../model-settings.js';
import { computeLetterbox, toImageBox, toInputBox } from './letterbox.js';
import { Letterboxer } from './letterboxer.js';

const centred = (width: number, height: number) => ({ width, height, placement: 'centre' as const });
const ultralytics = (width: number, height: number): InputSettings => ({ ...ULTRALYTICS_INPUT, width, height });

describe('letterbox layout (hand-computed)', () => {
  it('landscape 640×480 into 320×320: half size, 40 px bars top and bottom', () => {
    expect(computeLetterbox(640, 480, centred(320, 320))).toEqual({ srcWidth: 640, srcHeight: 480, dstWidth: 320, dstHeight: 320, newWidth: 320, newHeight: 240, padLeft: 0, padTop: 40 });
  });
  it('portrait 480×640 into 320×320: 40 px bars left and right', () => {
    expect(computeLetterbox(480, 640, centred(320, 320))).toMatchObject({ newWidth: 240, newHeight: 320, padLeft: 40, padTop: 0 });
  });
  it('odd 333×97 into 320×320: 320×93, 227 px of padding split 113 above / 114 below', () => {
    expect(computeLetterbox(333, 97, centred(320, 320))).toMatchObject({ newWidth: 320, newHeight: 93, padLeft: 0, padTop: 113 });
  });
  it('small 100×50 is scaled up to 320×160', () => {
    expect(computeLetterbox(100, 50, centred(320, 320))).toMatchObject({ newWidth: 320, newHeight: 160, padLeft: 0, padTop: 80 });
  });

  it('maps model-input boxes back to image pixels exactly', () => {
    expect(toImageBox([80, 60, 120, 140], computeLetterbox(640, 480, centred(320, 320)))).toEqual([160, 40, 240, 200]);
    expect(toImageBox([80, 60, 120, 140], computeLetterbox(480, 640, centred(320, 320)))).toEqual([80, 120, 160, 280]);
    const odd = toImageBox([80, 130, 120, 170], computeLetterbox(333, 97, centred(320, 320)));
    // x × 333/320; (y − 113) × 97/93
    expect(odd[0]).toBeCloseTo(83.25, 10);
    expect(odd[1]).toBeCloseTo((17 * 97) / 93, 10);
    expect(odd[2]).toBeCloseTo(124.875, 10);
    expect(odd[3]).toBeCloseTo((57 * 97) / 93, 10);
  });

  it('clamps boxes that reach into the padding to the image', () => {
    expect(toImageBox([-10, 10, 330, 300], computeLetterbox(640, 480, centred(320, 320)))).toEqual([0, 0, 640, 480]);
  });

  it('top-left placement (YOLOX): no offset, the padding all right and below; boxes map back by scale alone', () => {
    const l = computeLetterbox(640, 480, { width: 320, height: 320, placement: 'top-left' });
    expect(l).toMatchObject({ newWidth: 320, newHeight: 240, padLeft: 0, padTop: 0 });
    expect(toImageBox([80, 60, 120, 140], l)).toEqual([160, 120, 240, 280]);
  });

  it('toInputBox is the inverse of toImageBox', () => {
    for (const [w, h] of [[640, 480], [480, 640], [333, 97], [1920, 1080]] as const) {
      const l = computeLetterbox(w, h, centred(320, 320));
      const back = toImageBox(toInputBox([10, 20, 50, 60], l), l);
      back.forEach((v, i) => expect(v).toBeCloseTo([10, 20, 50, 60][i]!, 9));
    }
  });
});

/** An RGB image, white, with a red rectangle; encoded as PNG so the pixels are exact. */
async function picture(width: number, height: number, rect: { left: number; top: number; width: number; height: number }): Promise<Buffer> {
  const red = await sharp({ create: { width: rect.width, height: rect.height, channels: 3, background: { r: 255, g: 0, b: 0 } } }).png().toBuffer();
  return sharp({ create: { width, height, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .composite([{ input: red, left: rect.left, top: rect.top }])
    .png()
    .toBuffer();
}

describe('Letterboxer fills the CHW tensor', () => {
  const lb = new Letterboxer(ultralytics(320, 320));
  const plane = 320 * 320;
  const rgbAt = (x: number, y: number) => [lb.tensor[y * 320 + x]!, lb.tensor[plane + y * 320 + x]!, lb.tensor[2 * plane + y * 320 + x]!];
  const PAD = 114 / 255;

  it('landscape: image rows 40..279, grey bars above and below, red where the rectangle lands', async () => {
    const layout = await lb.load({ kind: 'encoded', data: await picture(640, 480, { left: 100, top: 50, width: 100, height: 100 }) });
    expect(layout).toMatchObject({ srcWidth: 640, srcHeight: 480, padTop: 40 });
    for (const [x, y] of [[0, 0], [319, 39], [160, 280], [319, 319]] as const) rgbAt(x, y).forEach((v) => expect(v).toBeCloseTo(PAD, 6));
    // Rectangle 100..200 × 50..150 → 50..100 × (25..75 + 40); its centre is (75, 90).
    expect(rgbAt(75, 90)).toEqual([1, 0, 0]);
    expect(rgbAt(300, 200)).toEqual([1, 1, 1]);
  });

  it('portrait: grey bars left and right', async () => {
    const layout = await lb.load({ kind: 'encoded', data: await picture(480, 640, { left: 200, top: 300, width: 80, height: 80 }) });
    expect(layout).toMatchObject({ padLeft: 40, padTop: 0, newWidth: 240 });
    for (const [x, y] of [[0, 0], [39, 319], [280, 0], [319, 160]] as const) rgbAt(x, y).forEach((v) => expect(v).toBeCloseTo(PAD, 6));
    // Rectangle 200..280 × 300..380 → (100..140 + 40) × 150..190; centre (160, 170).
    expect(rgbAt(160, 170)).toEqual([1, 0, 0]);
    expect(rgbAt(45, 5)).toEqual([1, 1, 1]);
  });

  it('odd size 333×97 and raw frames', async () => {
    const png = await picture(333, 97, { left: 0, top: 0, width: 333, height: 97 });
    const raw = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const channels = raw.info.channels as 3 | 4;
    const layout = await lb.load({ kind: 'raw', data: raw.data, width: 333, height: 97, channels });
    expect(layout).toMatchObject({ newWidth: 320, newHeight: 93, padTop: 113 });
    rgbAt(10, 112).forEach((v) => expect(v).toBeCloseTo(PAD, 6));
    expect(rgbAt(10, 113)).toEqual([1, 0, 0]);
    expect(rgbAt(10, 205)).toEqual([1, 0, 0]);
    rgbAt(10, 206).forEach((v) => expect(v).toBeCloseTo(PAD, 6));
  });

  it('honours EXIF orientation: a landscape JPEG marked "rotate 90°" is treated as portrait', async () => {
    const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 0, g: 0, b: 255 } } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const layout = await lb.load({ kind: 'encoded', data: jpeg });
    expect(layout).toMatchObject({ srcWidth: 480, srcHeight: 640, padLeft: 40 });
  });
});

describe('Letterboxer follows the input settings', () => {
  // 2×1 image: left pixel (200, 100, 50), right pixel (10, 20, 30); into a 2×2 input it becomes 2×1 plus one padded row.
  const twoPixels = Buffer.from([200, 100, 50, 10, 20, 30]);
  const frame = { kind: 'raw' as const, data: twoPixels, width: 2, height: 1, channels: 3 as const };
  const planes = (t: Float32Array) => [Array.from(t.subarray(0, 4)), Array.from(t.subarray(4, 8)), Array.from(t.subarray(8, 12))];

  it('BGR, 0–255, top-left placement, pad 0: blue plane first, bytes as they are, padding in the bottom row', async () => {
    const lb = new Letterboxer({ ...ULTRALYTICS_INPUT, width: 2, height: 2, channelOrder: 'bgr', pixelRange: '0-255', placement: 'top-left', padValue: 0 });
    const layout = await lb.load(frame);
    expect(layout).toMatchObject({ newWidth: 2, newHeight: 1, padLeft: 0, padTop: 0 });
    expect(planes(lb.tensor)).toEqual([[50, 30, 0, 0], [100, 20, 0, 0], [200, 10, 0, 0]]);
  });

  it('RGB, 0–1, mean/std per plane (ImageNet style), centred: padding normalised like the image', async () => {
    const mean = [0.5, 0.25, 0] as const;
    const std = [0.5, 0.25, 2] as const;
    const lb = new Letterboxer({ ...ULTRALYTICS_INPUT, width: 2, height: 3, mean, std, padValue: 255 });
    await lb.load(frame);
    // 2×1 into 2×3: new size 2×1, one padded row above (floor(2 / 2) = 1) and one below.
    const norm = (byte: number, c: number) => Math.fround((byte / 255 - mean[c]!) / std[c]!);
    const t = lb.tensor;
    expect(Array.from(t.subarray(2, 4))).toEqual([norm(200, 0), norm(10, 0)]);
    expect(Array.from(t.subarray(8, 10))).toEqual([norm(100, 1), norm(20, 1)]);
    expect(Array.from(t.subarray(14, 16))).toEqual([norm(50, 2), norm(30, 2)]);
    // Padding rows: byte 255 → (1 − mean) / std = 1, 3, 0.5
    expect([t[0], t[5], t[6], t[11], t[12], t[17]]).toEqual([1, 1, 3, 3, 0.5, 0.5]);
  });
});
