/**
 * Why did a batch fail? 'data': PostgreSQL refused a value (SQLSTATE class 22 data exception or 23
 * integrity violation) — retrying the same rows would fail forever, so the writer splits the batch
 * to find the row and dead-letters it. Anything else ('unavailable': connection refused or lost,
 * server shutting down, a closed pool, a missing table) is retried with backoff: no row is lost.
 */
export type DbFailureKind = 'data' | 'unavailable';

export function classifyDbFailure(err: unknown): DbFailureKind {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code)) return 'data';
  return 'unavailable';
}

/** Exponential backoff with ±20% jitter, so several workers do not retry in step. */
export function backoffDelayMs(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.8 + 0.4 * random()));
}
