/**
 * Event-loop lag while some work runs: how late a 5 ms timer fired (what an MQTT ack or a socket
 * read waited meanwhile). A plain interval timer whose baseline is taken before the work starts:
 * perf_hooks.monitorEventLoopDelay records nothing for its first tick, so a stall that begins right
 * after enable() went unseen (it reported 10 ms for a 0.9 s synchronous query).
 */
export interface LagMeasurement<T> {
  value: T;
  /** Wall time of the work. */
  ms: number;
  /** Longest delay of the timer beyond its interval. */
  maxLagMs: number;
  /** 99th percentile of the timer's delays. */
  p99LagMs: number;
}

export async function measureEventLoopLag<T>(work: () => Promise<T>, intervalMs = 5): Promise<LagMeasurement<T>> {
  const lags: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    lags.push(Math.max(0, now - last - intervalMs));
    last = now;
  }, intervalMs);
  const startedAt = performance.now();
  let value: T;
  let ms: number;
  try {
    value = await work();
  } finally {
    ms = performance.now() - startedAt;
    // One more tick, so a stall at the very end is counted too.
    await new Promise((resolve) => setTimeout(resolve, intervalMs * 2));
    clearInterval(timer);
  }
  lags.sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 10) / 10;
  return {
    value,
    ms,
    maxLagMs: round(lags[lags.length - 1] ?? 0),
    p99LagMs: round(lags[Math.min(lags.length - 1, Math.floor(lags.length * 0.99))] ?? 0),
  };
}
