/**
 * The accounts' settings, shared by every program that serves the console (`npm start`, the console's
 * own main): spread into the program's settings table, then turned into AccountsOptions.
 */
import { integer, oneOf, pattern, text } from '@streetwise/settings';
import type { AccountsOptions } from './accounts-options.js';
import { USERNAME_PATTERN } from './roles.js';

export const ACCOUNT_SETTINGS = {
  adminUser: {
    env: 'ADMIN_USER', flag: '--admin-user', defaultValue: 'admin',
    description: 'name of the first admin, made only while there are no users',
    parse: pattern(USERNAME_PATTERN, 'lower-case letters, digits, ".", "_" or "-"'),
  },
  adminPassword: {
    env: 'ADMIN_PASSWORD', flag: '--admin-password',
    description: 'password of the first admin, only while there are no users; without it, a one-time password is printed once to stderr',
    parse: text,
  },
  sessionIdleMinutes: { env: 'SESSION_IDLE_MINUTES', flag: '--session-idle-minutes', defaultValue: '30', description: 'a console session ends after this many minutes without a request', parse: integer(1, 1440) },
  sessionLifetimeHours: { env: 'SESSION_LIFETIME_HOURS', flag: '--session-lifetime-hours', defaultValue: '12', description: 'a console session ends this many hours after signing in, however busy', parse: integer(1, 720) },
  loginMaxFailures: { env: 'LOGIN_MAX_FAILURES', flag: '--login-max-failures', defaultValue: '5', description: 'consecutive failed sign-ins that lock a name', parse: integer(1, 100) },
  loginLockMinutes: { env: 'LOGIN_LOCK_MINUTES', flag: '--login-lock-minutes', defaultValue: '15', description: 'how long a locked name stays locked', parse: integer(1, 1440) },
  loginRateLimit: { env: 'LOGIN_RATE_LIMIT', flag: '--login-rate-limit', defaultValue: '10', description: 'sign-in attempts per minute from one address', parse: integer(1, 10_000) },
  cookieSecure: {
    env: 'COOKIE_SECURE', flag: '--cookie-secure', defaultValue: 'auto',
    description: 'Secure attribute of the session cookie: auto = on HTTPS requests; true behind a TLS-terminating proxy',
    parse: oneOf(['auto', 'true', 'false'] as const),
  },
};

export interface AccountSettingValues {
  sessionIdleMinutes: number;
  sessionLifetimeHours: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginRateLimit: number;
  cookieSecure: 'auto' | 'true' | 'false';
}

export function accountsOptionsFrom(settings: AccountSettingValues): Partial<AccountsOptions> {
  return {
    idleMinutes: settings.sessionIdleMinutes,
    lifetimeHours: settings.sessionLifetimeHours,
    maxFailures: settings.loginMaxFailures,
    lockMinutes: settings.loginLockMinutes,
    loginRateLimit: settings.loginRateLimit,
    secureCookie: settings.cookieSecure === 'auto' ? 'auto' : settings.cookieSecure === 'true',
  };
}
