import { createError, type ErrorFactory } from '@streetwise/errors';
import { FLEET_ERRORS } from './fleet/errors.js';

// A bad parameter, an unknown route and an internal error are @streetwise/errors' SW_API_* codes, the
// same on every /api/v1 route; these are the console's own refusals.
export const SW_CONSOLE_NOT_FOUND = createError('SW_CONSOLE_NOT_FOUND', '%s "%s" does not exist', 404);
export const SW_CONSOLE_BAD_TRANSITION = createError(
  'SW_CONSOLE_BAD_TRANSITION',
  'incident %s is %s; it cannot be %s (allowed next: %s)',
  409,
);
export const SW_CONSOLE_VERSION_CONFLICT = createError(
  'SW_CONSOLE_VERSION_CONFLICT',
  'incident %s has changed since you saw it: it is version %s now, not %s',
  409,
);
// The incident desk (routes/incidents.ts, routes/units.ts).
export const SW_CONSOLE_UNIT_UNAVAILABLE = createError(
  'SW_CONSOLE_UNIT_UNAVAILABLE',
  'unit %s is %s, not available: pick an available unit (GET /api/v1/units)',
  409,
);
export const SW_CONSOLE_NOT_HIGHER = createError(
  'SW_CONSOLE_NOT_HIGHER',
  'incident %s is %s already; escalate raises the severity (higher: %s)',
  409,
);
export const SW_CONSOLE_UNIT_EXISTS = createError('SW_CONSOLE_UNIT_EXISTS', 'a unit with %s "%s" exists already', 409);
export const SW_CONSOLE_UNIT_DISPATCHED = createError(
  'SW_CONSOLE_UNIT_DISPATCHED',
  'unit %s is dispatched to incident %s: its status changes when that incident is resolved',
  409,
);
// Accounts (console/src/accounts).
export const SW_CONSOLE_UNAUTHENTICATED = createError('SW_CONSOLE_UNAUTHENTICATED', 'sign in first: %s', 401);
export const SW_CONSOLE_LOGIN_FAILED = createError('SW_CONSOLE_LOGIN_FAILED', 'wrong username or password', 401);
export const SW_CONSOLE_FORBIDDEN = createError('SW_CONSOLE_FORBIDDEN', 'role %s may not %s %s (allowed: %s)', 403);
export const SW_CONSOLE_CSRF = createError('SW_CONSOLE_CSRF', 'missing or wrong x-csrf-token header: send the csrfToken that GET /api/v1/session returns', 403);
export const SW_CONSOLE_PASSWORD_CHANGE_REQUIRED = createError(
  'SW_CONSOLE_PASSWORD_CHANGE_REQUIRED',
  'user %s must change the one-time password first (POST /api/v1/session/password)',
  403,
);
export const SW_CONSOLE_LOCKED = createError('SW_CONSOLE_LOCKED', 'too many failed sign-ins for "%s": locked until %s', 423);
export const SW_CONSOLE_LOGIN_RATE_LIMITED = createError('SW_CONSOLE_LOGIN_RATE_LIMITED', 'too many sign-in attempts from this address: at most %s per %s; retry in %s', 429);
export const SW_CONSOLE_WEAK_PASSWORD = createError('SW_CONSOLE_WEAK_PASSWORD', 'the new password is refused: %s', 400);
export const SW_CONSOLE_USER_EXISTS = createError('SW_CONSOLE_USER_EXISTS', 'user "%s" already exists', 409);
export const SW_CONSOLE_BAD_USERNAME = createError('SW_CONSOLE_BAD_USERNAME', 'username "%s" is invalid: use 1-64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit', 400);
export const SW_CONSOLE_BAD_ROLE = createError('SW_CONSOLE_BAD_ROLE', 'role "%s" is not one of %s', 400);
export const SW_CONSOLE_LAST_ADMIN = createError('SW_CONSOLE_LAST_ADMIN', '%s is the last enabled admin: make another admin first', 409);
export const SW_CONSOLE_ROUTE_UNLISTED = createError(
  'SW_CONSOLE_ROUTE_UNLISTED',
  'route %s %s is not in the role matrix (console/src/accounts/role-matrix.ts): add it there and to console/README.md',
  500,
);
export const SW_CONSOLE_DATA_DIR_IN_USE = createError(
  'SW_CONSOLE_DATA_DIR_IN_USE',
  'the embedded database in %s is in use (is `npm start` running?): stop it first, or run the command against DATABASE_URL',
);

/** Every factory above, for the documentation test. */
export const CONSOLE_ERRORS: readonly ErrorFactory[] = [
  SW_CONSOLE_NOT_FOUND,
  SW_CONSOLE_BAD_TRANSITION,
  SW_CONSOLE_VERSION_CONFLICT,
  SW_CONSOLE_UNIT_UNAVAILABLE,
  SW_CONSOLE_NOT_HIGHER,
  SW_CONSOLE_UNIT_EXISTS,
  SW_CONSOLE_UNIT_DISPATCHED,
  SW_CONSOLE_UNAUTHENTICATED,
  SW_CONSOLE_LOGIN_FAILED,
  SW_CONSOLE_FORBIDDEN,
  SW_CONSOLE_CSRF,
  SW_CONSOLE_PASSWORD_CHANGE_REQUIRED,
  SW_CONSOLE_LOCKED,
  SW_CONSOLE_LOGIN_RATE_LIMITED,
  SW_CONSOLE_WEAK_PASSWORD,
  SW_CONSOLE_USER_EXISTS,
  SW_CONSOLE_BAD_USERNAME,
  SW_CONSOLE_BAD_ROLE,
  SW_CONSOLE_LAST_ADMIN,
  SW_CONSOLE_ROUTE_UNLISTED,
  SW_CONSOLE_DATA_DIR_IN_USE,
  ...FLEET_ERRORS,
];
