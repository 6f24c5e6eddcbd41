import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { createEmbeddedDatabase, migrate, type Database } from '@streetwise/db';
import { build, ensureFirstAdmin, listen, setDisabled, setRole } from '@streetwise/console';
import { newMessageId } from '@streetwise/protocol';
import { addUser, signIn, TEST_PASSWORD, TEST_SCRYPT_COST, type SessionHeaders } from '../src/console-auth.js';

const MINUTE_MS = 60_000;

/** Sessions, CSRF, lockout, tokens, the first admin and the live feed's handshake, on the embedded database with a clock the tests move. */
describe('console accounts', () => {
  let db: Database;
  let app: FastifyInstance;
  let clock = new Date('2026-03-02T08:00:00Z');
  const advance = (minutes: number) => (clock = new Date(clock.getTime() + minutes * MINUTE_MS));
  const accounts = { now: () => clock, scryptCost: TEST_SCRYPT_COST, loginRateLimit: 1000 };

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    app = await build({ db, analytics: false, accounts });
    await addUser(db, 'op-chan', 'operator');
    await addUser(db, 'viewer-lee', 'viewer');
    await addUser(db, 'boss', 'admin');
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const whoami = (headers: Record<string, string>) => app.inject({ url: '/api/v1/session', headers });
  const outcome = (socket: Socket) =>
    new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (err: Error & { data?: { code?: string } }) => resolve(err.data?.code ?? err.message));
    });
  const insertIncident = async () => {
    const id = newMessageId();
    await db.query(
      `INSERT INTO incidents (id, type, severity, device_id, district, lat, lon, first_event_id, last_event_id, opened_at, last_event_at)
       VALUES ($1, 'collision', 'critical', 'cam-1', 'B', 22.28, 114.17, $1, $1, now(), now())`,
      [id],
    );
    return id;
  };

  it('signs in with an httpOnly SameSite=Strict cookie, says who you are, and signs out', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'op-chan', password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'sw_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    const body = res.json<{ csrfToken: string }>();
    expect(body).toMatchObject({ username: 'op-chan', role: 'operator', mustChangePassword: false, via: 'session', endsAt: '2026-03-02T08:30:00.000Z' });
    // Only sha256 of the secret is stored.
    const stored = await db.query<{ id_hash: string }>(`SELECT id_hash FROM sessions WHERE username = 'op-chan'`);
    expect(stored.rows.map((r) => r.id_hash)).not.toContain(cookie.value);
    const headers = { cookie: `sw_session=${cookie.value}` };
    expect((await whoami(headers)).json()).toMatchObject({ username: 'op-chan', role: 'operator', via: 'session', csrfToken: body.csrfToken });
    const noCsrf = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers });
    expect([noCsrf.statusCode, noCsrf.json().code]).toEqual([403, 'SW_CONSOLE_CSRF']);
    const out = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { ...headers, 'x-csrf-token': body.csrfToken } });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'sw_session')?.value).toBe('');
    const after = await whoami(headers);
    expect([after.statusCode, after.json().code]).toEqual([401, 'SW_CONSOLE_UNAUTHENTICATED']);
    expect((await app.inject('/api/v1/session')).statusCode).toBe(401);
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'viewer-lee', password: 'not it at all' } });
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'nobody', password: 'not it at all' } });
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json()).toMatchObject({ code: 'SW_CONSOLE_LOGIN_FAILED' });
    await db.query('DELETE FROM login_failures');
  });

  it('ends a session after 30 idle minutes, and after 12 hours however busy', async () => {
    const headers = await signIn(app, 'viewer-lee');
    advance(29);
    expect((await whoami(headers)).statusCode).toBe(200); // touched: idle counts from here
    advance(29);
    expect((await whoami(headers)).json()).toMatchObject({ endsAt: new Date(clock.getTime() + 30 * MINUTE_MS).toISOString() });
    advance(30);
    expect((await whoami(headers)).statusCode).toBe(401);
    const busy = await signIn(app, 'viewer-lee');
    for (let minutes = 25; minutes < 12 * 60; minutes += 25) {
      advance(25);
      expect((await whoami(busy)).statusCode, `after ${minutes} minutes`).toBe(200);
    }
    advance(25); // 12 h 5 min after signing in
    expect((await whoami(busy)).statusCode).toBe(401);
  });

  it('locks a name for 15 minutes after 5 failures, even with the right password, and unknown names alike', async () => {
    const attempt = (username: string, password: string) => app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });
    for (let i = 1; i <= 4; i++) expect((await attempt('viewer-lee', `wrong ${i}`)).statusCode).toBe(401);
    const fifth = await attempt('viewer-lee', 'wrong 5');
    expect([fifth.statusCode, fifth.json().code]).toEqual([423, 'SW_CONSOLE_LOCKED']);
    expect(fifth.json().message).toContain(new Date(clock.getTime() + 15 * MINUTE_MS).toISOString());
    expect((await attempt('viewer-lee', TEST_PASSWORD)).statusCode).toBe(423);
    advance(14);
    expect((await attempt('viewer-lee', TEST_PASSWORD)).statusCode).toBe(423);
    advance(1);
    expect((await attempt('viewer-lee', TEST_PASSWORD)).statusCode).toBe(200);
    // The success cleared the count: 4 more failures do not lock.
    for (let i = 1; i <= 4; i++) expect((await attempt('viewer-lee', `wrong ${i}`)).statusCode).toBe(401);
    expect((await attempt('viewer-lee', TEST_PASSWORD)).statusCode).toBe(200);
    for (let i = 1; i <= 4; i++) await attempt('ghost', `wrong ${i}`);
    expect((await attempt('ghost', 'wrong 5')).statusCode).toBe(423);
  });

  it('limits sign-in attempts per address', async () => {
    const limited = await build({ db, analytics: false, accounts: { ...accounts, loginRateLimit: 3 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await limited.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'rate', password: 'wrong password' } })).statusCode);
      expect(codes).toEqual([401, 401, 401, 429]);
      const last = await limited.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'op-chan', password: TEST_PASSWORD } });
      expect([last.statusCode, last.json().code]).toEqual([429, 'SW_CONSOLE_LOGIN_RATE_LIMITED']);
    } finally {
      await limited.close();
      await db.query('DELETE FROM login_failures');
    }
  });

  it('refuses a cookie state change without the session\'s CSRF token, and logs the action as the signed-in user', async () => {
    const id = await insertIncident();
    const session = await signIn(app, 'op-chan');
    const url = `/api/v1/incidents/${id}/acknowledge`;
    const missing = await app.inject({ method: 'POST', url, payload: {}, headers: { cookie: session.cookie } });
    expect([missing.statusCode, missing.json().code]).toEqual([403, 'SW_CONSOLE_CSRF']);
    const other = await signIn(app, 'boss'); // another session's token does not fit this one
    const wrong = await app.inject({ method: 'POST', url, payload: {}, headers: { cookie: session.cookie, 'x-csrf-token': other['x-csrf-token'] } });
    expect([wrong.statusCode, wrong.json().code]).toEqual([403, 'SW_CONSOLE_CSRF']);
    const typedName = await app.inject({ method: 'POST', url, payload: { actor: 'someone-else', version: 1 }, headers: session });
    expect([typedName.statusCode, typedName.json().parameter]).toEqual([400, 'actor']);
    const ok = await app.inject({ method: 'POST', url, payload: { note: 'seen', version: 1 }, headers: session });
    expect(ok.statusCode).toBe(200);
    const log = await db.query<{ action: string; actor: string; actor_kind: string }>('SELECT action, actor, actor_kind FROM incident_log WHERE incident_id = $1', [id]);
    expect(log.rows).toEqual([{ action: 'acknowledged', actor: 'op-chan', actor_kind: 'user' }]);
    const viewer = await signIn(app, 'viewer-lee');
    const refused = await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/dispatch`, payload: {}, headers: viewer });
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'SW_CONSOLE_FORBIDDEN']);
    expect(refused.json().message).toBe('role viewer may not POST /api/v1/incidents/:id/:action (allowed: operator, admin)');
  });

  it('makes, uses, lists and revokes a personal token; a token needs no CSRF and cannot make tokens', async () => {
    const session = await signIn(app, 'op-chan');
    const made = await app.inject({ method: 'POST', url: '/api/v1/session/tokens', payload: { label: 'QGIS' }, headers: session });
    expect(made.statusCode).toBe(201);
    const { id, token } = made.json<{ id: string; token: string }>();
    expect(made.json()).toMatchObject({ username: 'op-chan', label: 'QGIS', role: 'operator', revokedAt: null });
    expect(token).toMatch(/^swt_[A-Za-z0-9_-]{43}$/);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await whoami(bearer)).json()).toEqual({ username: 'op-chan', role: 'operator', mustChangePassword: false, via: 'token' });
    const incident = await insertIncident();
    const act = await app.inject({ method: 'POST', url: `/api/v1/incidents/${incident}/acknowledge`, payload: { version: 1 }, headers: bearer });
    expect(act.statusCode).toBe(200);
    const more = await app.inject({ method: 'POST', url: '/api/v1/session/tokens', payload: { label: 'again' }, headers: bearer });
    expect([more.statusCode, more.json().code]).toEqual([403, 'SW_CONSOLE_FORBIDDEN']);
    const listed = (await app.inject({ url: '/api/v1/session/tokens', headers: session })).json<{ items: Array<Record<string, unknown>> }>();
    expect(listed.items).toEqual([expect.objectContaining({ id, label: 'QGIS', lastUsedAt: clock.toISOString() })]);
    expect(JSON.stringify(listed)).not.toContain(token);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/session/tokens/${id}`, headers: session })).statusCode).toBe(204);
    const revoked = await whoami(bearer);
    expect([revoked.statusCode, revoked.json().code]).toEqual([401, 'SW_CONSOLE_UNAUTHENTICATED']);
    expect((await whoami({ authorization: 'Bearer swt_forged' })).statusCode).toBe(401);
    expect((await whoami({ authorization: 'Basic b3A6cGFzcw==' })).statusCode).toBe(401);
  });

  it('retires tokens on a role change and refuses a disabled user everywhere', async () => {
    await addUser(db, 'temp', 'planner');
    const session = await signIn(app, 'temp');
    const { token } = (await app.inject({ method: 'POST', url: '/api/v1/session/tokens', payload: { label: 'bi' }, headers: session })).json<{ token: string }>();
    await setRole(db, 'temp', 'viewer');
    expect((await whoami({ authorization: `Bearer ${token}` })).statusCode).toBe(401);
    expect((await whoami(session)).statusCode).toBe(401); // signed out by the role change
    const again = await signIn(app, 'temp');
    await setDisabled(db, 'temp', true);
    expect((await whoami(again)).statusCode).toBe(401);
    const signInDisabled = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'temp', password: TEST_PASSWORD } });
    expect(signInDisabled.statusCode).toBe(401);
  });

  it('lets an admin add a user with a one-time password that must be changed first', async () => {
    const admin = await signIn(app, 'boss');
    const added = await app.inject({ method: 'POST', url: '/api/v1/users', payload: { username: 'new-op', role: 'operator' }, headers: admin });
    expect(added.statusCode).toBe(201);
    const { oneTimePassword } = added.json<{ oneTimePassword: string }>();
    expect(oneTimePassword).toMatch(/^[A-Za-z0-9]{20}$/);
    const dup = await app.inject({ method: 'POST', url: '/api/v1/users', payload: { username: 'new-op', role: 'viewer' }, headers: admin });
    expect([dup.statusCode, dup.json().code]).toEqual([409, 'SW_CONSOLE_USER_EXISTS']);
    const demoteSelf = await app.inject({ method: 'PATCH', url: '/api/v1/users/boss', payload: { role: 'viewer' }, headers: admin });
    expect([demoteSelf.statusCode, demoteSelf.json().code]).toEqual([409, 'SW_CONSOLE_LAST_ADMIN']);
    const disableSelf = await app.inject({ method: 'PATCH', url: '/api/v1/users/boss', payload: { disabled: true }, headers: admin });
    expect([disableSelf.statusCode, disableSelf.json().code]).toEqual([409, 'SW_CONSOLE_LAST_ADMIN']);
    const planner = await app.inject({ method: 'PATCH', url: '/api/v1/users/op-chan', payload: { role: 'planner' }, headers: admin });
    expect(planner.json()).toMatchObject({ username: 'op-chan', role: 'planner' });
    await setRole(db, 'op-chan', 'operator');
    const first = await signIn(app, 'new-op', oneTimePassword);
    expect((await whoami(first)).json()).toMatchObject({ mustChangePassword: true });
    const blocked = await app.inject({ url: '/api/v1/devices', headers: first });
    expect([blocked.statusCode, blocked.json().code]).toEqual([403, 'SW_CONSOLE_PASSWORD_CHANGE_REQUIRED']);
    const change = (currentPassword: string, newPassword: string) =>
      app.inject({ method: 'POST', url: '/api/v1/session/password', payload: { currentPassword, newPassword }, headers: first });
    expect((await change(oneTimePassword, 'short')).json()).toMatchObject({ code: 'SW_CONSOLE_WEAK_PASSWORD' });
    expect((await change('not the password', 'a long new passphrase')).statusCode).toBe(401);
    expect((await change(oneTimePassword, 'a long new passphrase')).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/devices', headers: first })).statusCode).toBe(200);
    await signIn(app, 'new-op', 'a long new passphrase');
  });

  it('re-hashes a password made at a lower cost than today\'s default at the next sign-in', async () => {
    await addUser(db, 'legacy', 'viewer');
    const stronger = await build({ db, analytics: false, accounts: { ...accounts, scryptCost: { N: 2 ** 14, r: 8, p: 2 } } });
    try {
      const before = (await db.query<{ password_hash: string; scrypt_p: number }>(`SELECT password_hash, scrypt_p FROM users WHERE username = 'legacy'`)).rows[0]!;
      expect(before.scrypt_p).toBe(1);
      await signIn(stronger, 'legacy');
      const after = (await db.query<{ password_hash: string; scrypt_p: number }>(`SELECT password_hash, scrypt_p FROM users WHERE username = 'legacy'`)).rows[0]!;
      expect(after.scrypt_p).toBe(2);
      expect(after.password_hash).not.toBe(before.password_hash);
      await signIn(stronger, 'legacy');
    } finally {
      await stronger.close();
    }
  });

  it('authenticates the socket.io handshake: session cookie or token, nobody else', async () => {
    const live = await build({ db, analytics: false, accounts });
    const { url } = await listen(live, 0);
    const session = await signIn(live, 'viewer-lee');
    const { token } = (await live.inject({ method: 'POST', url: '/api/v1/session/tokens', payload: { label: 'feed' }, headers: session })).json<{ token: string }>();
    const sockets = [
      connectSocket(url, { transports: ['websocket'], reconnection: false }),
      connectSocket(url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: session.cookie } }),
      connectSocket(url, { transports: ['websocket'], reconnection: false, auth: { token } }),
      connectSocket(url, { transports: ['websocket'], reconnection: false, auth: { token: 'swt_forged' } }),
    ];
    try {
      expect(await Promise.all(sockets.map(outcome))).toEqual(['SW_CONSOLE_UNAUTHENTICATED', 'connected', 'connected', 'SW_CONSOLE_UNAUTHENTICATED']);
    } finally {
      for (const s of sockets) s.close();
      await live.close();
    }
  });

  it('cuts a live-feed connection when its session is signed out or idles out, or its token is revoked', async () => {
    const live = await build({ db, analytics: false, accounts: { ...accounts, socketSweepMs: 50 } });
    const { url } = await listen(live, 0);
    const connect = (options: { cookie?: string; token?: string }) =>
      connectSocket(url, { transports: ['websocket'], reconnection: false, ...(options.cookie ? { extraHeaders: { cookie: options.cookie } } : {}), ...(options.token ? { auth: { token: options.token } } : {}) });
    const disconnected = (socket: Socket) => new Promise<string>((resolve) => socket.once('disconnect', (reason: string) => resolve(reason)));
    const opened: Socket[] = [];
    try {
      const leaving = await signIn(live, 'viewer-lee');
      const idle = await signIn(live, 'op-chan');
      const owner = await signIn(live, 'boss');
      const { id, token } = (await live.inject({ method: 'POST', url: '/api/v1/session/tokens', payload: { label: 'feed' }, headers: owner })).json<{ id: string; token: string }>();
      const [byLeaving, byIdle, byToken] = [connect({ cookie: leaving.cookie }), connect({ cookie: idle.cookie }), connect({ token })];
      opened.push(byLeaving, byIdle, byToken);
      expect(await Promise.all(opened.map(outcome))).toEqual(['connected', 'connected', 'connected']);

      const leftReason = disconnected(byLeaving);
      expect((await live.inject({ method: 'DELETE', url: '/api/v1/session', headers: leaving })).statusCode).toBe(204);
      expect(await leftReason).toBe('io server disconnect');

      const revokedReason = disconnected(byToken);
      expect((await live.inject({ method: 'DELETE', url: `/api/v1/session/tokens/${id}`, headers: owner })).statusCode).toBe(204);
      expect(await revokedReason).toBe('io server disconnect');
      expect(byIdle.connected).toBe(true);

      const idleReason = disconnected(byIdle);
      advance(31);
      expect(await idleReason).toBe('io server disconnect');
    } finally {
      for (const s of opened) s.close();
      await live.close();
    }
  });

  it('documents both security schemes and each operation\'s security in the OpenAPI document', async () => {
    const doc = (await app.inject('/docs/json')).json<{
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: unknown[]; description?: string }>>;
    }>();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'session']);
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    expect(operations.filter(({ op }) => op.security === undefined)).toEqual([]);
    const security = (path: string, method: string) => doc.paths[path]?.[method]?.security;
    expect(security('/api/health', 'get')).toEqual([]);
    expect(security('/api/v1/session', 'post')).toEqual([]);
    expect(security('/api/v1/devices', 'get')).toEqual([{ session: [] }, { bearer: [] }]);
    expect(security('/api/v1/session/tokens', 'post')).toEqual([{ session: [] }]);
    expect(doc.paths['/api/v1/incidents/{id}/{action}']?.['post']?.description).toContain('Roles: operator, admin.');
  });
});

