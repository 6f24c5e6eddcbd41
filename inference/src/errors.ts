/**
 * Stable error codes of @streetwise/inference (SW_INFERENCE_*). Every code is documented in docs/errors.md
 * (tests/integration/errors-doc.test.ts keeps the two in step).
 */
import { createError, type ErrorFactory } from '@streetwise/errors';

export const SW_INFERENCE_SETTINGS_INVALID = createError('SW_INFERENCE_SETTINGS_INVALID', 'model settings: %s | %s | %s');
export const SW_INFERENCE_OUTPUT_SHAPE = createError('SW_INFERENCE_OUTPUT_SHAPE', 'detector output of shape [%s] does not fit layout %s: %s');
export const SW_INFERENCE_FORECASTER_SHAPE = createError('SW_INFERENCE_FORECASTER_SHAPE', 'the forecaster %s has %s %s; this runtime builds %s (inference/src/forecast/features.ts)');
export const SW_INFERENCE_SERIES_TOO_SHORT = createError('SW_INFERENCE_SERIES_TOO_SHORT', 'a forecast needs the last %s five-minute rows; the series has %s');
export const SW_INFERENCE_SERIES_ORDER = createError('SW_INFERENCE_SERIES_ORDER', 'series rows must be in time order: row %s (%s) is before row %s (%s)');

/** Every factory above, for the documentation test. */
export const INFERENCE_ERRORS: readonly ErrorFactory[] = [
  SW_INFERENCE_SETTINGS_INVALID,
  SW_INFERENCE_OUTPUT_SHAPE,
  SW_INFERENCE_FORECASTER_SHAPE,
  SW_INFERENCE_SERIES_TOO_SHORT,
  SW_INFERENCE_SERIES_ORDER,
];
