import type { Frame } from '../detect/types.js';
import type { FrameSource } from './types.js';

/**
 * A source the simulators push frames into (rendered scenes, raw RGB or encoded). Frames pushed faster than
 * the pipeline takes them replace the waiting one: a live camera drops frames, it does not queue them.
 */
export interface PushSource extends FrameSource {
  push(frame: Frame): void;
  /** End the stream (the pipeline finishes the frame in hand and stops). */
  end(): void;
  /** Frames replaced before the pipeline took them. */
  readonly dropped: number;
}

export function createPushSource(name = 'synthetic'): PushSource {
  let waiting: Frame | undefined;
  let wake: (() => void) | undefined;
  let ended = false;
  let dropped = 0;
  return {
    name,
    push(frame) {
      if (ended) return;
      if (waiting) dropped++;
      waiting = frame;
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
    get dropped() {
      return dropped;
    },
    async *frames(): AsyncGenerator<Frame> {
      for (;;) {
        if (waiting) {
          const frame = waiting;
          waiting = undefined;
          yield frame;
          continue;
        }
        if (ended) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
    async close() {
      this.end();
    },
  };
}

/** A source pulling frames from a function (e.g. a renderer), until it returns undefined. */
export function createGeneratorSource(name: string, next: () => Promise<Frame | undefined> | Frame | undefined): FrameSource {
  let closed = false;
  return {
    name,
    async *frames(): AsyncGenerator<Frame> {
      while (!closed) {
        const frame = await next();
        if (!frame) return;
        yield frame;
      }
    },
    async close() {
      closed = true;
    },
  };
}
