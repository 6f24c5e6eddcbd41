import { waitFor } from '@streetwise/testing';

/** Progress of the long waits of a large run, every PROGRESS_EVERY_MS: a backlog being stored, a stream being sent. */
const PROGRESS_EVERY_MS = 5_000;

/**
 * Wait until `read()` reaches `target`, saying how far it is every few seconds: the long waits of a large
 * run (a backlog being stored) show progress.
 */
export async function waitForCount(read: () => Promise<number>, target: number, what: string, progress: (message: string) => void, timeoutMs: number): Promise<void> {
  let lastMs = performance.now();
  await waitFor(async () => {
    const n = await read();
    if (performance.now() - lastMs >= PROGRESS_EVERY_MS) {
      lastMs = performance.now();
      progress(`${what}: ${n} of ${target}`);
    }
    return n >= target;
  }, { timeoutMs, what: `${target} ${what}`, intervalMs: 100 });
}

/** Await `work`, saying `status()` every few seconds until it settles. */
export async function withProgress<T>(work: Promise<T>, status: () => string, progress: (message: string) => void): Promise<T> {
  const timer = setInterval(() => progress(status()), PROGRESS_EVERY_MS);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
