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
import { badParameter } from '@streetwise/errors';

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
    refuseUnstorableText(request);
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

/**
 * NUL cannot be stored in PostgreSQL text (the query fails: a 500 instead of a 400), and a lone UTF-16
 * surrogate is not text (it would be stored as U+FFFD, not as sent). Refused in the query, the path and the
 * body alike, naming the parameter, before any route's handler sees them.
 */
// eslint-disable-next-line no-control-regex -- NUL is what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function refuseUnstorableText(request: FastifyRequest): void {
  for (const source of [request.params, request.query, request.body]) {
    const found = findUnstorable(source, '');
    if (found !== undefined) throw badParameter(found, 'must be text without NUL characters (\\u0000) or lone UTF-16 surrogates');
  }
}

/** The path ("label", "filters.0.road") of the first string or key holding unstorable text. */
function findUnstorable(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path || 'body' : undefined;
  // Bodies are bounded (bodyLimit) and parsed JSON; the depth bound only keeps a pathological one from recursing far.
  if (value === null || typeof value !== 'object' || depth > 64) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (UNSTORABLE.test(key)) return here;
    const found = findUnstorable(child, here, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
