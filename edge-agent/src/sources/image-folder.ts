import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Frame } from '../detect/types.js';
import { SW_EDGE_SOURCE } from '../errors.js';
import { pace } from './pacing.js';
import type { FrameSource } from './types.js';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.tif', '.tiff']);

export interface ImageFolderOptions {
  /** An image file, or a folder of images (replayed in file-name order). */
  path: string;
  /** Frames per second; 0 = as fast as the pipeline takes them. Default 5. */
  fps?: number;
  /** Start again after the last image. Default true. */
  loop?: boolean;
}

/** Replays still images as a camera (testing rules on recorded scenes, benchmarks). */
export function createImageFolderSource(options: ImageFolderOptions): FrameSource {
  const controller = new AbortController();
  const fps = options.fps ?? 5;
  return {
    name: `images:${options.path}`,
    async *frames(): AsyncGenerator<Frame> {
      let files: string[];
      try {
        files = (await stat(options.path)).isDirectory()
          ? (await readdir(options.path)).filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase())).sort().map((f) => join(options.path, f))
          : [options.path];
      } catch (err) {
        throw SW_EDGE_SOURCE([options.path, (err as Error).message], { cause: err });
      }
      if (files.length === 0) throw SW_EDGE_SOURCE([options.path, 'no images (.jpg, .png, .webp, …) in it']);
      // Small sets are kept in memory so a looped replay measures the pipeline, not the disk.
      const cache = new Map<string, Buffer>();
      let due = performance.now();
      do {
        for (const file of files) {
          if (controller.signal.aborted) return;
          let data = cache.get(file);
          if (!data) {
            data = await readFile(file);
            if (files.length <= 64) cache.set(file, data);
          }
          due = await pace(fps, due, controller.signal);
          if (controller.signal.aborted) return;
          yield { kind: 'encoded', data, capturedAt: Date.now() };
        }
      } while (options.loop ?? true);
    },
    async close() {
      controller.abort();
    },
  };
}
