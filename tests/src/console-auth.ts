/**
 * Signing tests in to the console: users at a low scrypt cost (2^14, the lowest the schema takes, so a
 * suite does not spend seconds hashing on a shared machine), bearer tokens, and cookie + CSRF sessions.
 */
import type { FastifyInstance } from 'fastify';
import type { Queryable } from '@streetwise/db';
import { createToken, createUser, type Role, type ScryptCost } from '@streetwise/console';

export const TEST_SCRYPT_COST: ScryptCost = { N: 2 ** 14, r: 8, p: 1 };
export const TEST_PASSWORD = 'correct horse battery staple';

export async function addUser(db: Queryable, username: string, role: Role, password = TEST_PASSWORD): Promise<void> {
  await createUser(db, { username, role, password, cost: TEST_SCRYPT_COST });
}

/** A user with a personal token; returns the Authorization header. */
export async function bearerFor(db: Queryable, username: string, role: Role): Promise<{ authorization: string }> {
  await addUser(db, username, role);
  const { secret } = await createToken(db, username, role, 'tests', new Date());
  return { authorization: `Bearer ${secret}` };
}

// A type, not an interface: it is passed where a Record<string, string> of headers is expected.
export type SessionHeaders = {
  cookie: string;
  'x-csrf-token': string;
};

/** Signs in through POST /api/v1/session (inject); returns the headers a browser would send. */
export async function signIn(app: FastifyInstance, username: string, password = TEST_PASSWORD): Promise<SessionHeaders> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'sw_session');
  if (!cookie) throw new Error('no session cookie');
  return { cookie: `sw_session=${cookie.value}`, 'x-csrf-token': (res.json<{ csrfToken: string }>()).csrfToken };
}

/** Signs in over HTTP (a running stack); returns the headers a browser would send. */
export async function signInOverHttp(baseUrl: string, username: string, password: string): Promise<SessionHeaders> {
  const res = await fetch(`${baseUrl}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  const value = /sw_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (!value) throw new Error('no session cookie');
  return { cookie: `sw_session=${value}`, 'x-csrf-token': ((await res.json()) as { csrfToken: string }).csrfToken };
}
