/**
 * /api/v1/session: sign in (sets the httpOnly, SameSite=Strict cookie), who am I, sign out, change the
 * password; /api/v1/session/tokens: the user's personal API tokens. The role matrix says who may call
 * each; the hook in accounts-plugin.ts has checked it before a handler runs.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { SW_CONSOLE_LOCKED, SW_CONSOLE_LOGIN_FAILED, SW_CONSOLE_LOGIN_RATE_LIMITED, SW_CONSOLE_WEAK_PASSWORD } from '../errors.js';
import { ErrorBody } from '@streetwise/analytics';
import { routeSchema } from '../route-schema.js';
import { SESSION_COOKIE, type AccountsOptions } from './accounts-options.js';
import { signedIn } from './accounts-plugin.js';
import { clearFailures, lockedUntil, recordFailure } from './lockout.js';
import { hashPassword, passwordProblem, PASSWORD_MAX_LENGTH, verifyPassword, workOf, type PasswordHash } from './password-hash.js';
import { ROLES } from './roles.js';
import { csrfTokenFor } from './secrets.js';
import { createSession, deleteEndedSessions, deleteSession } from './session-store.js';
import { createToken, listTokens, revokeToken } from './token-store.js';
import { findUser, setPassword } from './user-store.js';

const Credentials = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }) },
  { additionalProperties: false },
);
const Role = Type.Union(ROLES.map((role) => Type.Literal(role)));
const Whoami = Type.Object({
  username: Type.String(),
  role: Role,
  mustChangePassword: Type.Boolean(),
  via: Type.Union([Type.Literal('session'), Type.Literal('token')]),
  csrfToken: Type.Optional(Type.String({ description: 'send it as the x-csrf-token header with every POST, PATCH and DELETE of this session' })),
  endsAt: Type.Optional(Type.String({ format: 'date-time', description: 'when the session ends unless it is used before' })),
});
const PasswordChange = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }), newPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }) },
  { additionalProperties: false },
);
/** An answer with no body (204). */
const NoContent = Type.Null({ description: 'no content' });

