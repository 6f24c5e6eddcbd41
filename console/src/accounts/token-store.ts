/** Personal API tokens: `Authorization: Bearer swt_…`, made by a signed-in user, acting with that user's role. */
import { randomBytes } from 'node:crypto';
import type { Queryable } from '@streetwise/db';
import { SW_CONSOLE_NOT_FOUND } from '../errors.js';
import type { Role } from './roles.js';
import { newSecret, sha256Hex, TOKEN_PREFIX } from './secrets.js';

export interface ApiToken {
  id: string;
  username: string;
  label: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface Row {
  id: string;
  username: string;
  label: string;
  role: Role;
  created_at: Date | string;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());
const toToken = (row: Row): ApiToken => ({
  id: row.id, username: row.username, label: row.label, role: row.role,
  createdAt: iso(row.created_at)!, lastUsedAt: iso(row.last_used_at), revokedAt: iso(row.revoked_at),
});
const COLUMNS = 'id, username, label, role, created_at, last_used_at, revoked_at';

/** Makes a token with the user's current role; the secret is returned once and stored only as sha256. */
export async function createToken(db: Queryable, username: string, role: Role, label: string, now: Date): Promise<{ token: ApiToken; secret: string }> {
  const secret = `${TOKEN_PREFIX}${newSecret()}`;
  const id = randomBytes(8).toString('hex');
  const { rows } = await db.query<Row>(
    `INSERT INTO api_tokens (id, username, label, secret_hash, role, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [id, username, label, sha256Hex(secret), role, now.toISOString()],
  );
  return { token: toToken(rows[0]!), secret };
}

export async function listTokens(db: Queryable, username?: string): Promise<ApiToken[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM api_tokens WHERE ($1::text IS NULL OR username = $1) ORDER BY created_at, id`,
    [username ?? null],
  );
  return rows.map(toToken);
}

/** Revokes a token; with `username`, only that user's own. Revoking twice keeps the first time. */
export async function revokeToken(db: Queryable, id: string, now: Date, username?: string): Promise<ApiToken> {
  const { rows } = await db.query<Row>(
    `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 AND ($3::text IS NULL OR username = $3) RETURNING ${COLUMNS}`,
    [id, now.toISOString(), username ?? null],
  );
  if (!rows[0]) throw SW_CONSOLE_NOT_FOUND(['token', id]);
  return toToken(rows[0]);
}

export interface TokenUser {
  tokenId: string;
  username: string;
  role: Role;
  mustChangePassword: boolean;
}

/**
 * The user behind a bearer secret: refused when revoked, when the user is disabled, or when the user's
 * role is no longer the one the token was made for.
 */
export async function resolveToken(db: Queryable, secret: string, now: Date): Promise<TokenUser | undefined> {
  if (!secret.startsWith(TOKEN_PREFIX)) return undefined;
  const { rows } = await db.query<{ id: string; username: string; role: Role; user_role: Role; disabled: boolean; must_change_password: boolean; last_used_at: Date | string | null }>(
    `SELECT t.id, t.username, t.role, t.last_used_at, u.role AS user_role, u.disabled, u.must_change_password
     FROM api_tokens t JOIN users u USING (username) WHERE t.secret_hash = $1 AND t.revoked_at IS NULL`,
    [sha256Hex(secret)],
  );
  const row = rows[0];
  if (!row || row.disabled || row.role !== row.user_role) return undefined;
  // Written at most once a minute per token: a script polling every second should not write every second.
  if (row.last_used_at === null || now.getTime() - new Date(row.last_used_at).getTime() >= 60_000) {
    await db.query('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [row.id, now.toISOString()]);
  }
  return { tokenId: row.id, username: row.username, role: row.role, mustChangePassword: row.must_change_password };
}
