import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from '../detect/types.js';
import { ffmpegBinariesForTests } from '../testing/ffmpeg.js';
import { createHttpSnapshotSource } from './http-snapshot.js';
import { createImageFolderSource } from './image-folder.js';
import { JpegSplitter } from './jpeg-splitter.js';
import { createMjpegSource } from './mjpeg.js';
import { createFfmpegSource } from './rtsp-ffmpeg.js';
import { createPushSource } from './synthetic.js';
import type { FrameSource } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-sources-'));
let jpegs: Buffer[] = [];
beforeAll(async () => {
  jpegs = await Promise.all([10, 20, 30].map((v) => sharp({ create: { width: 32, height: 24, channels: 3, background: { r: v, g: v, b: v } } }).jpeg().toBuffer()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function take(source: FrameSource, n: number): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const f of source.frames()) {
    out.push(f);
    if (out.length >= n) break;
  }
  await source.close();
  return out;
}
const bytes = (f: Frame) => (f.kind === 'encoded' ? f.data : Buffer.alloc(0));

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}
const stop = (server: Server) => new Promise((r) => { server.closeAllConnections(); server.close(r); });

describe('JpegSplitter', () => {
  it('cuts concatenated JPEGs with multipart noise between them, whatever the chunking, and skips FFD9 inside a segment', () => {
    // A comment segment holding the bytes FF D9 right after SOI: a naive EOI search would cut there.
    const tricky = Buffer.concat([jpegs[0]!.subarray(0, 2), Buffer.from([0xff, 0xfe, 0x00, 0x06, 0xff, 0xd9, 0x41, 0x42]), jpegs[0]!.subarray(2)]);
    const stream = Buffer.concat([Buffer.from('--b\r\nContent-Type: image/jpeg\r\n\r\n'), tricky, Buffer.from('\r\n--b\r\n\r\n'), jpegs[1]!, Buffer.from('\r\n--b\r\n\r\n'), jpegs[2]!]);
    for (const chunkSize of [1, 7, 1000, stream.byteLength]) {
      const splitter = new JpegSplitter();
      const frames: Buffer[] = [];
      for (let i = 0; i < stream.byteLength; i += chunkSize) frames.push(...splitter.push(stream.subarray(i, i + chunkSize)));
      expect(frames.map((f) => f.byteLength)).toEqual([tricky.byteLength, jpegs[1]!.byteLength, jpegs[2]!.byteLength]);
      expect(frames[0]!.equals(tricky)).toBe(true);
    }
  });
});

describe('frame sources', () => {
  it('image folder: file-name order, optional loop, paced at fps', async () => {
    const folder = join(dir, 'imgs');
    mkdirSync(folder);
    jpegs.forEach((j, i) => writeFileSync(join(folder, `f${i}.jpg`), j));
    writeFileSync(join(folder, 'notes.txt'), 'not an image');
    const once = await take(createImageFolderSource({ path: folder, fps: 0, loop: false }), 10);
    expect(once.map(bytes)).toEqual(jpegs);
    const started = performance.now();
    const looped = await take(createImageFolderSource({ path: folder, fps: 40 }), 5);
    expect(looped.map(bytes)).toEqual([...jpegs, jpegs[0], jpegs[1]]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(4 * 25 - 5);
    await expect(take(createImageFolderSource({ path: join(dir, 'missing') }), 1)).rejects.toMatchObject({ code: 'SW_EDGE_SOURCE' });
  });

  it('MJPEG over HTTP', async () => {
    const { url, server } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'multipart/x-mixed-replace; boundary=frame' });
      for (const j of jpegs) res.write(Buffer.concat([Buffer.from(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${j.byteLength}\r\n\r\n`), j, Buffer.from('\r\n')]));
      res.end();
    });
    try {
      expect((await take(createMjpegSource({ url }), 10)).map(bytes)).toEqual(jpegs);
    } finally {
      await stop(server);
    }
  });

  it('HTTP snapshot polling', async () => {
    let n = 0;
    const { url, server } = await serve((_req, res) => res.end(jpegs[n++ % 3]));
    try {
      expect((await take(createHttpSnapshotSource({ url, fps: 50 }), 2)).map(bytes)).toEqual([jpegs[0], jpegs[1]]);
    } finally {
      await stop(server);
    }
  });

  // Every ffmpeg there is: the system's (the agent's default) when installed, and always the packaged one.
  it.each(ffmpegBinariesForTests())('RTSP through ffmpeg (here a local video file) with the $name', async ({ name, path: ffmpegPath }) => {
    const video = join(dir, `clip-${name.replace(/[^a-z]/gi, '')}.avi`);
    execFileSync(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '1', '-c:v', 'mjpeg', video]);
    const frames = await take(createFfmpegSource({ url: video, fps: 10, width: 80, ffmpegPath }), 100);
    expect(frames.length).toBeGreaterThanOrEqual(9);
    expect(await sharp(bytes(frames[0]!)).metadata()).toMatchObject({ format: 'jpeg', width: 80, height: 60 });
    const raw = await take(createFfmpegSource({ url: video, fps: 10, output: 'raw', rawSize: { width: 64, height: 48 }, ffmpegPath }), 100);
    expect(raw.length).toBeGreaterThanOrEqual(9);
    expect(raw.every((f) => f.kind === 'raw' && f.width === 64 && f.height === 48 && f.data.byteLength === 64 * 48 * 3)).toBe(true);
  });

  it('RTSP source without ffmpeg: a clear error that names the fix', async () => {
    await expect(take(createFfmpegSource({ url: 'rtsp://cam/1', ffmpegPath: '/nonexistent/ffmpeg' }), 1)).rejects.toMatchObject({ code: 'SW_EDGE_FFMPEG_MISSING' });
  });

  it('push source for simulators: a slow pipeline gets the newest frame, the rest are counted as dropped', async () => {
    const source = createPushSource();
    for (const j of jpegs) source.push({ kind: 'encoded', data: j });
    source.end();
    expect((await take(source, 10)).map(bytes)).toEqual([jpegs[2]]);
    expect(source.dropped).toBe(2);
  });
});
