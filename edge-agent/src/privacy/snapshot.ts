import sharp from 'sharp';
import type { Detection, Frame } from '../detect/types.js';

export interface SnapshotOptions {
  /** Output width, pixels. Default 320. */
  width: number;
  /** JPEG quality. Default 60. */
  quality: number;
  /** Gaussian blur sigma over every person and vehicle, pixels of the output. Default 12. */
  blurSigma: number;
  /** Largest base64 size (the protocol's limit is 48 KiB). Default 48 × 1024. */
  maxBase64Bytes: number;
}

export const DEFAULT_SNAPSHOT_OPTIONS: SnapshotOptions = { width: 320, quality: 60, blurSigma: 12, maxBase64Bytes: 48 * 1024 };

/**
 * A small JPEG of the frame with every detected person and vehicle blurred beyond recognition, as base64
 * for an event. Only called when snapshots are enabled for the camera: otherwise no frame leaves the device.
 */
export async function makeSnapshot(frame: Frame, detections: readonly Detection[], options: Partial<SnapshotOptions> = {}): Promise<string> {
  const o = { ...DEFAULT_SNAPSHOT_OPTIONS, ...options };
  const input = frame.kind === 'raw' ? sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: frame.channels } }) : sharp(frame.data).rotate();
  const { data, info } = await input.removeAlpha().resize({ width: o.width, withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  let srcWidth = frame.kind === 'raw' ? frame.width : info.width;
  if (frame.kind === 'encoded') {
    const meta = await sharp(frame.data).metadata();
    srcWidth = ((meta.orientation ?? 1) >= 5 ? meta.height : meta.width) ?? info.width;
  }
  const scale = info.width / srcWidth;
  const blurred = await sharp(data, { raw }).blur(o.blurSigma).raw().toBuffer();
  const overlays: Exclude<Parameters<ReturnType<typeof sharp>['composite']>[0], undefined> = [];
  for (const d of detections) {
    // A margin of 10 % so outlines do not show at the edge of the blur.
    const mx = (d.box[2] - d.box[0]) * 0.1;
    const my = (d.box[3] - d.box[1]) * 0.1;
    const left = Math.max(0, Math.floor((d.box[0] - mx) * scale));
    const top = Math.max(0, Math.floor((d.box[1] - my) * scale));
    const right = Math.min(info.width, Math.ceil((d.box[2] + mx) * scale));
    const bottom = Math.min(info.height, Math.ceil((d.box[3] + my) * scale));
    if (right - left < 1 || bottom - top < 1) continue;
    const region = await sharp(blurred, { raw }).extract({ left, top, width: right - left, height: bottom - top }).raw().toBuffer();
    overlays.push({ input: region, raw: { width: right - left, height: bottom - top, channels: info.channels }, left, top });
  }
  let quality = o.quality;
  for (;;) {
    const jpeg = await sharp(data, { raw }).composite(overlays).jpeg({ quality }).toBuffer();
    const base64 = jpeg.toString('base64');
    if (base64.length <= o.maxBase64Bytes || quality <= 20) {
      if (base64.length > o.maxBase64Bytes) throw new Error(`snapshot is ${base64.length} bytes in base64 even at quality 20; lower snapshots.width`);
      return base64;
    }
    quality = Math.max(20, quality - 15);
  }
}
