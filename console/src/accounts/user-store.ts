/** The users table: create, read, change role, disable, set a password. Used by the HTTP routes and the CLI. */
import type { Queryable } from '@streetwise/db';
import { SW_CONSOLE_BAD_ROLE, SW_CONSOLE_BAD_USERNAME, SW_CONSOLE_LAST_ADMIN, SW_CONSOLE_NOT_FOUND, SW_CONSOLE_USER_EXISTS, SW_CONSOLE_WEAK_PASSWORD } from '../errors.js';
import { DEFAULT_SCRYPT_COST, generatePassword, hashPassword, passwordProblem, type PasswordHash, type ScryptCost } from './password-hash.js';
import { isRole, ROLES, USERNAME_PATTERN, type Role } from './roles.js';

export interface User {
  username: string;
  role: Role;
  disabled: boolean;
  mustChangePassword: boolean;
  language: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface UserWithHash extends User {
  password: PasswordHash;
}

interface UserRow {
  username: string;
  role: Role;
  disabled: boolean;
  must_change_password: boolean;
  language: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  password_hash: string;
  password_salt: string;
  scrypt_n: number;
  scrypt_r: number;
  scrypt_p: number;
}

const COLUMNS = 'username, role, disabled, must_change_password, language, created_at, updated_at, password_hash, password_salt, scrypt_n, scrypt_r, scrypt_p';

const toUser = (row: UserRow): UserWithHash => ({
  username: row.username,
  role: row.role,
  disabled: row.disabled,
  mustChangePassword: row.must_change_password,
  language: row.language,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
  password: { hash: row.password_hash, salt: row.password_salt, N: row.scrypt_n, r: row.scrypt_r, p: row.scrypt_p },
});

export const publicUser = ({ password: _password, ...user }: UserWithHash): User => user;

export function assertUsername(username: string): void {
  if (!USERNAME_PATTERN.test(username)) throw SW_CONSOLE_BAD_USERNAME([username]);
}

export function assertRole(role: string): asserts role is Role {
  if (!isRole(role)) throw SW_CONSOLE_BAD_ROLE([role, ROLES.join(', ')]);
}

export async function countUsers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM users');
  return Number(rows[0]?.n ?? 0);
}

export async function findUser(db: Queryable, username: string): Promise<UserWithHash | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE username = $1`, [username]);
  return rows[0] ? toUser(rows[0]) : undefined;
}

export async function listUsers(db: Queryable): Promise<User[]> {
  const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY username`);
  return rows.map((row) => publicUser(toUser(row)));
}

export interface NewUser {
  username: string;
  role: string;
  /** Given: the user's own password. Omitted: a generated one-time password, returned once, to be changed at first sign-in. */
  password?: string;
  cost?: ScryptCost;
  now?: Date;
}

/** Adds a user; returns it and, when none was given, the generated one-time password (shown once, stored only hashed). */
export async function createUser(db: Queryable, input: NewUser): Promise<{ user: User; oneTimePassword?: string }> {
  assertUsername(input.username);
  assertRole(input.role);
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password);
    if (problem) throw SW_CONSOLE_WEAK_PASSWORD([problem]);
  }
  const oneTimePassword = input.password === undefined ? generatePassword() : undefined;
  const hashed = await hashPassword(input.password ?? oneTimePassword!, input.cost ?? DEFAULT_SCRYPT_COST);
  const now = input.now ?? new Date();
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (username, role, password_hash, password_salt, scrypt_n, scrypt_r, scrypt_p, must_change_password, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (username) DO NOTHING RETURNING ${COLUMNS}`,
    [input.username, input.role, hashed.hash, hashed.salt, hashed.N, hashed.r, hashed.p, oneTimePassword !== undefined, now.toISOString()],
  );
  if (!rows[0]) throw SW_CONSOLE_USER_EXISTS([input.username]);
  return { user: publicUser(toUser(rows[0])), ...(oneTimePassword ? { oneTimePassword } : {}) };
}

async function updateUser(db: Queryable, username: string, set: string, params: unknown[], now: Date): Promise<User> {
  const { rows } = await db.query<UserRow>(
    `UPDATE users SET ${set}, updated_at = $2 WHERE username = $1 RETURNING ${COLUMNS}`,
    [username, now.toISOString(), ...params],
  );
  if (!rows[0]) throw SW_CONSOLE_NOT_FOUND(['user', username]);
  return publicUser(toUser(rows[0]));
}

/** Nobody could administer accounts over HTTP any more: refused. */
export async function assertNotLastAdmin(db: Queryable, username: string): Promise<void> {
  const { rows } = await db.query<{ me: boolean; others: string | number }>(
    `SELECT bool_or(username = $1) AS me, count(*) FILTER (WHERE username <> $1) AS others FROM users WHERE role = 'admin' AND NOT disabled`,
    [username],
  );
  if (rows[0]?.me && Number(rows[0].others) === 0) throw SW_CONSOLE_LAST_ADMIN([username]);
}

/** A new role retires the user's tokens (they were made for the old role) and signs the user out. */
export async function setRole(db: Queryable, username: string, role: string, now = new Date()): Promise<User> {
  assertRole(role);
  if (role !== 'admin') await assertNotLastAdmin(db, username);
  const user = await updateUser(db, username, 'role = $3', [role], now);
  await db.query('UPDATE api_tokens SET revoked_at = $2 WHERE username = $1 AND revoked_at IS NULL AND role <> $3', [username, now.toISOString(), role]);
  await db.query('DELETE FROM sessions WHERE username = $1', [username]);
  return user;
}

/** Disabled users cannot sign in; their sessions end now and their tokens stop working (until enabled again). */
export async function setDisabled(db: Queryable, username: string, disabled: boolean, now = new Date()): Promise<User> {
  if (disabled) await assertNotLastAdmin(db, username);
  const user = await updateUser(db, username, 'disabled = $3', [disabled], now);
  if (disabled) await db.query('DELETE FROM sessions WHERE username = $1', [username]);
  return user;
}

/**
 * Sets a password. `oneTime` marks it as to be changed at the next sign-in (a reset). Other sessions of
 * the user end (all of them for a reset; all but `keepSessionHash` for a change), and the lockout clears.
 */
export async function setPassword(
  db: Queryable,
  username: string,
  password: string,
  options: { oneTime: boolean; cost?: ScryptCost; now?: Date; keepSessionHash?: string },
): Promise<User> {
  const hashed = await hashPassword(password, options.cost ?? DEFAULT_SCRYPT_COST);
  const user = await updateUser(
    db,
    username,
    'password_hash = $3, password_salt = $4, scrypt_n = $5, scrypt_r = $6, scrypt_p = $7, must_change_password = $8',
    [hashed.hash, hashed.salt, hashed.N, hashed.r, hashed.p, options.oneTime],
    options.now ?? new Date(),
  );
  await db.query('DELETE FROM sessions WHERE username = $1 AND id_hash <> $2', [username, options.keepSessionHash ?? '']);
  await db.query('DELETE FROM login_failures WHERE username = $1', [username]);
  return user;
}

/** A new generated one-time password for the user, returned once. */
export async function resetPassword(db: Queryable, username: string, options: { cost?: ScryptCost; now?: Date } = {}): Promise<{ user: User; oneTimePassword: string }> {
  const oneTimePassword = generatePassword();
  const user = await setPassword(db, username, oneTimePassword, { ...options, oneTime: true });
  return { user, oneTimePassword };
}
