import type { LockoutPolicy } from './lockout.js';
import { DEFAULT_SCRYPT_COST, type ScryptCost } from './password-hash.js';
import type { SessionTimes } from './session-store.js';

/** Settings of the accounts layer (stack and console main map SESSION_IDLE_MINUTES etc. onto these). */
export interface AccountsOptions extends SessionTimes, LockoutPolicy {
  /** Sign-in attempts per address per `loginWindowMs` (@fastify/rate-limit). Default 10 per minute. */
  loginRateLimit: number;
  loginWindowMs: number;
  /** Cost of new password hashes. Default N=2^15, r=8, p=3 (password-hash.ts says why). */
  scryptCost: ScryptCost;
  /** `Secure` cookie attribute: 'auto' sets it on HTTPS requests (behind a TLS proxy: true). */
  secureCookie: boolean | 'auto';
  /** How often open live-feed connections are checked against their session or token. Default 60 s. */
  socketSweepMs: number;
  /** Clock (sessions, lockout, tokens); tests move it. Default: real time. */
  now: () => Date;
}

export const DEFAULT_ACCOUNTS: AccountsOptions = {
  idleMinutes: 30,
  lifetimeHours: 12,
  maxFailures: 5,
  lockMinutes: 15,
  loginRateLimit: 10,
  loginWindowMs: 60_000,
  scryptCost: DEFAULT_SCRYPT_COST,
  secureCookie: 'auto',
  socketSweepMs: 60_000,
  now: () => new Date(),
};

export const SESSION_COOKIE = 'sw_session';
