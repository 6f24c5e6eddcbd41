// @streetwise/errors: stable error codes without global state, and the one error shape of /api/v1.
export { createError, isStreetwiseError, isErrorFactory } from './create-error.js';
export type { StreetwiseError, ErrorFactory, ErrorOptions } from './create-error.js';
export {
  API_ERROR_SCHEMA,
  API_ERROR_REF,
  API_ERRORS,
  SW_API_BAD_PARAMETER,
  SW_API_BAD_REQUEST,
  SW_API_NO_ROUTE,
  SW_API_INTERNAL,
  badParameter,
  fromValidation,
  toApiError,
  apiErrorHandler,
  apiNotFoundHandler,
} from './api-error.js';
export type { ApiErrorBody, ApiErrorSource, ValidationIssue } from './api-error.js';
