/**
 * OpenAPI for the analytics API: @fastify/swagger (the document at /docs/json) and @fastify/swagger-ui
 * (the page at /docs). The console registers these once for the whole app; tests and stand-alone use call
 * registerApiDocs(app) before registering analyticsApi.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export const API_TAGS = [
  { name: 'analytics', description: 'measures over the continuous aggregates: traffic, people, air and noise, incidents, operator KPIs, forecasts' },
  { name: 'open-data', description: 'anonymous, read-only, district-level aggregates with English and Chinese labels' },
];

/** Name shared schemas (addSchema) by their $id in components.schemas, e.g. ApiError, instead of def-0. */
export const SCHEMA_REF_RESOLVER = {
  buildLocalReference: (json: { $id?: unknown }, _baseUri: unknown, _fragment: unknown, i: number): string =>
    typeof json.$id === 'string' ? json.$id : `def-${i}`,
};

export async function registerApiDocs(app: FastifyInstance, options: { routePrefix?: string } = {}): Promise<void> {
  await app.register(swagger, {
    refResolver: SCHEMA_REF_RESOLVER,
    openapi: {
      info: {
        title: 'Streetwise analytics API',
        version: '1.0.0',
        description: 'Measures for urban planners, answered from TimescaleDB continuous aggregates. Every input and output has a JSON Schema; errors name the parameter at fault.',
      },
      tags: API_TAGS,
    },
  });
  await app.register(swaggerUi, { routePrefix: options.routePrefix ?? '/docs' });
}
