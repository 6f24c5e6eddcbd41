import { spawn, spawnSync } from 'node:child_process';
import type { Frame } from '../detect/types.js';
import { SW_EDGE_FFMPEG_MISSING, SW_EDGE_SOURCE } from '../errors.js';
import { JpegSplitter } from './jpeg-splitter.js';
import type { FrameSource } from './types.js';

export interface FfmpegSourceOptions {
  /** rtsp://… (or anything ffmpeg opens: a video file, http://…). */
  url: string;
  /** Frames per second taken from the stream. Default 5. */
  fps?: number;
  /** Scale to this width before JPEG encoding (keeps decode cheap); 0 = keep. Default 640. */
  width?: number;
  /**
   * 'raw': ffmpeg decodes and scales to exactly rawSize and hands over RGB pixels, so the agent decodes no
   * JPEG at all (ffmpeg works in its own process, on another core). 'mjpeg': JPEG frames. Default 'mjpeg'.
   */
  output?: 'mjpeg' | 'raw';
  /** Frame size for 'raw' output (the camera's configured frame size). */
  rawSize?: { width: number; height: number };
  /** ffmpeg executable. Default 'ffmpeg' on PATH. */
  ffmpegPath?: string;
  onStderr?: (line: string) => void;
}

/** Whether ffmpeg can be run; the error names the fix when not. */
export function checkFfmpeg(ffmpegPath = 'ffmpeg'): void {
  const probe = spawnSync(ffmpegPath, ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw SW_EDGE_FFMPEG_MISSING([ffmpegPath, probe.error?.message ?? `exit ${probe.status}`]);
}

/** RTSP (and other streams) through an ffmpeg child process that re-encodes to MJPEG on a pipe. */
export function createFfmpegSource(options: FfmpegSourceOptions): FrameSource {
  const ffmpegPath = options.ffmpegPath ?? 'ffmpeg';
  let child: ReturnType<typeof spawn> | undefined;
  let closed = false;
  return {
    name: `ffmpeg:${options.url.replace(/\/\/[^@/]*@/, '//***@')}`,
    async *frames(): AsyncGenerator<Frame> {
      checkFfmpeg(ffmpegPath);
      const args = ['-hide_banner', '-loglevel', 'error', '-nostdin'];
      if (options.url.startsWith('rtsp://')) args.push('-rtsp_transport', 'tcp');
      const filters = [`fps=${options.fps ?? 5}`];
      const raw = options.output === 'raw' ? options.rawSize : undefined;
      if (options.output === 'raw' && !raw) throw SW_EDGE_SOURCE([options.url, "output 'raw' needs rawSize"]);
      if (raw) filters.push(`scale=${raw.width}:${raw.height}`);
      else if ((options.width ?? 640) > 0) filters.push(`scale=${options.width ?? 640}:-2`);
      args.push('-i', options.url, '-vf', filters.join(','));
      if (raw) args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');
      else args.push('-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '5', 'pipe:1');
      const proc = spawn(ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      let stderr = '';
      proc.stderr.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-2000);
        options.onStderr?.(d.toString());
      });
      const exited = new Promise<number | null>((resolve) => proc.once('close', resolve));
      if (raw) {
        const frameBytes = raw.width * raw.height * 3;
        let pending: Buffer[] = [];
        let pendingBytes = 0;
        for await (const chunk of proc.stdout) {
          pending.push(chunk as Buffer);
          pendingBytes += (chunk as Buffer).byteLength;
          while (pendingBytes >= frameBytes) {
            const all = Buffer.concat(pending);
            yield { kind: 'raw', data: all.subarray(0, frameBytes), width: raw.width, height: raw.height, channels: 3, capturedAt: Date.now() };
            pending = [all.subarray(frameBytes)];
            pendingBytes = all.byteLength - frameBytes;
          }
        }
      } else {
        const splitter = new JpegSplitter();
        for await (const chunk of proc.stdout) {
          for (const jpeg of splitter.push(chunk as Buffer)) yield { kind: 'encoded', data: jpeg, capturedAt: Date.now() };
        }
      }
      const code = await exited;
      if (!closed && code !== 0) throw SW_EDGE_SOURCE([options.url, `ffmpeg exited with ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`]);
    },
    async close() {
      closed = true;
      child?.kill('SIGTERM');
    },
  };
}
