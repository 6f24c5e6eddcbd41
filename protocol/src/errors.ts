/**
 * Stable error codes of the protocol package. Each code is documented in docs/errors.md (the catalogue
 * test in tests/integration keeps the two in step).
 */
import { createError, type ErrorFactory } from '@streetwise/errors';

export const SW_PROTOCOL_TOPIC_INVALID = createError('SW_PROTOCOL_TOPIC_INVALID', 'topic "%s" is not a Streetwise v1 topic: %s');
export const SW_PROTOCOL_DEVICE_ID_INVALID = createError('SW_PROTOCOL_DEVICE_ID_INVALID', 'device id "%s" is invalid: use 1-64 letters, digits, "-" or "_", starting with a letter or digit');

/** Every factory above, for the documentation test. */
export const PROTOCOL_ERRORS: readonly ErrorFactory[] = [SW_PROTOCOL_TOPIC_INVALID, SW_PROTOCOL_DEVICE_ID_INVALID];
