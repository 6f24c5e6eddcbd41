import { createError, type ErrorFactory } from '@streetwise/errors';

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

/** Every factory above, for the documentation test. */
export const CONSOLE_ERRORS: readonly ErrorFactory[] = [
  SW_CONSOLE_NOT_FOUND,
  SW_CONSOLE_BAD_TRANSITION,
  SW_CONSOLE_VERSION_CONFLICT,
];
