/**
 * The OpenAPI document's security, from the role matrix: the two schemes (session cookie + CSRF header,
 * bearer token) and, per operation, `security` ([] when public) and the roles that may call it. Plugged
 * into @fastify/swagger as its `transform`, so routes of every package (analytics too) get it.
 */
import type { FastifySchema } from 'fastify';
import { SESSION_COOKIE } from './accounts-options.js';
import { allowedRoles, ruleFor } from './role-matrix.js';

type SecurityScheme = { type: 'apiKey'; in: 'cookie'; name: string; description: string } | { type: 'http'; scheme: string; description: string };

export const SECURITY_SCHEMES: Record<string, SecurityScheme> = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'Set by POST /api/v1/session. POST, PATCH and DELETE also need the x-csrf-token header (csrfToken from GET /api/v1/session).',
  },
  bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token (swt_…) made with POST /api/v1/session/tokens; acts with its user\'s role.' },
};

export const SIGNED_IN_SECURITY: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];

interface TransformInput {
  schema: FastifySchema | undefined;
  url: string;
  route: { method: string | string[] };
}

export function openApiSecurityTransform({ schema, url, route }: TransformInput): { schema: FastifySchema; url: string } {
  const method = [route.method].flat().find((m) => m !== 'HEAD') ?? 'GET';
  const rule = ruleFor(method, url);
  if (!rule || rule.access === 'public') return { schema: { ...schema, security: [] }, url };
  const roles = rule.access === 'signed-in' ? 'any signed-in user' : allowedRoles(rule).join(', ');
  const via = rule.sessionOnly ? ' (browser session only, not a token)' : '';
  return {
    schema: {
      ...schema,
      security: rule.sessionOnly ? [{ session: [] }] : SIGNED_IN_SECURITY,
      description: [schema?.description, `Roles: ${roles}${via}.`].filter(Boolean).join('\n\n'),
    },
    url,
  };
}
