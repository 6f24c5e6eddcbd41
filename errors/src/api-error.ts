/**
 * The one error shape of the HTTP API under /api/v1, the codes it answers with that belong to no single
 * feature, and the handler every /api/v1 route uses (the console installs it for its routes and the
 * analytics plugin; stand-alone hosts of the analytics plugin install it themselves).
 *
 * A bad request parameter is always SW_API_BAD_PARAMETER naming the parameter as the user typed it
 * (`limit`, not `querystring.limit`) and, where the values are a closed set, the allowed values.
 */
import { STATUS_CODES } from 'node:http';
import { createError, type ErrorFactory, type StreetwiseError } from './create-error.js';

/** The body of every 4xx/5xx answer under /api/v1. */
export interface ApiErrorBody {
  statusCode: number;
  /** HTTP status text, e.g. "Bad Request". */
  error: string;
  /** Stable code, documented in docs/errors.md. */
  code: string;
  message: string;
  /** The request parameter at fault (query, path or body), as the user typed it. */
  parameter?: string;
  /** The values `parameter` accepts, when they are a closed set. */
  allowed?: string[];
}

/** ApiErrorBody as a JSON Schema: `components.schemas.ApiError` of the OpenAPI document. */
export const API_ERROR_SCHEMA = {
  $id: 'ApiError',
  type: 'object',
  description: 'An error. 4xx answers about a request parameter name it in `parameter` and, for a closed set of values, list them in `allowed`.',
  required: ['statusCode', 'error', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer', description: 'HTTP status code', example: 400 },
    error: { type: 'string', description: 'HTTP status text', example: 'Bad Request' },
    code: { type: 'string', description: 'stable error code, documented in docs/errors.md', example: 'SW_API_BAD_PARAMETER' },
    message: { type: 'string', description: 'what is wrong and how to fix it', example: 'parameter "district" must be one of Hong Kong\'s 18 districts, not "Atlantis"' },
    parameter: { type: 'string', description: 'the parameter at fault, as typed in the request', example: 'district' },
    allowed: { type: 'array', items: { type: 'string' }, description: 'the values the parameter accepts' },
  },
} as const;

/** `{ $ref }` to API_ERROR_SCHEMA, for route response schemas. */
export const API_ERROR_REF = { $ref: 'ApiError#' } as const;

export const SW_API_BAD_PARAMETER = createError('SW_API_BAD_PARAMETER', 'parameter "%s" %s', 400);
export const SW_API_BAD_REQUEST = createError('SW_API_BAD_REQUEST', 'the request cannot be read: %s');
export const SW_API_NO_ROUTE = createError('SW_API_NO_ROUTE', 'there is no route %s %s; /docs lists every route', 404);
export const SW_API_INTERNAL = createError('SW_API_INTERNAL', 'internal error; see the server log', 500);

/** Every code of the API layer, for the documentation test. */
export const API_ERRORS: readonly ErrorFactory[] = [SW_API_BAD_PARAMETER, SW_API_BAD_REQUEST, SW_API_NO_ROUTE, SW_API_INTERNAL];

/**
 * A 400 naming `parameter`: `what` completes the sentence `parameter "<name>" …`. Give `allowed` when
 * the values are a closed set.
 */
export function badParameter(parameter: string, what: string, allowed?: readonly string[], options: { cause?: unknown } = {}): StreetwiseError {
  return SW_API_BAD_PARAMETER([parameter, what], { ...options, parameter, ...(allowed ? { allowed } : {}) });
}

/** One Ajv error as fastify attaches it to a validation failure (`error.validation`). */
export interface ValidationIssue {
  keyword?: string;
  instancePath?: string;
  params?: Record<string, unknown>;
  message?: string;
}

/** What the handler reads from an error: fastify's FastifyError and every StreetwiseError fit. */
export interface ApiErrorSource extends Error {
  code?: string;
  statusCode?: number;
  parameter?: string;
  allowed?: readonly string[];
  validation?: readonly ValidationIssue[];
  validationContext?: string;
}

