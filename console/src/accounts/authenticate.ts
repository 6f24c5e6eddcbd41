/**
 * Who is asking: a bearer token (`Authorization: Bearer swt_…`) or the session cookie. The HTTP hook and
 * the socket.io handshake both use this, so the two cannot disagree.
 */
import { fastifyCookie } from '@fastify/cookie';
import type { Queryable } from '@streetwise/db';
import type { AccountsOptions } from './accounts-options.js';
import { SESSION_COOKIE } from './accounts-options.js';
import type { Role } from './roles.js';
import { csrfTokenFor } from './secrets.js';
import { resolveSession } from './session-store.js';
import { resolveToken } from './token-store.js';

export interface SignedInUser {
  username: string;
  role: Role;
  mustChangePassword: boolean;
  via: 'session' | 'token';
  /** Session: sha256 of the cookie's secret, and the CSRF token its state changes must carry. */
  sessionIdHash?: string;
  csrfToken?: string;
  /** Session: when it ends if idle. */
  endsAt?: Date;
  /** Token: its id. */
  tokenId?: string;
}

/** Undefined: no credentials at all. 'invalid': credentials that do not (or no longer) sign anyone in. */
export type Authentication = SignedInUser | 'invalid' | undefined;

export async function authenticate(
  db: Queryable,
  headers: { authorization?: string | undefined; cookie?: string | undefined },
  options: Pick<AccountsOptions, 'idleMinutes' | 'lifetimeHours' | 'now'>,
): Promise<Authentication> {
  const now = options.now();
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  if (headers.authorization !== undefined) {
    if (!bearer) return 'invalid';
    const token = await resolveToken(db, bearer, now);
    return token ? { username: token.username, role: token.role, mustChangePassword: token.mustChangePassword, via: 'token', tokenId: token.tokenId } : 'invalid';
  }
  const secret = headers.cookie ? fastifyCookie.parse(headers.cookie)[SESSION_COOKIE] : undefined;
  if (!secret) return undefined;
  const session = await resolveSession(db, secret, options, now);
  if (!session) return 'invalid';
  return {
    username: session.username,
    role: session.role,
    mustChangePassword: session.mustChangePassword,
    via: 'session',
    sessionIdHash: session.idHash,
    csrfToken: csrfTokenFor(secret),
    endsAt: session.endsAt,
  };
}