describe('the first admin', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('comes from ADMIN_USER / ADMIN_PASSWORD when the users table is empty, and only then', async () => {
    const printed: string[] = [];
    const write = (text: string) => printed.push(text);
    expect(await ensureFirstAdmin(db, { adminUser: 'chief', adminPassword: 'a long admin passphrase', cost: TEST_SCRYPT_COST, write })).toEqual({ created: true, username: 'chief', oneTimePassword: false });
    expect(await ensureFirstAdmin(db, { adminUser: 'other', adminPassword: 'another passphrase', cost: TEST_SCRYPT_COST, write })).toEqual({ created: false });
    expect(printed).toEqual([]);
    const app = await build({ db, analytics: false, accounts: { scryptCost: TEST_SCRYPT_COST } });
    try {
      const session = await signIn(app, 'chief', 'a long admin passphrase');
      expect((await app.inject({ url: '/api/v1/session', headers: session })).json()).toMatchObject({ role: 'admin', mustChangePassword: false });
    } finally {
      await app.close();
    }
  });

  it('without them, is "admin" with a one-time password printed once, to be changed before anything else', async () => {
    await db.query('DELETE FROM users');
    const printed: string[] = [];
    const write = (text: string) => printed.push(text);
    expect(await ensureFirstAdmin(db, { cost: TEST_SCRYPT_COST, write })).toEqual({ created: true, username: 'admin', oneTimePassword: true });
    expect(await ensureFirstAdmin(db, { cost: TEST_SCRYPT_COST, write })).toEqual({ created: false });
    expect(printed).toHaveLength(1);
    const password = /one-time password (\S+)/.exec(printed[0]!)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    const app = await build({ db, analytics: false, accounts: { scryptCost: TEST_SCRYPT_COST } });
    try {
      const session: SessionHeaders = await signIn(app, 'admin', password);
      const users = await app.inject({ url: '/api/v1/users', headers: session });
      expect([users.statusCode, users.json().code]).toEqual([403, 'SW_CONSOLE_PASSWORD_CHANGE_REQUIRED']);
      const changed = await app.inject({ method: 'POST', url: '/api/v1/session/password', payload: { currentPassword: password, newPassword: 'my own admin passphrase' }, headers: session });
      expect(changed.statusCode).toBe(204);
      expect((await app.inject({ url: '/api/v1/users', headers: session })).json()).toMatchObject({ items: [{ username: 'admin', role: 'admin', mustChangePassword: false }] });
    } finally {
      await app.close();
    }
  });
});
