/** How long and how often waitFor probes, and what it says when it gives up. */
export interface WaitForOptions {
  /** Give up after this many milliseconds. Default 10 000. */
  timeoutMs?: number;
  /** What is being waited for, for the timeout message (a function is called only then). Default 'condition'. */
  what?: string | (() => string);
  /** Milliseconds between probes. Default 10. */
  intervalMs?: number;
}

const DEFAULT_WAIT_FOR: Required<Omit<WaitForOptions, 'what'>> & { what: string } = {
  timeoutMs: 10_000,
  what: 'condition',
  intervalMs: 10,
};

type Ready<T> = Exclude<T, undefined | false>;

/**
 * Wait for a condition instead of sleeping a fixed time: call `probe` until it returns something other
 * than `undefined` or `false` (or a promise of such), and resolve with that. A probe that throws is
 * probed again (a server not listening yet); the error is kept for the message. After `timeoutMs` it
 * rejects with what it waited for, the last value seen and the last error.
 */
export async function waitFor<T>(probe: () => T | Promise<T>, options: WaitForOptions = {}): Promise<Ready<T>> {
  const { timeoutMs, intervalMs } = { ...DEFAULT_WAIT_FOR, ...options };
  const deadline = Date.now() + timeoutMs;
  let lastValue: unknown;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as Ready<T>;
      lastValue = value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) throw new Error(timeoutMessage(options.what, timeoutMs, lastValue, lastError));
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function timeoutMessage(what: WaitForOptions['what'], timeoutMs: number, lastValue: unknown, lastError: unknown): string {
  const name = typeof what === 'function' ? what() : (what ?? DEFAULT_WAIT_FOR.what);
  const last = lastError === undefined ? `last value: ${String(lastValue)}` : `last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
  return `timed out after ${timeoutMs} ms waiting for ${name} (${last})`;
}
