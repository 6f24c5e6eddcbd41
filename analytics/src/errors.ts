/**
 * Stable error codes of the analytics package (SW_ANALYTICS_*). Every code is documented in
 * docs/errors.md (errors.test.ts keeps the two in step).
 *
 * Request errors carry the name of the bad query parameter (`parameter`), so the HTTP layer can answer
 * 400 `{ error, code, parameter, message }` and a form can point at the field to fix.
 */
import { createError, type ErrorFactory, type StreetwiseError } from '@streetwise/protocol';

export const SW_ANALYTICS_BAD_PARAMETER = createError('SW_ANALYTICS_BAD_PARAMETER', 'parameter "%s" %s', 400);
export const SW_ANALYTICS_UNKNOWN_DISTRICT = createError(
  'SW_ANALYTICS_UNKNOWN_DISTRICT',
  'district "%s" is not one of Hong Kong\'s 18 districts; use the English name (e.g. "Sha Tin"), the Chinese name (e.g. "沙田") or the code letter (e.g. "R")',
  400,
);
export const SW_ANALYTICS_RANGE_INVERTED = createError(
  'SW_ANALYTICS_RANGE_INVERTED',
  'the time range is inverted or empty: to (%s) must be later than from (%s)',
  400,
);
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
export const SW_ANALYTICS_UNKNOWN_DEVICE = createError('SW_ANALYTICS_UNKNOWN_DEVICE', 'device "%s" is not registered', 400);
export const SW_ANALYTICS_VALIDATION = createError('SW_ANALYTICS_VALIDATION', '%s', 400);
export const SW_ANALYTICS_RATE_LIMITED = createError(
  'SW_ANALYTICS_RATE_LIMITED',
  'too many requests: at most %s per %s from one client; retry in %s',
  429,
);
export const SW_ANALYTICS_QUERY_FAILED = createError('SW_ANALYTICS_QUERY_FAILED', 'the %s query failed: %s', 500);
export const SW_ANALYTICS_NO_MODEL = createError(
  'SW_ANALYTICS_NO_MODEL',
  'no traffic forecast model: %s. Train one with `npm run models:train` (it writes models/manifest.json)',
);
export const SW_ANALYTICS_MODEL_INVALID = createError('SW_ANALYTICS_MODEL_INVALID', 'the traffic forecast model %s cannot be used: %s');
export const SW_ANALYTICS_FORECAST_FAILED = createError('SW_ANALYTICS_FORECAST_FAILED', 'the forecast run at %s failed: %s');

/** Every factory above, for the documentation test. */
export const ANALYTICS_ERRORS: readonly ErrorFactory[] = [
  SW_ANALYTICS_BAD_PARAMETER,
  SW_ANALYTICS_UNKNOWN_DISTRICT,
  SW_ANALYTICS_RANGE_INVERTED,
  SW_ANALYTICS_RANGE_TOO_LARGE,
  SW_ANALYTICS_RANGE_TOO_LARGE_FOR_RAW,
  SW_ANALYTICS_SOURCE_MISMATCH,
  SW_ANALYTICS_H3_INVALID,
  SW_ANALYTICS_H3_RESOLUTION,
  SW_ANALYTICS_UNKNOWN_DEVICE,
  SW_ANALYTICS_VALIDATION,
  SW_ANALYTICS_RATE_LIMITED,
  SW_ANALYTICS_QUERY_FAILED,
  SW_ANALYTICS_NO_MODEL,
  SW_ANALYTICS_MODEL_INVALID,
  SW_ANALYTICS_FORECAST_FAILED,
];

/** A request error that names the query parameter at fault. */
export interface ParameterError extends StreetwiseError {
  readonly parameter: string;
}

/** Make `factory(args)` and attach the name of the bad parameter. */
export function parameterError(
  factory: ErrorFactory,
  parameter: string,
  args: ReadonlyArray<string | number> = [],
  options: { cause?: unknown } = {},
): ParameterError {
  const err = factory(args, options) as StreetwiseError & { parameter: string };
  err.parameter = parameter;
  return err;
}

export function isParameterError(value: unknown): value is ParameterError {
  return value instanceof Error && typeof (value as { parameter?: unknown }).parameter === 'string' &&
    typeof (value as { code?: unknown }).code === 'string';
}
