/**
 * The analytics routes' error handler: 4xx as `{ error, code, parameter, message }` (the parameter named
 * whenever one is at fault), 5xx logged with the cause and answered without internals.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { SW_ANALYTICS_QUERY_FAILED, SW_ANALYTICS_VALIDATION, isParameterError } from '../errors.js';

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 429: 'Too Many Requests' };

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { parameter?: string }, request, reply) => {
    const statusCode = error.statusCode ?? 500;
    if (statusCode >= 500) {
      request.log.error({ err: error, url: request.url }, 'analytics request failed');
      const failed = SW_ANALYTICS_QUERY_FAILED([request.routeOptions.url ?? request.url, 'see the server log'], { cause: error });
      return reply.code(500).send({ error: 'Internal Server Error', code: failed.code, message: failed.message });
    }
    const body: Record<string, unknown> = {
      error: STATUS_TEXT[statusCode] ?? 'Error',
      code: error.validation ? SW_ANALYTICS_VALIDATION.code : (error.code ?? SW_ANALYTICS_VALIDATION.code),
      message: error.message,
    };
    if (isParameterError(error)) body['parameter'] = error.parameter;
    return reply.code(statusCode).send(body);
  });
}
