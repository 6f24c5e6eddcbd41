import { createError, type ErrorFactory } from '@streetwise/errors';

/**
 * Stable error codes of the identity package; each is documented in docs/errors.md. The HTTP statuses are
 * for the console's /api/v1/credentials routes, which call the same registry functions as the CLI.
 */
export const SW_IDENTITY_ID_INVALID = createError(
  'SW_IDENTITY_ID_INVALID',
  'credential id "%s" is invalid: use 1-64 letters, digits, "-" or "_", starting with a letter or digit (a device id, a gateway or a service name)',
  400,
);
export const SW_IDENTITY_SCOPE_INVALID = createError('SW_IDENTITY_SCOPE_INVALID', 'gateway scope "%s" is invalid: %s', 400);
export const SW_IDENTITY_EXISTS = createError('SW_IDENTITY_EXISTS', 'a credential "%s" already exists; use "rotate %s" for a new secret, or pick another id', 409);
export const SW_IDENTITY_UNKNOWN = createError('SW_IDENTITY_UNKNOWN', 'no credential "%s" in the registry; "list" shows them, "add %s" provisions one', 404);
export const SW_IDENTITY_BLOCKED = createError('SW_IDENTITY_BLOCKED', 'credential "%s" is blocked; "unblock %s" first, then rotate it', 409);
export const SW_IDENTITY_USAGE = createError('SW_IDENTITY_USAGE', '%s');

/** Every factory above, for the documentation test. */
export const IDENTITY_ERRORS: readonly ErrorFactory[] = [
  SW_IDENTITY_ID_INVALID,
  SW_IDENTITY_SCOPE_INVALID,
  SW_IDENTITY_EXISTS,
  SW_IDENTITY_UNKNOWN,
  SW_IDENTITY_BLOCKED,
  SW_IDENTITY_USAGE,
];
