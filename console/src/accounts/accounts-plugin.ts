/**
 * Accounts infrastructure, shared by every route (fastify-plugin): cookies, `request.user`, the role
 * matrix check at route registration, and one onRequest hook that authenticates and authorises each
 * request before its body is read.
 */
import fp from 'fastify-plugin';
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import { SW_CONSOLE_CSRF, SW_CONSOLE_FORBIDDEN, SW_CONSOLE_PASSWORD_CHANGE_REQUIRED, SW_CONSOLE_ROUTE_UNLISTED, SW_CONSOLE_UNAUTHENTICATED } from '../errors.js';
import { DEFAULT_ACCOUNTS, type AccountsOptions } from './accounts-options.js';
import { authenticate, type SignedInUser } from './authenticate.js';
import { allowedRoles, allows, ruleFor, type MatrixRule } from './role-matrix.js';
import { sameSecret } from './secrets.js';

declare module 'fastify' {
  interface FastifyInstance {
    accounts: {
      options: AccountsOptions;
      /** Every route registered after this plugin, with its rule (the role-matrix test walks these). */
      routes: Array<{ method: string; url: string; rule: MatrixRule }>;
    };
  }
  interface FastifyRequest {
    /** The signed-in user; null on public routes and before the hook ran. */
    user: SignedInUser | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in user of a route that is not public (the hook has refused everyone else). */
export function signedIn(request: FastifyRequest): SignedInUser {
  if (!request.user) throw SW_CONSOLE_UNAUTHENTICATED(['this route needs a signed-in user']);
  return request.user;
}

export const accountsPlugin = fp<Partial<AccountsOptions>>(
  async (app, partial) => {
    const options: AccountsOptions = { ...DEFAULT_ACCOUNTS, ...partial };
    await app.register(fastifyCookie);
    const routes: Array<{ method: string; url: string; rule: MatrixRule }> = [];
    app.decorate('accounts', { options, routes });
    app.decorateRequest('user', null);

    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        const rule = ruleFor(method, route.url);
        if (!rule) throw SW_CONSOLE_ROUTE_UNLISTED([method, route.url]);
        routes.push({ method, url: route.url, rule });
      }
    });

    app.addHook('onRequest', async (request) => {
      const url = request.routeOptions.url;
      if (url === undefined) return; // no such route: the 404 handler answers
      const rule = ruleFor(request.method, url);
      if (!rule) throw SW_CONSOLE_ROUTE_UNLISTED([request.method, url]); // cannot happen: onRoute checked
      if (rule.access === 'public') return;
      const found = await authenticate(app.db, { authorization: request.headers.authorization, cookie: request.headers.cookie }, options);
      if (found === undefined) throw SW_CONSOLE_UNAUTHENTICATED(['send the session cookie (POST /api/v1/session) or Authorization: Bearer <token>']);
      if (found === 'invalid') throw SW_CONSOLE_UNAUTHENTICATED(['the session has ended or the token is not valid (revoked, role changed, user disabled)']);
      request.user = found;
      if (found.mustChangePassword && !rule.duringPasswordChange) throw SW_CONSOLE_PASSWORD_CHANGE_REQUIRED([found.username]);
      if (rule.sessionOnly && found.via !== 'session') throw SW_CONSOLE_FORBIDDEN(['a personal token', request.method, url, 'a signed-in browser session']);
      if (!allows(rule, found.role)) throw SW_CONSOLE_FORBIDDEN([found.role, request.method, url, allowedRoles(rule).join(', ')]);
      if (found.via === 'session' && !SAFE_METHODS.has(request.method)) {
        const given = request.headers['x-csrf-token'];
        if (typeof given !== 'string' || !sameSecret(given, found.csrfToken!)) throw SW_CONSOLE_CSRF();
      }
    });
  },
  { name: 'streetwise-accounts', fastify: '5.x', dependencies: ['streetwise-database'] },
);
