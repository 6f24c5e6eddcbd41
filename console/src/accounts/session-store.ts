/**
 * Cookie sessions. A session ends after `idleMinutes` without a request or `lifetimeHours` after sign-in,
 * whichever comes first; the database holds sha256 of the cookie's secret only.
 */
import type { Queryable } from '@streetwise/db';
import type { Role } from './roles.js';
import { newSecret, sha256Hex } from './secrets.js';

export interface SessionTimes {
  idleMinutes: number;
  lifetimeHours: number;
}

/** last_seen_at is written at most this often, so a busy browser does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

export async function createSession(db: Queryable, username: string, times: SessionTimes, now: Date): Promise<{ secret: string; idHash: string; expiresAt: Date }> {
  const secret = newSecret();
  const idHash = sha256Hex(secret);
  const expiresAt = new Date(now.getTime() + times.lifetimeHours * 3_600_000);
  await db.query('INSERT INTO sessions (id_hash, username, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)', [
    idHash, username, now.toISOString(), expiresAt.toISOString(),
  ]);
  return { secret, idHash, expiresAt };
}

export interface SessionUser {
  idHash: string;
  username: string;
  role: Role;
  mustChangePassword: boolean;
  /** When the session ends if it stays idle (or its absolute end, if earlier). */
  endsAt: Date;
}

interface Row {
  id_hash: string;
  username: string;
  role: Role;
  must_change_password: boolean;
  disabled: boolean;
  last_seen_at: Date | string;
  expires_at: Date | string;
}

/** The live session for a cookie secret, touched; undefined (and deleted when expired) otherwise. */
export async function resolveSession(db: Queryable, secret: string, times: SessionTimes, now: Date): Promise<SessionUser | undefined> {
  const idHash = sha256Hex(secret);
  const { rows } = await db.query<Row>(
    `SELECT s.id_hash, s.username, s.last_seen_at, s.expires_at, u.role, u.must_change_password, u.disabled
     FROM sessions s JOIN users u USING (username) WHERE s.id_hash = $1`,
    [idHash],
  );
  const row = rows[0];
  if (!row || row.disabled) return undefined;
  const lastSeen = new Date(row.last_seen_at).getTime();
  const expires = new Date(row.expires_at).getTime();
  const idleEnd = lastSeen + times.idleMinutes * 60_000;
  if (now.getTime() >= idleEnd || now.getTime() >= expires) {
    await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
    return undefined;
  }
  let seen = lastSeen;
  if (now.getTime() - lastSeen >= TOUCH_EVERY_MS) {
    await db.query('UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1', [idHash, now.toISOString()]);
    seen = now.getTime();
  }
  return {
    idHash,
    username: row.username,
    role: row.role,
    mustChangePassword: row.must_change_password,
    endsAt: new Date(Math.min(seen + times.idleMinutes * 60_000, expires)),
  };
}

export async function deleteSession(db: Queryable, idHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}

/** Drops sessions that ended; called now and then so the table does not grow without bound. */
export async function deleteEndedSessions(db: Queryable, times: SessionTimes, now: Date): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2', [
    now.toISOString(), new Date(now.getTime() - times.idleMinutes * 60_000).toISOString(),
  ]);
  return rowCount;
}
