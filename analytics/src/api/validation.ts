/**
 * Query-string validation for /api/v1: our own Ajv (so unknown parameters are refused even where the host
 * app strips them) and comma-separated lists. The console installs it once for all of /api/v1; the
 * analytics plugin installs it too, which is a no-op under the console and makes the plugin work alone.
 * A schema violation reaches the shared error handler (@streetwise/errors apiErrorHandler) with fastify's
 * `validation` attached, which turns it into SW_API_BAD_PARAMETER naming the parameter.
 */
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const INSTALLED = 'streetwiseApiValidation';

export function installApiValidation(app: FastifyInstance): void {
  if (app.hasDecorator(INSTALLED)) return;
  app.decorate(INSTALLED, true);
  const ajv = new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
  // The formats fastify's own validator knows (uuid for incident ids, date-time, …).
  addFormats.default(ajv);
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));
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
