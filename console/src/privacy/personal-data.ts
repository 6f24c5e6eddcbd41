/**
 * An operator's personal data (PRIVACY.md, DPP6): everything the console stores about an account, and its
 * erasure. Erasure deletes the account, its sessions, tokens and failed sign-ins, and replaces the name in
 * incident_log, audit_log and fleet_pushes by a stable pseudonym, so "who acknowledged this" still shows one person
 * consistently without naming them. Used by `npm run users -- export|erase` and the admin routes.
 */
import { createHash } from 'node:crypto';
import type { Database, Queryable } from '@streetwise/db';
import { SW_CONSOLE_NOT_FOUND } from '../errors.js';
import { assertNotLastAdmin, findUser, publicUser, type User } from '../accounts/user-store.js';
import { recordAudit } from './audit-store.js';

export interface PersonalData {
  username: string;
  exportedAt: string;
  /** The account; the password hash is stored but not shown (it is a secret, not information about the person). */
  user: User;
  /** Signed-in browsers (the cookie's hash is not shown). */
  sessions: Array<{ createdAt: string; lastSeenAt: string; expiresAt: string }>;
  /** Personal API tokens (the secret's hash is not shown). */
  tokens: Array<{ id: string; label: string; role: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }>;
  loginFailures: { failures: number; lastFailedAt: string; lockedUntil: string | null } | null;
  /** What the person did on incidents (acknowledged, dispatched, notes, views …). */
  incidentLog: Array<{ incidentId: string; at: string; action: string; note: string | null; details: unknown }>;
  /** What the person exported or viewed. */
  audit: Array<{ at: string; action: string; what: string; details: unknown }>;
  /** Config pushes the person sent to devices (the fleet view). */
  fleetPushes: Array<{ id: string; pushedAt: string; target: unknown; patch: unknown }>;
}

export interface Erasure {
  username: string;
  pseudonym: string;
  deleted: { users: number; sessions: number; tokens: number; loginFailures: number };
  pseudonymised: { incidentLog: number; audit: number; fleetPushes: number };
}

/**
 * `erased-` and 16 hex digits of sha256 over the name: the same name always gives the same pseudonym, so
 * rows erased at different times still belong together. It is pseudonymisation, not anonymisation: someone
 * who already knows the name can recompute it (PRIVACY.md says so).
 */
export function pseudonymFor(username: string): string {
  return `erased-${createHash('sha256').update(`streetwise-erasure:${username}`).digest('hex').slice(0, 16)}`;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

/** A database migrated before audit_log (0013) or fleet_pushes (0012) existed still exports and erases. */
async function hasTable(db: Queryable, table: 'audit_log' | 'fleet_pushes'): Promise<boolean> {
  const { rows } = await db.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [table]);
  return typeof rows[0]?.t === 'string';
}
const hasAuditLog = (db: Queryable): Promise<boolean> => hasTable(db, 'audit_log');

