import type { Frame } from '../detect/types.js';
import { pace } from './pacing.js';
import type { FrameSource } from './types.js';

export interface HttpSnapshotOptions {
  /** URL answering with one JPEG per request (most IP cameras have one). */
  url: string;
  /** Polls per second. Default 2. */
  fps?: number;
  /** Per-request timeout, ms. Default 5000. */
  timeoutMs?: number;
  /** Called for a failed poll (the source keeps polling). */
  onError?: (err: unknown) => void;
}

/** Polls a camera's snapshot URL. */
export function createHttpSnapshotSource(options: HttpSnapshotOptions): FrameSource {
  const controller = new AbortController();
  return {
    name: `snapshot:${options.url}`,
    async *frames(): AsyncGenerator<Frame> {
      let due = performance.now();
      while (!controller.signal.aborted) {
        due = await pace(options.fps ?? 2, due, controller.signal);
        if (controller.signal.aborted) return;
        try {
          const res = await fetch(options.url, { signal: AbortSignal.any([controller.signal, AbortSignal.timeout(options.timeoutMs ?? 5000)]) });
          if (!res.ok) throw new Error(`${options.url} answered ${res.status}`);
          yield { kind: 'encoded', data: Buffer.from(await res.arrayBuffer()), capturedAt: Date.now() };
        } catch (err) {
          if (!controller.signal.aborted) options.onError?.(err);
        }
      }
    },
    async close() {
      controller.abort();
    },
  };
}