/** fastify's validation contexts in words. */
const PLACES: Record<string, string> = { querystring: 'a query parameter', body: 'a field of the request body', params: 'a path parameter', headers: 'a header' };

/**
 * The schema violation as a bad parameter: `/limit` → limit, `/district/0` → district, an unknown or
 * missing property by its name; enum and const violations list the allowed values.
 */
export function fromValidation(issues: readonly ValidationIssue[], context = 'request'): StreetwiseError {
  const first = issues[0] ?? {};
  const params = first.params ?? {};
  const unknownName = typeof params['additionalProperty'] === 'string' ? params['additionalProperty'] : undefined;
  const missingName = typeof params['missingProperty'] === 'string' ? params['missingProperty'] : undefined;
  const parameter = unknownName ?? missingName ?? (first.instancePath?.split('/')[1] || context);
  if (unknownName !== undefined) return badParameter(parameter, `is not ${PLACES[context] ?? 'a parameter'} of this endpoint`);
  if (missingName !== undefined) return badParameter(parameter, 'is required');
  // A union of literals fails as one `const` issue per member (then `anyOf`); an enum as one `enum` issue.
  const allowed = new Set<string>();
  for (const issue of issues) {
    if (issue.instancePath !== first.instancePath) continue;
    const p = issue.params ?? {};
    if (Array.isArray(p['allowedValues'])) for (const v of p['allowedValues']) allowed.add(String(v));
    if (p['allowedValue'] !== undefined) allowed.add(String(p['allowedValue']));
  }
  if (allowed.size > 0) return badParameter(parameter, `must be one of ${[...allowed].join(', ')}`, [...allowed]);
  return badParameter(parameter, first.message ?? 'is invalid');
}

const statusText = (statusCode: number) => STATUS_CODES[statusCode] ?? 'Error';

/** The answer to an error: status code and body. 5xx bodies carry no internals (the handler logs them). */
export function toApiError(error: ApiErrorSource): ApiErrorBody {
  const known = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode <= 599;
  const statusCode = known ? (error.statusCode as number) : 500;
  if (statusCode >= 500) return { statusCode, error: statusText(statusCode), code: SW_API_INTERNAL.code, message: SW_API_INTERNAL.template };
  const source: ApiErrorSource = error.validation ? fromValidation(error.validation, error.validationContext) : error;
  const ours = source.code?.startsWith('SW_') === true;
  return {
    statusCode,
    error: statusText(statusCode),
    code: ours ? (source.code as string) : SW_API_BAD_REQUEST.code,
    message: ours ? source.message : SW_API_BAD_REQUEST([source.message]).message,
    ...(source.parameter !== undefined ? { parameter: source.parameter } : {}),
    ...(source.allowed !== undefined ? { allowed: [...source.allowed] } : {}),
  };
}

interface RequestLike {
  method: string;
  url: string;
  log: { error(details: object, message: string): void };
}
interface ReplyLike<R> {
  code(statusCode: number): R;
}
interface Sendable {
  send(payload: unknown): unknown;
}

/** fastify error handler for /api/v1: `app.setErrorHandler(apiErrorHandler)`. Logs 5xx with their cause. */
export function apiErrorHandler<R extends Sendable>(error: unknown, request: RequestLike, reply: ReplyLike<R>): unknown {
  // fastify types the thrown value as unknown: anything that is not an Error is an internal error.
  const body = toApiError(error instanceof Error ? error : new Error(String(error)));
  if (body.statusCode >= 500) request.log.error({ err: error, method: request.method, url: request.url }, 'request failed');
  return reply.code(body.statusCode).send(body);
}

/** fastify not-found handler for /api/v1: `app.setNotFoundHandler(apiNotFoundHandler)`. */
export function apiNotFoundHandler<R extends Sendable>(request: RequestLike, reply: ReplyLike<R>): unknown {
  const err = SW_API_NO_ROUTE([request.method, request.url.split('?')[0] ?? request.url]);
  return reply.code(404).send({ statusCode: 404, error: statusText(404), code: err.code, message: err.message } satisfies ApiErrorBody);
}