export async function exportPersonalData(db: Queryable, username: string, by: string, now = new Date()): Promise<PersonalData> {
  const found = await findUser(db, username);
  if (!found) throw SW_CONSOLE_NOT_FOUND(['user', username]);
  const sessions = await db.query<{ created_at: Date; last_seen_at: Date; expires_at: Date }>(
    'SELECT created_at, last_seen_at, expires_at FROM sessions WHERE username = $1 ORDER BY created_at',
    [username],
  );
  const tokens = await db.query<{ id: string; label: string; role: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }>(
    'SELECT id, label, role, created_at, last_used_at, revoked_at FROM api_tokens WHERE username = $1 ORDER BY created_at',
    [username],
  );
  const failures = await db.query<{ failures: number; last_failed_at: Date; locked_until: Date | null }>(
    'SELECT failures, last_failed_at, locked_until FROM login_failures WHERE username = $1',
    [username],
  );
  const log = await db.query<{ incident_id: string; at: Date; action: string; note: string | null; details: unknown }>(
    `SELECT incident_id, at, action, note, details FROM incident_log WHERE actor = $1 AND actor_kind = 'user' ORDER BY at, id`,
    [username],
  );
  const audit = (await hasAuditLog(db))
    ? (await db.query<{ at: Date; action: string; what: string; details: unknown }>('SELECT at, action, what, details FROM audit_log WHERE username = $1 ORDER BY at', [username])).rows
    : [];
  const pushes = (await hasTable(db, 'fleet_pushes'))
    ? (await db.query<{ id: string; pushed_at: Date; target: unknown; patch: unknown }>('SELECT id, pushed_at, target, patch FROM fleet_pushes WHERE pushed_by = $1 ORDER BY pushed_at', [username])).rows
    : [];
  const f = failures.rows[0];
  const data: PersonalData = {
    username,
    exportedAt: now.toISOString(),
    user: publicUser(found),
    sessions: sessions.rows.map((s) => ({ createdAt: iso(s.created_at)!, lastSeenAt: iso(s.last_seen_at)!, expiresAt: iso(s.expires_at)! })),
    tokens: tokens.rows.map((t) => ({ id: t.id, label: t.label, role: t.role, createdAt: iso(t.created_at)!, lastUsedAt: iso(t.last_used_at), revokedAt: iso(t.revoked_at) })),
    loginFailures: f ? { failures: f.failures, lastFailedAt: iso(f.last_failed_at)!, lockedUntil: iso(f.locked_until) } : null,
    incidentLog: log.rows.map((r) => ({ incidentId: r.incident_id, at: iso(r.at)!, action: r.action, note: r.note, details: r.details })),
    audit: audit.map((a) => ({ at: iso(a.at)!, action: a.action, what: a.what, details: a.details })),
    fleetPushes: pushes.map((p) => ({ id: p.id, pushedAt: iso(p.pushed_at)!, target: p.target, patch: p.patch })),
  };
  if (await hasAuditLog(db)) await recordAudit(db, { username: by, action: 'personal_data_export', what: username, at: now });
  return data;
}

/** Deletes the account and pseudonymises its name, in one transaction. Refuses the last enabled admin. */
export async function erasePersonalData(db: Database, username: string, by: string, now = new Date()): Promise<Erasure> {
  return db.transaction(async (tx) => {
    if (!(await findUser(tx, username))) throw SW_CONSOLE_NOT_FOUND(['user', username]);
    await assertNotLastAdmin(tx, username);
    const pseudonym = pseudonymFor(username);
    const count = async (sql: string, params: unknown[]): Promise<number> => (await tx.query(sql, params)).rowCount ?? 0;
    const sessions = await count('DELETE FROM sessions WHERE username = $1', [username]);
    const tokens = await count('DELETE FROM api_tokens WHERE username = $1', [username]);
    const loginFailures = await count('DELETE FROM login_failures WHERE username = $1', [username]);
    const users = await count('DELETE FROM users WHERE username = $1', [username]);
    const incidentLog = await count(`UPDATE incident_log SET actor = $2 WHERE actor = $1 AND actor_kind = 'user'`, [username, pseudonym]);
    const fleetPushes = (await hasTable(tx, 'fleet_pushes')) ? await count('UPDATE fleet_pushes SET pushed_by = $2 WHERE pushed_by = $1', [username, pseudonym]) : 0;
    let audit = 0;
    if (await hasAuditLog(tx)) {
      audit = await count('UPDATE audit_log SET username = $2 WHERE username = $1', [username, pseudonym]);
      // Earlier exports of this person's data name them in `what`.
      await tx.query(`UPDATE audit_log SET what = $2 WHERE what = $1 AND action IN ('personal_data_export', 'personal_data_erase')`, [username, pseudonym]);
      await recordAudit(tx, { username: by === username ? pseudonym : by, action: 'personal_data_erase', what: pseudonym, at: now });
    }
    return { username, pseudonym, deleted: { users, sessions, tokens, loginFailures }, pseudonymised: { incidentLog, audit, fleetPushes } };
  });
}
