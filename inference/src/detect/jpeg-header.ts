/**
 * A JPEG's size read from its markers in JS, so the letterboxer can hand sharp the whole decode + resize as
 * one job. Asking sharp for the size first (metadata()) is a second trip through libuv's pool whose answer
 * waits behind the inference that blocks the main thread (onnxruntime-node runs synchronously), so the
 * decode itself only started once inference had finished and did not overlap it.
 */
export interface JpegHeader {
  width: number;
  height: number;
  /** An APP1 Exif block is present: its orientation may swap or flip the image (the caller asks sharp). */
  exif: boolean;
}

/** Start-of-frame markers (baseline, extended, progressive, lossless; Huffman and arithmetic), which carry the size. */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const EXIF_ID = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]; // "Exif\0\0"

/** Width, height and whether there is Exif, from the markers before the first frame; undefined when not a readable JPEG. */
export function readJpegHeader(data: Uint8Array): JpegHeader | undefined {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  let exif = false;
  let i = 2;
  while (i + 3 < data.length) {
    if (data[i] !== 0xff) return undefined;
    const marker = data[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    // Markers without a length: TEM, RSTn, SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      i += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image or scan before any frame header
    const length = (data[i + 2]! << 8) | data[i + 3]!;
    if (length < 2 || i + 2 + length > data.length) return undefined;
    if (marker === 0xe1 && EXIF_ID.every((b, k) => data[i + 4 + k] === b)) exif = true;
    if (SOF.has(marker)) {
      if (length < 7) return undefined;
      const height = (data[i + 5]! << 8) | data[i + 6]!;
      const width = (data[i + 7]! << 8) | data[i + 8]!;
      return width > 0 && height > 0 ? { width, height, exif } : undefined;
    }
    i += 2 + length;
  }
  return undefined;
}
