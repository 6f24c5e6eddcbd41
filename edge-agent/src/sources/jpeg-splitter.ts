/**
 * Cuts a byte stream of concatenated JPEGs (MJPEG over HTTP, ffmpeg's image2pipe) into whole images by
 * walking the JPEG structure: marker segments are skipped by their length (so an EXIF thumbnail's end marker
 * does not end the frame), and after start-of-scan the first FFD9 outside byte stuffing ends the image.
 * Anything between images (multipart boundaries and headers) is skipped.
 */
export class JpegSplitter {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly maxFrameBytes = 16 * 1024 * 1024) {}

  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.byteLength ? Buffer.concat([this.buffer, chunk]) : chunk;
    const frames: Buffer[] = [];
    for (;;) {
      const start = this.buffer.indexOf(SOI);
      if (start < 0) {
        // Keep a trailing 0xFF: it may be the first half of the next SOI.
        this.buffer = this.buffer.subarray(Math.max(0, this.buffer.byteLength - 1));
        return frames;
      }
      const end = findEnd(this.buffer, start);
      if (end === 'bad') {
        this.buffer = this.buffer.subarray(start + 2);
        continue;
      }
      if (end === undefined) {
        this.buffer = this.buffer.subarray(start);
        if (this.buffer.byteLength > this.maxFrameBytes) this.buffer = this.buffer.subarray(2); // runaway: resync
        return frames;
      }
      frames.push(Buffer.from(this.buffer.subarray(start, end)));
      this.buffer = this.buffer.subarray(end);
    }
  }
}

const SOI = Buffer.from([0xff, 0xd8]);

/** Offset just past the EOI of the JPEG at `start`, undefined if incomplete, 'bad' if not a JPEG. */
function findEnd(b: Buffer, start: number): number | undefined | 'bad' {
  let i = start + 2;
  for (;;) {
    if (i + 4 > b.byteLength) return undefined;
    if (b[i] !== 0xff) return 'bad';
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd9) return i + 2;
    if (marker >= 0xd0 && marker <= 0xd7) {
      i += 2;
      continue;
    }
    const length = b.readUInt16BE(i + 2);
    if (length < 2) return 'bad';
    i += 2 + length;
    if (marker === 0xda) break; // start of scan: entropy-coded data follows
  }
  for (; i + 1 < b.byteLength; i++) {
    if (b[i] !== 0xff) continue;
    const next = b[i + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) continue;
    if (next === 0xd9) return i + 2;
    // Another marker inside the scan (e.g. a second scan of a progressive JPEG): keep looking for EOI.
  }
  return undefined;
}
