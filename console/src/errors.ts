import { createError } from '@streetwise/protocol';

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
export const SW_CONSOLE_BAD_PARAMETER = createError('SW_CONSOLE_BAD_PARAMETER', 'parameter %s is invalid: %s', 400);
export const SW_CONSOLE_INTERNAL = createError('SW_CONSOLE_INTERNAL', 'internal error: %s', 500);
