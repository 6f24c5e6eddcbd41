import { setTimeout as sleep } from 'node:timers/promises';

/** Wait until the next frame is due at `fps` (0 = no pacing); returns the new due time. */
export async function pace(fps: number, due: number, signal?: AbortSignal): Promise<number> {
  if (fps <= 0) return due;
  const now = performance.now();
  const next = Math.max(due + 1000 / fps, now);
  if (due > now) await sleep(due - now, undefined, { signal }).catch(() => undefined);
  return next;
}
