import { createError, type ErrorFactory } from '@streetwise/errors';

/**
 * Error catalogue of @streetwise/connectors; every code is documented in docs/errors.md (a test keeps the two
 * in step). Partial damage in a feed is never thrown: it comes back as a list of FeedProblem values. These
 * errors are for what leaves nothing to read at all.
 */
export const SW_CONNECTOR_FEED_UNREADABLE = createError('SW_CONNECTOR_FEED_UNREADABLE', 'feed %s: %s is unreadable as a whole: %s');
export const SW_CONNECTOR_CATALOGUE_INVALID = createError('SW_CONNECTOR_CATALOGUE_INVALID', 'detector catalogue %s is malformed: %s');
export const SW_CONNECTOR_FETCH_FAILED = createError('SW_CONNECTOR_FETCH_FAILED', 'feed %s: fetching %s failed: %s');
export const SW_CONNECTOR_REPLAY_EMPTY = createError('SW_CONNECTOR_REPLAY_EMPTY', 'feed %s: replay path %s holds no snapshot files (%s)');
export const SW_CONNECTOR_OPTIONS_INVALID = createError('SW_CONNECTOR_OPTIONS_INVALID', 'connector option %s | %s | %s');
export const SW_CONNECTOR_FLAGS_INVALID = createError('SW_CONNECTOR_FLAGS_INVALID', 'invalid flags (flag | value | expected):\n%s');
export const SW_CONNECTOR_MQTT_FAILED = createError('SW_CONNECTOR_MQTT_FAILED', 'connector could not connect to the MQTT broker %s as gateway "%s": %s');

/** Every factory above, for the documentation test. */
export const CONNECTOR_ERRORS: readonly ErrorFactory[] = [
  SW_CONNECTOR_FEED_UNREADABLE,
  SW_CONNECTOR_CATALOGUE_INVALID,
  SW_CONNECTOR_FETCH_FAILED,
  SW_CONNECTOR_REPLAY_EMPTY,
  SW_CONNECTOR_OPTIONS_INVALID,
  SW_CONNECTOR_FLAGS_INVALID,
  SW_CONNECTOR_MQTT_FAILED,
];
