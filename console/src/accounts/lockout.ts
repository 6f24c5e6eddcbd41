/**
 * Lockout after repeated failed sign-ins, per name typed (known or not, so the answer does not tell a
 * guesser which names exist). `maxFailures` consecutive failures lock the name for `lockMinutes`; a
 * success or a password reset clears the count.
 */
import type { Queryable } from '@streetwise/db';

export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
}

/** When the name is locked until, if it is locked at `now`. */
export async function lockedUntil(db: Queryable, username: string, now: Date): Promise<Date | undefined> {
  const { rows } = await db.query<{ locked_until: Date | string | null }>('SELECT locked_until FROM login_failures WHERE username = $1', [username]);
  const until = rows[0]?.locked_until;
  if (until === null || until === undefined) return undefined;
  const date = new Date(until);
  return date.getTime() > now.getTime() ? date : undefined;
}

/** Counts a failure; returns the lock's end when this failure locks the name. */
export async function recordFailure(db: Queryable, username: string, policy: LockoutPolicy, now: Date): Promise<Date | undefined> {
  // A lock that has run out starts a fresh count.
  const { rows } = await db.query<{ failures: number }>(
    `INSERT INTO login_failures (username, failures, last_failed_at) VALUES ($1, 1, $2)
     ON CONFLICT (username) DO UPDATE SET
       failures = CASE WHEN login_failures.locked_until IS NOT NULL AND login_failures.locked_until <= $2 THEN 1 ELSE login_failures.failures + 1 END,
       locked_until = CASE WHEN login_failures.locked_until IS NOT NULL AND login_failures.locked_until <= $2 THEN NULL ELSE login_failures.locked_until END,
       last_failed_at = $2
     RETURNING failures`,
    [username, now.toISOString()],
  );
  const failures = rows[0]?.failures ?? 0;
  if (failures < policy.maxFailures) return undefined;
  const until = new Date(now.getTime() + policy.lockMinutes * 60_000);
  await db.query('UPDATE login_failures SET locked_until = $2 WHERE username = $1', [username, until.toISOString()]);
  return until;
}

export async function clearFailures(db: Queryable, username: string): Promise<void> {
  await db.query('DELETE FROM login_failures WHERE username = $1', [username]);
}