export const TokenView = Type.Object({
  id: Type.String(), username: Type.String(), label: Type.String(), role: Role,
  createdAt: Type.String(), lastUsedAt: Type.Union([Type.String(), Type.Null()]), revokedAt: Type.Union([Type.String(), Type.Null()]),
});
const NewToken = Type.Object({ label: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
const TokenId = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{16}$' }) });

export interface SessionRoutesOptions {
  options: AccountsOptions;
  /** Called with the session's id hash on sign-out (cuts its live-feed connections). */
  onSignOut?: (idHash: string) => void;
}

/**
 * A name that is not a user still costs one scrypt, so the answer's timing does not tell which names exist.
 * Hashed once, lazily, at the configured cost.
 */
let dummyHash: Promise<PasswordHash> | undefined;

export const sessionRoutes: FastifyPluginAsync<SessionRoutesOptions> = async (app, { options, onSignOut }) => {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: options.secureCookie };
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      Object.assign(SW_CONSOLE_LOGIN_RATE_LIMITED([context.max, `${options.loginWindowMs / 1000} s`, context.after]), { statusCode: context.statusCode }),
  });
  const setSessionCookie = (reply: FastifyReply, secret: string) =>
    reply.setCookie(SESSION_COOKIE, secret, { ...cookieOptions, maxAge: options.lifetimeHours * 3600 });

  app.post<{ Body: Static<typeof Credentials> }>(
    '/session',
    {
      config: { rateLimit: { max: options.loginRateLimit, timeWindow: options.loginWindowMs } },
      schema: routeSchema({ tags: ['session'], operationId: 'signIn', summary: 'Sign in: sets the session cookie and returns the CSRF token', body: Credentials, response: { 200: Whoami, 400: ErrorBody, 401: ErrorBody, 423: ErrorBody, 429: ErrorBody } }),
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const now = options.now();
      const until = await lockedUntil(app.db, username, now);
      if (until) throw SW_CONSOLE_LOCKED([username, until.toISOString()]);
      const user = await findUser(app.db, username);
      dummyHash ??= hashPassword('not a password', options.scryptCost);
      const ok = await verifyPassword(password, user?.password ?? (await dummyHash));
      if (!user || !ok || user.disabled) {
        const locked = await recordFailure(app.db, username, options, now);
        request.log.warn({ username, locked: locked !== undefined }, 'sign-in refused');
        if (locked) throw SW_CONSOLE_LOCKED([username, locked.toISOString()]);
        throw SW_CONSOLE_LOGIN_FAILED();
      }
      await clearFailures(app.db, username);
      const cost = options.scryptCost;
      if (workOf(user.password) < workOf(cost)) {
        // A hash made at a lower cost than today's default: re-hash now that the password is at hand.
        await setPassword(app.db, username, password, { oneTime: user.mustChangePassword, cost, now });
      }
      await deleteEndedSessions(app.db, options, now);
      const session = await createSession(app.db, username, options, now);
      setSessionCookie(reply, session.secret);
      request.log.info({ username, role: user.role }, 'signed in');
      return {
        username, role: user.role, mustChangePassword: user.mustChangePassword, via: 'session' as const,
        csrfToken: csrfTokenFor(session.secret),
        endsAt: new Date(Math.min(now.getTime() + options.idleMinutes * 60_000, session.expiresAt.getTime())).toISOString(),
      };
    },
  );

  app.get(
    '/session',
    { schema: routeSchema({ tags: ['session'], operationId: 'getSession', summary: 'Who is signed in, with which role (and the session\'s CSRF token)', response: { 200: Whoami, 401: ErrorBody } }) },
    async (request) => {
      const user = signedIn(request);
      return {
        username: user.username, role: user.role, mustChangePassword: user.mustChangePassword, via: user.via,
        ...(user.csrfToken ? { csrfToken: user.csrfToken } : {}),
        ...(user.endsAt ? { endsAt: user.endsAt.toISOString() } : {}),
      };
    },
  );

  app.delete('/session', { schema: routeSchema({ tags: ['session'], operationId: 'signOut', summary: 'Sign out', response: { 204: NoContent, 401: ErrorBody, 403: ErrorBody } }) }, async (request, reply) => {
    const user = signedIn(request);
    await deleteSession(app.db, user.sessionIdHash!);
    onSignOut?.(user.sessionIdHash!);
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    request.log.info({ username: user.username }, 'signed out');
    return reply.code(204).send();
  });

  app.post<{ Body: Static<typeof PasswordChange> }>(
    '/session/password',
    { schema: routeSchema({ tags: ['session'], operationId: 'changePassword', summary: 'Change one\'s own password (required after a one-time password); ends the user\'s other sessions', body: PasswordChange, response: { 204: NoContent, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } }) },
    async (request, reply) => {
      const user = signedIn(request);
      const stored = await findUser(app.db, user.username);
      if (!stored || !(await verifyPassword(request.body.currentPassword, stored.password))) throw SW_CONSOLE_LOGIN_FAILED();
      const problem = passwordProblem(request.body.newPassword, request.body.currentPassword);
      if (problem) throw SW_CONSOLE_WEAK_PASSWORD([problem]);
      await setPassword(app.db, user.username, request.body.newPassword, { oneTime: false, cost: options.scryptCost, now: options.now(), keepSessionHash: user.sessionIdHash! });
      request.log.info({ username: user.username }, 'password changed');
      return reply.code(204).send();
    },
  );

  app.get('/session/tokens', { schema: routeSchema({ tags: ['session'], operationId: 'listMyTokens', summary: 'My personal API tokens (never their secrets)', response: { 200: Type.Object({ items: Type.Array(TokenView) }), 401: ErrorBody, 403: ErrorBody } }) }, async (request) => ({
    items: await listTokens(app.db, signedIn(request).username),
  }));

  app.post<{ Body: Static<typeof NewToken> }>(
    '/session/tokens',
    {
      schema: routeSchema({
        tags: ['session'],
        operationId: 'createMyToken',
        summary: 'Make a personal API token with my role; its secret is in this answer only',
        body: NewToken,
        response: { 201: Type.Intersect([TokenView, Type.Object({ token: Type.String({ description: 'send as Authorization: Bearer <token>' }) })]), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      }),
    },
    async (request, reply) => {
      const user = signedIn(request);
      const { token, secret } = await createToken(app.db, user.username, user.role, request.body.label, options.now());
      request.log.info({ username: user.username, tokenId: token.id }, 'token created');
      return reply.code(201).send({ ...token, token: secret });
    },
  );

  app.delete<{ Params: Static<typeof TokenId> }>(
    '/session/tokens/:id',
    { schema: routeSchema({ tags: ['session'], operationId: 'revokeMyToken', summary: 'Revoke one of my tokens', params: TokenId, response: { 204: NoContent, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } }) },
    async (request, reply) => {
      const user = signedIn(request);
      await revokeToken(app.db, request.params.id, options.now(), user.username);
      request.log.info({ username: user.username, tokenId: request.params.id }, 'token revoked');
      return reply.code(204).send();
    },
  );
};
