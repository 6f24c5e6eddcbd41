import type { Frame } from '../detect/types.js';
import { SW_EDGE_SOURCE } from '../errors.js';
import { JpegSplitter } from './jpeg-splitter.js';
import type { FrameSource } from './types.js';

export interface MjpegOptions {
  /** multipart/x-mixed-replace MJPEG stream URL. */
  url: string;
  /** Keep at most this many frames per second (drop the rest); 0 = all. Default 0. */
  maxFps?: number;
}

/** MJPEG over HTTP: one long response of concatenated JPEGs. */
export function createMjpegSource(options: MjpegOptions): FrameSource {
  const controller = new AbortController();
  return {
    name: `mjpeg:${options.url}`,
    async *frames(): AsyncGenerator<Frame> {
      let res: Response;
      try {
        res = await fetch(options.url, { signal: controller.signal });
      } catch (err) {
        if (controller.signal.aborted) return;
        throw SW_EDGE_SOURCE([options.url, (err as Error).message], { cause: err });
      }
      if (!res.ok || !res.body) throw SW_EDGE_SOURCE([options.url, `answered ${res.status}`]);
      const splitter = new JpegSplitter();
      const minGapMs = options.maxFps ? 1000 / options.maxFps : 0;
      let last = -Infinity;
      try {
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
          for (const jpeg of splitter.push(Buffer.from(chunk))) {
            const now = performance.now();
            if (now - last < minGapMs) continue;
            last = now;
            yield { kind: 'encoded', data: jpeg, capturedAt: Date.now() };
          }
        }
      } catch (err) {
        if (!controller.signal.aborted) throw SW_EDGE_SOURCE([options.url, (err as Error).message], { cause: err });
      }
    },
    async close() {
      controller.abort();
    },
  };
}
