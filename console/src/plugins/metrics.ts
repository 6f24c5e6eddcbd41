import fp from 'fastify-plugin';
import { collectDefaultMetrics, Registry, Histogram } from 'prom-client';
import { routeSchema } from '../route-schema.js';

declare module 'fastify' {
  interface FastifyInstance {
    metricsRegistry: Registry;
  }
}

export interface MetricsPluginOptions {
  /** Registry shared with the other components of this process (ingest adds its counters to it). */
  registry?: Registry;
  /** Collect Node.js process metrics (CPU, memory, event-loop lag). Default true. */
  defaultMetrics?: boolean;
}

/** GET /metrics in the Prometheus text format, plus a request-duration histogram. */
export const metricsPlugin = fp<MetricsPluginOptions>(
  async (app, options) => {
    const registry = options.registry ?? new Registry();
    if ((options.defaultMetrics ?? true) && registry.getSingleMetric('process_cpu_seconds_total') === undefined) {
      collectDefaultMetrics({ register: registry });
    }
    const duration =
      (registry.getSingleMetric('streetwise_console_http_request_duration_seconds') as Histogram | undefined) ??
      new Histogram({
        name: 'streetwise_console_http_request_duration_seconds',
        help: 'HTTP request duration by route and status code',
        labelNames: ['route', 'status'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        registers: [registry],
      });
    app.decorate('metricsRegistry', registry);
    app.addHook('onResponse', async (request, reply) => {
      duration.observe({ route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
    app.get('/metrics', { schema: routeSchema({ operationId: 'getMetrics', hide: true }) }, async (_request, reply) => {
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'streetwise-metrics', fastify: '5.x' },
);
