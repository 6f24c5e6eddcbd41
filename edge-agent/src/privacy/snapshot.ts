import sharp from 'sharp';
import type { Detection, Frame } from '../detect/types.js';

export interface SnapshotOptions {
  /** Output width, pixels. Default 320. */
  width: number;
  /** JPEG quality. Default 60. */
  quality: number;
  /** Gaussian blur sigma over the whole frame, pixels of the output. Default 12. */
  blurSigma: number;
  /** Largest base64 size (the protocol's limit is 48 KiB). Default 48 × 1024. */
  maxBase64Bytes: number;
}

export const DEFAULT_SNAPSHOT_OPTIONS: SnapshotOptions = { width: 320, quality: 60, blurSigma: 12, maxBase64Bytes: 48 * 1024 };

/** The outline drawn around what the detector found (RGB), so the blurred picture still shows where things were. */
const OUTLINE_RGB = [255, 214, 0] as const;
const OUTLINE_PX = 2;

/**
 * A small JPEG of the frame, as base64 for an event, with the WHOLE frame blurred and an outline around each
 * detection. Only called when snapshots are enabled for the camera: otherwise no frame leaves the device.
 *
 * Why the whole frame and not only the detections: the real-camera detector (YOLOX-Nano) misses people —
 * pedestrians a few pixels tall, a bus driver and passengers behind glass, people cut by the frame edge
 * (PRIVACY.md gives the measured recall) — and a person it misses would be sent sharp. Number plates are not
 * detected at all. The snapshot is there to show what kind of scene raised the alarm, which a blurred frame
 * with the detector's boxes still does.
 */
export async function makeSnapshot(frame: Frame, detections: readonly Detection[], options: Partial<SnapshotOptions> = {}): Promise<string> {
  const o = { ...DEFAULT_SNAPSHOT_OPTIONS, ...options };
  const input = frame.kind === 'raw' ? sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: frame.channels } }) : sharp(frame.data).rotate();
  const { data, info } = await input.removeAlpha().resize({ width: o.width, withoutEnlargement: true }).blur(o.blurSigma).raw().toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  let srcWidth = frame.kind === 'raw' ? frame.width : info.width;
  if (frame.kind === 'encoded') {
    const meta = await sharp(frame.data).metadata();
    srcWidth = ((meta.orientation ?? 1) >= 5 ? meta.height : meta.width) ?? info.width;
  }
  const scale = info.width / srcWidth;
  for (const d of detections) {
    outline(data, info.width, info.height, info.channels, [d.box[0] * scale, d.box[1] * scale, d.box[2] * scale, d.box[3] * scale]);
  }
  let quality = o.quality;
  for (;;) {
    const jpeg = await sharp(data, { raw }).jpeg({ quality }).toBuffer();
    const base64 = jpeg.toString('base64');
    if (base64.length <= o.maxBase64Bytes || quality <= 20) {
      if (base64.length > o.maxBase64Bytes) throw new Error(`snapshot is ${base64.length} bytes in base64 even at quality 20; lower snapshots.width`);
      return base64;
    }
    quality = Math.max(20, quality - 15);
  }
}

/** Draws a rectangle's border (OUTLINE_PX thick, inside the box) into raw pixels in place. */
function outline(px: Buffer, width: number, height: number, channels: number, box: readonly [number, number, number, number]): void {
  const left = Math.max(0, Math.floor(box[0]));
  const top = Math.max(0, Math.floor(box[1]));
  const right = Math.min(width - 1, Math.ceil(box[2]) - 1);
  const bottom = Math.min(height - 1, Math.ceil(box[3]) - 1);
  if (right < left || bottom < top) return;
  const paint = (x: number, y: number): void => {
    const at = (y * width + x) * channels;
    for (let c = 0; c < 3; c++) px[at + c] = OUTLINE_RGB[c]!;
  };
  for (let t = 0; t < OUTLINE_PX; t++) {
    for (let x = left; x <= right; x++) {
      paint(x, Math.min(bottom, top + t));
      paint(x, Math.max(top, bottom - t));
    }
    for (let y = top; y <= bottom; y++) {
      paint(Math.min(right, left + t), y);
      paint(Math.max(left, right - t), y);
    }
  }
}
