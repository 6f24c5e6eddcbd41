/**
 * Stable error codes of the analytics package (SW_ANALYTICS_*). Every code is documented in
 * docs/errors.md (the catalogue test in tests/integration keeps the two in step).
 *
 * A plain bad request parameter (unknown district or device, a malformed date, a schema violation) is
 * @streetwise/errors' SW_API_BAD_PARAMETER, the same on every /api/v1 route. The codes here are the
 * analytics' own refusals; request errors among them name the parameter (`{ parameter }` option), so the
 * shared /api/v1 error handler answers 400 `{ statusCode, error, code, message, parameter }`.
 */
import { createError, type ErrorFactory } from '@streetwise/errors';

export const SW_ANALYTICS_RANGE_TOO_LARGE = createError(
  'SW_ANALYTICS_RANGE_TOO_LARGE',
  'the range %s … %s at bucket %s makes %s buckets; at most %s are answered in one request: choose a coarser bucket or a shorter range',
  400,
);
export const SW_ANALYTICS_RANGE_TOO_LARGE_FOR_RAW = createError(
  'SW_ANALYTICS_RANGE_TOO_LARGE_FOR_RAW',
  'raw rows are read for at most %s days, and %s … %s is %s days: shorten the range, or drop source=raw (and use a bucket of 5 minutes or more) to read the aggregates',
  400,
);
export const SW_ANALYTICS_SOURCE_MISMATCH = createError(
  'SW_ANALYTICS_SOURCE_MISMATCH',
  'source=%s cannot answer bucket=%s exactly (%s); use source=auto',
  400,
);
export const SW_ANALYTICS_H3_INVALID = createError(
  'SW_ANALYTICS_H3_INVALID',
  '"%s" is not a valid H3 cell id (15 hex digits, e.g. 8830e1d8c1fffff)',
  400,
);
export const SW_ANALYTICS_H3_RESOLUTION = createError(
  'SW_ANALYTICS_H3_RESOLUTION',
  'H3 resolution %s is not supported; use a resolution from %s to %s (about 5 km² to 0.1 km² cells)',
  400,
);
export const SW_ANALYTICS_RATE_LIMITED = createError(
  'SW_ANALYTICS_RATE_LIMITED',
  'too many requests: at most %s per %s from one client; retry in %s',
  429,
);
export const SW_ANALYTICS_NO_MODEL = createError(
  'SW_ANALYTICS_NO_MODEL',
  'no traffic forecast model: %s. Train one with `npm run models:train` (it writes models/manifest.json)',
);
export const SW_ANALYTICS_MODEL_INVALID = createError('SW_ANALYTICS_MODEL_INVALID', 'the traffic forecast model %s cannot be used: %s');
export const SW_ANALYTICS_FORECAST_FAILED = createError('SW_ANALYTICS_FORECAST_FAILED', 'the forecast run at %s failed: %s');

/** Every factory above, for the documentation test. */
export const ANALYTICS_ERRORS: readonly ErrorFactory[] = [
  SW_ANALYTICS_RANGE_TOO_LARGE,
  SW_ANALYTICS_RANGE_TOO_LARGE_FOR_RAW,
  SW_ANALYTICS_SOURCE_MISMATCH,
  SW_ANALYTICS_H3_INVALID,
  SW_ANALYTICS_H3_RESOLUTION,
  SW_ANALYTICS_RATE_LIMITED,
  SW_ANALYTICS_NO_MODEL,
  SW_ANALYTICS_MODEL_INVALID,
  SW_ANALYTICS_FORECAST_FAILED,
];
