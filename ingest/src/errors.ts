import { createError, type ErrorFactory } from '@streetwise/errors';

/**
 * Stable error codes of the ingest service. Each code has a row in docs/errors.md (code | meaning |
 * how to solve); a unit test keeps the two in step.
 */
export const SW_INGEST_SETTINGS_INVALID = createError('SW_INGEST_SETTINGS_INVALID', 'ingest settings are invalid:\n%s');
export const SW_INGEST_OPTIONS_INVALID = createError('SW_INGEST_OPTIONS_INVALID', 'createIngest option %s is invalid: %s');
export const SW_INGEST_STOPPING = createError('SW_INGEST_STOPPING', 'ingest is stopping; the message was not acknowledged and will be redelivered');
export const SW_INGEST_BROKER_UNREACHABLE = createError('SW_INGEST_BROKER_UNREACHABLE', 'cannot connect to the MQTT broker at %s: %s');
export const SW_INGEST_SUBSCRIBE_FAILED = createError('SW_INGEST_SUBSCRIBE_FAILED', 'the MQTT broker refused the subscription %s: %s');
export const SW_INGEST_DB_UNAVAILABLE = createError('SW_INGEST_DB_UNAVAILABLE', 'the database did not accept a batch (%s); retrying in %s ms');
export const SW_INGEST_DEAD_LETTER_LOST = createError('SW_INGEST_DEAD_LETTER_LOST', 'a dead letter from topic "%s" could not be written: %s');
export const SW_INGEST_HTTP_PORT_IN_USE = createError('SW_INGEST_HTTP_PORT_IN_USE', 'port %s is already in use; set INGEST_PORT (or --port) to a free port');
export const SW_INGEST_DRAIN_INCOMPLETE = createError('SW_INGEST_DRAIN_INCOMPLETE', 'the sessions of ingest worker "%s" were kept, not ended: %s; run the drain again');

/** Every factory above, for the documentation test. */
export const INGEST_ERRORS: readonly ErrorFactory[] = [
  SW_INGEST_SETTINGS_INVALID,
  SW_INGEST_OPTIONS_INVALID,
  SW_INGEST_STOPPING,
  SW_INGEST_BROKER_UNREACHABLE,
  SW_INGEST_SUBSCRIBE_FAILED,
  SW_INGEST_DB_UNAVAILABLE,
  SW_INGEST_DEAD_LETTER_LOST,
  SW_INGEST_HTTP_PORT_IN_USE,
  SW_INGEST_DRAIN_INCOMPLETE,
];
