import { createError, type ErrorFactory } from '@streetwise/errors';

/** Error catalogue of @streetwise/models; every code is documented in docs/errors.md. */
export const SW_MODEL_MANIFEST_INVALID = createError('SW_MODEL_MANIFEST_INVALID', 'model manifest %s is invalid: %s');
export const SW_MODEL_NOT_FOUND = createError('SW_MODEL_NOT_FOUND', 'no model named "%s" in manifest %s');
export const SW_MODEL_FILE_MISSING = createError('SW_MODEL_FILE_MISSING', 'model file %s could not be read: %s');
export const SW_MODEL_HASH_MISMATCH = createError('SW_MODEL_HASH_MISMATCH', 'model file %s has sha256 %s but the manifest says %s');
export const SW_MODEL_SHAPE_MISMATCH = createError('SW_MODEL_SHAPE_MISMATCH', 'model %s %s "%s" has shape %s but the manifest says %s');
export const SW_MODEL_LOAD_FAILED = createError('SW_MODEL_LOAD_FAILED', 'onnxruntime could not load model %s: %s');
export const SW_MODEL_SERIES_INVALID = createError('SW_MODEL_SERIES_INVALID', 'series %s: %s');
export const SW_MODEL_SERIES_TOO_SHORT = createError('SW_MODEL_SERIES_TOO_SHORT', 'series %s has %s five-minute rows; %s are needed');
export const SW_MODEL_DATASET_INVALID = createError('SW_MODEL_DATASET_INVALID', 'detector dataset %s: %s');
export const SW_MODEL_FLAG_INVALID = createError('SW_MODEL_FLAG_INVALID', '%s | %s | %s');
export const SW_MODEL_PYTHON_MISSING = createError('SW_MODEL_PYTHON_MISSING', '%s cannot import torch and onnx: %s');
export const SW_MODEL_TRAIN_FAILED = createError('SW_MODEL_TRAIN_FAILED', 'training step "%s" failed: %s');
export const SW_MODEL_ROLE_MISSING = createError('SW_MODEL_ROLE_MISSING', 'no detector with role "%s" in manifest %s');

/** Every factory above, for the documentation test. */
export const MODEL_ERRORS: readonly ErrorFactory[] = [
  SW_MODEL_MANIFEST_INVALID,
  SW_MODEL_NOT_FOUND,
  SW_MODEL_FILE_MISSING,
  SW_MODEL_HASH_MISMATCH,
  SW_MODEL_SHAPE_MISMATCH,
  SW_MODEL_LOAD_FAILED,
  SW_MODEL_SERIES_INVALID,
  SW_MODEL_SERIES_TOO_SHORT,
  SW_MODEL_DATASET_INVALID,
  SW_MODEL_FLAG_INVALID,
  SW_MODEL_PYTHON_MISSING,
  SW_MODEL_TRAIN_FAILED,
  SW_MODEL_ROLE_MISSING,
];
