import type { FastifyPluginAsync } from 'fastify';
import { routeSchema } from '../route-schema.js';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Streetwise console</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:48rem}code{background:#eee;padding:0 .3em}</style></head>
<body><h1>Streetwise</h1>
<p>The console server is running. The live map and incident desk come with the console release; until then:</p>
<ul>
<li><a href="/api/health">/api/health</a> — state of broker, database and ingest</li>
<li><a href="/metrics">/metrics</a> — Prometheus metrics</li>
<li><a href="/api/v1/devices">/api/v1/devices</a> — the registered fleet</li>
<li><a href="/api/v1/incidents?active=true">/api/v1/incidents?active=true</a> — open incidents</li>
<li><a href="/api/v1/events/recent">/api/v1/events/recent</a> — latest events</li>
<li><a href="/api/v1/dead-letters">/api/v1/dead-letters</a> — refused messages and why</li>
</ul></body></html>`;

export const landingPage: FastifyPluginAsync = async (app) => {
  app.get('/', { schema: routeSchema({ operationId: 'getLandingPage', hide: true }) }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
};
