import { createError, type ErrorFactory } from '@streetwise/errors';

export const SW_CONSOLE_NOT_FOUND = createError('SW_CONSOLE_NOT_FOUND', '%s "%s" does not exist', 404);
export const SW_CONSOLE_BAD_TRANSITION = createError(
  'SW_CONSOLE_BAD_TRANSITION',
  'incident %s is %s; it cannot be %s (allowed next: %s)',
  409,
);
export const SW_CONSOLE_BAD_PARAMETER = createError('SW_CONSOLE_BAD_PARAMETER', 'parameter %s is invalid: %s', 400);
export const SW_CONSOLE_INTERNAL = createError('SW_CONSOLE_INTERNAL', 'internal error: %s', 500);

/** Every factory above, for the documentation test. */
export const CONSOLE_ERRORS: readonly ErrorFactory[] = [
  SW_CONSOLE_NOT_FOUND,
  SW_CONSOLE_BAD_TRANSITION,
  SW_CONSOLE_BAD_PARAMETER,
  SW_CONSOLE_INTERNAL,
];
