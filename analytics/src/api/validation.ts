/**
 * Query-string validation for the analytics routes: our own Ajv (so unknown parameters are refused even
 * where the host app strips them), comma-separated lists, and errors that name the parameter.
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SW_ANALYTICS_VALIDATION, parameterError, type ParameterError } from '../errors.js';

export function installValidation(app: FastifyInstance): void {
  const ajv = new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));
  app.setSchemaErrorFormatter((errors, dataVar) => validationError(errors, dataVar));
  // "district=Sha Tin,Kwun Tong" is two values, like "district=Sha Tin&district=Kwun Tong".
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const schema = (request.routeOptions.schema as { querystring?: { properties?: Record<string, { type?: string }> } } | undefined)?.querystring;
    const query = request.query as Record<string, unknown> | undefined;
    if (!schema?.properties || !query) return;
    for (const [key, prop] of Object.entries(schema.properties)) {
      if (prop.type !== 'array' || query[key] === undefined) continue;
      const values = Array.isArray(query[key]) ? (query[key] as unknown[]) : [query[key]];
      query[key] = values.flatMap((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s.length > 0) : [v]));
    }
  });
}

/** The parameter an Ajv error is about: `/limit` → limit, `/district/0` → district. */
export function parameterOf(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  return params.additionalProperty ?? params.missingProperty ?? (error.instancePath.split('/')[1] || 'query');
}

export function validationError(errors: ErrorObject[], dataVar: string): ParameterError {
  const first = errors[0] as ErrorObject;
  const parameter = parameterOf(first);
  const params = first.params as { additionalProperty?: string; allowedValues?: unknown[] };
  const what = params.additionalProperty !== undefined
    ? 'is not a parameter of this endpoint'
    : params.allowedValues
      ? `must be one of ${params.allowedValues.join(', ')}`
      : (first.message ?? 'is invalid');
  return parameterError(SW_ANALYTICS_VALIDATION, parameter, [`${dataVar} parameter "${parameter}" ${what}`]);
}
