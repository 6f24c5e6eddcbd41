import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import { routeSchema } from '../route-schema.js';

/** One component's state as /api/health reports it. */
export interface ComponentHealth {
  status: 'up' | 'down' | 'degraded';
  detail?: string;
}

/** Named checks, e.g. broker, database, ingest. Each must answer quickly and never throw. */
export type HealthChecks = Record<string, () => Promise<ComponentHealth> | ComponentHealth>;

const ComponentSchema = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('degraded')]),
  detail: Type.Optional(Type.String()),
});
const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  components: Type.Record(Type.String(), ComponentSchema),
  uptimeS: Type.Number(),
});

/** GET /api/health: 200 when every component is up, 503 otherwise. */
export const healthPlugin = fp<{ checks: HealthChecks; timeoutMs?: number }>(
  async (app, { checks, timeoutMs = 2000 }) => {
    app.get(
      '/api/health',
      { schema: routeSchema({ tags: ['system'], operationId: 'getHealth', summary: 'State of broker, database and ingest', response: { 200: HealthResponse, 503: HealthResponse } }) },
      async (_request, reply) => {
        const entries = await Promise.all(
          Object.entries(checks).map(async ([name, check]): Promise<[string, ComponentHealth]> => {
            let timer: NodeJS.Timeout | undefined;
            const timeout = new Promise<ComponentHealth>((resolve) => {
              timer = setTimeout(() => resolve({ status: 'down', detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
            });
            try {
              return [name, await Promise.race([Promise.resolve(check()), timeout])];
            } catch (err) {
              return [name, { status: 'down', detail: (err as Error).message }];
            } finally {
              clearTimeout(timer);
            }
          }),
        );
        const components = Object.fromEntries(entries);
        const allUp = entries.every(([, c]) => c.status === 'up');
        reply.code(allUp ? 200 : 503);
        return { status: allUp ? 'up' : 'down', components, uptimeS: Math.round(process.uptime()) };
      },
    );
  },
  { name: 'streetwise-health', fastify: '5.x' },
);
