import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Detection } from '../detect/types.js';
import { makeSnapshot } from './snapshot.js';

/** 640×480 grey with two fine black-and-white checkerboards (faces stand-ins) at known places. */
async function scene(): Promise<Buffer> {
  const board = (w: number, h: number) => {
    const px = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px.fill(((x >> 3) + (y >> 3)) % 2 ? 255 : 0, (y * w + x) * 3, (y * w + x) * 3 + 3);
    return sharp(px, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer();
  };
  return sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .composite([{ input: await board(100, 160), left: 100, top: 200 }, { input: await board(100, 100), left: 450, top: 50 }])
    .png()
    .toBuffer();
}

/** Standard deviation of the luminance in a region of a JPEG. */
async function spread(jpeg: Buffer, left: number, top: number, width: number, height: number): Promise<number> {
  // stats() reads the input image, so cut the region out first.
  const region = await sharp(jpeg).extract({ left, top, width, height }).greyscale().png().toBuffer();
  const stats = await sharp(region).stats();
  return stats.channels[0]!.stdev;
}

describe('event snapshots', () => {
  it('blurs the whole frame, detected or not, outlines what was detected, and stays within the size limit', async () => {
    const person: Detection = { class: 'person', classId: 0, score: 0.9, box: [100, 200, 200, 360] };
    const b64 = await makeSnapshot({ kind: 'encoded', data: await scene() }, [person], { width: 320 });
    const jpeg = Buffer.from(b64, 'base64');
    expect(await sharp(jpeg).metadata()).toMatchObject({ format: 'jpeg', width: 320, height: 240 });
    expect(b64.length).toBeLessThanOrEqual(48 * 1024);
    // Half scale: the person's board is at 50..100 × 100..180, the other (not detected) at 225..275 × 25..75.
    const sharpBoard = await spread(await sharp(await scene()).resize({ width: 320 }).jpeg().toBuffer(), 235, 35, 30, 30);
    expect(sharpBoard).toBeGreaterThan(60);
    expect(await spread(jpeg, 60, 110, 30, 60)).toBeLessThan(sharpBoard / 4);
    expect(await spread(jpeg, 235, 35, 30, 30)).toBeLessThan(sharpBoard / 4);
    // The outline: the detection's left edge (x 50) is yellow.
    const { data } = await sharp(jpeg).extract({ left: 50, top: 140, width: 1, height: 1 }).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200);
    expect(data[1]).toBeGreaterThan(170);
    expect(data[2]).toBeLessThan(100);
  });

  it('shrinks quality to stay under the limit', async () => {
    const b64 = await makeSnapshot({ kind: 'encoded', data: await scene() }, [], { width: 640, quality: 95, maxBase64Bytes: 20_000 });
    expect(b64.length).toBeLessThanOrEqual(20_000);
  });
});
