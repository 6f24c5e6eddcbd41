/**
 * Session and token secrets: 32 random bytes, shown once (cookie, token), stored only as sha256. sha256
 * (not scrypt) is enough here because the secrets are random, not chosen by a person: there is nothing
 * to guess from a dictionary.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const newSecret = (): string => randomBytes(32).toString('base64url');

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

/**
 * The CSRF token of a session, derived from the cookie's secret: the browser's script cannot read the
 * httpOnly cookie, another site cannot read GET /api/v1/session's answer, and the database (which holds
 * sha256 of the secret, a different hash) cannot yield it.
 */
export const csrfTokenFor = (sessionSecret: string): string => createHash('sha256').update(`csrf:${sessionSecret}`).digest('base64url');

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Personal API tokens start with this, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = 'swt_';
