import { describe, expect, it } from 'vitest';
import { apiErrorHandler, apiNotFoundHandler, badParameter, fromValidation, toApiError, type ApiErrorSource } from './api-error.js';
import { createError } from './create-error.js';

/** A fastify-style validation failure, as fastify attaches it to the error. */
const validationFailure = (context: string, validation: ApiErrorSource['validation']): ApiErrorSource =>
  Object.assign(new Error(`${context} is invalid`), { statusCode: 400, code: 'FST_ERR_VALIDATION', validation, validationContext: context });

describe('toApiError', () => {
  it('names the parameter as typed, not querystring.limit', () => {
    const err = validationFailure('querystring', [{ keyword: 'minimum', instancePath: '/limit', params: { comparison: '>=', limit: 1 }, message: 'must be >= 1' }]);
    expect(toApiError(err)).toEqual({ statusCode: 400, error: 'Bad Request', code: 'SW_API_BAD_PARAMETER', parameter: 'limit', message: 'parameter "limit" must be >= 1' });
  });

  it('lists the allowed values of an enum, and of a union of constants', () => {
    const enumFailure = validationFailure('querystring', [{ keyword: 'enum', instancePath: '/bucket', params: { allowedValues: ['1h', '1d'] }, message: 'must be equal to one of the allowed values' }]);
    expect(toApiError(enumFailure)).toMatchObject({ parameter: 'bucket', allowed: ['1h', '1d'], message: 'parameter "bucket" must be one of 1h, 1d' });
    const unionFailure = validationFailure('querystring', [
      { keyword: 'const', instancePath: '/state', params: { allowedValue: 'online' } },
      { keyword: 'const', instancePath: '/state', params: { allowedValue: 'offline' } },
      { keyword: 'anyOf', instancePath: '/state', params: {} },
    ]);
    expect(toApiError(unionFailure)).toMatchObject({ parameter: 'state', allowed: ['online', 'offline'] });
  });

  it('names an unknown, a missing and a list parameter', () => {
    expect(toApiError(validationFailure('querystring', [{ keyword: 'additionalProperties', instancePath: '', params: { additionalProperty: 'colour' } }])))
      .toMatchObject({ parameter: 'colour', message: 'parameter "colour" is not a query parameter of this endpoint' });
    expect(toApiError(validationFailure('body', [{ keyword: 'required', instancePath: '', params: { missingProperty: 'actor' } }])))
      .toMatchObject({ parameter: 'actor', message: 'parameter "actor" is required' });
    expect(toApiError(validationFailure('querystring', [{ keyword: 'maxLength', instancePath: '/district/0', params: {}, message: 'must NOT have more than 64 characters' }])))
      .toMatchObject({ parameter: 'district' });
  });

  it('keeps our codes and their parameter; other 4xx become SW_API_BAD_REQUEST; 5xx hide the cause', () => {
    const SW_TEST_CONFLICT = createError('SW_TEST_CONFLICT', 'conflict over %s', 409);
    expect(toApiError(SW_TEST_CONFLICT(['x'], { parameter: 'id' }))).toEqual({ statusCode: 409, error: 'Conflict', code: 'SW_TEST_CONFLICT', message: 'conflict over x', parameter: 'id' });
    expect(toApiError(badParameter('district', 'is unknown', ['A', 'B']))).toEqual({
      statusCode: 400, error: 'Bad Request', code: 'SW_API_BAD_PARAMETER', message: 'parameter "district" is unknown', parameter: 'district', allowed: ['A', 'B'],
    });
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect(toApiError(tooLarge)).toEqual({ statusCode: 413, error: 'Payload Too Large', code: 'SW_API_BAD_REQUEST', message: 'the request cannot be read: Request body is too large' });
    const secret = Object.assign(new Error('password authentication failed for user "x"'), { code: '28P01' });
    expect(toApiError(secret)).toEqual({ statusCode: 500, error: 'Internal Server Error', code: 'SW_API_INTERNAL', message: 'internal error; see the server log' });
  });
});

describe('handlers', () => {
  const reply = () => {
    const sent: { status?: number; body?: unknown } = {};
    const r = { code: (status: number) => ((sent.status = status), r), send: (body: unknown) => ((sent.body = body), r) };
    return { r, sent };
  };

  it('answers with the body and logs only 5xx', () => {
    const logged: unknown[] = [];
    const request = { method: 'GET', url: '/api/v1/x', log: { error: (details: object) => void logged.push(details) } };
    const bad = reply();
    apiErrorHandler(badParameter('limit', 'must be >= 1'), request, bad.r);
    expect(bad.sent).toMatchObject({ status: 400, body: { code: 'SW_API_BAD_PARAMETER', parameter: 'limit' } });
    expect(logged).toEqual([]);
    const failed = reply();
    apiErrorHandler('a thrown string', request, failed.r);
    expect(failed.sent).toMatchObject({ status: 500, body: { code: 'SW_API_INTERNAL' } });
    expect(logged).toHaveLength(1);
  });

  it('answers an unknown route with SW_API_NO_ROUTE, without the query string', () => {
    const missing = reply();
    apiNotFoundHandler({ method: 'POST', url: '/api/v1/nope?x=1', log: { error: () => undefined } }, missing.r);
    expect(missing.sent).toEqual({ status: 404, body: { statusCode: 404, error: 'Not Found', code: 'SW_API_NO_ROUTE', message: 'there is no route POST /api/v1/nope; /docs lists every route' } });
  });

  it('fromValidation with no issues still names something', () => {
    expect(fromValidation([], 'querystring')).toMatchObject({ parameter: 'querystring' });
  });
});
