/**
 * The operators' web app (console/web, built by Vite to console/web/dist): `/` is its page, `/assets/*` its
 * hashed scripts and styles (cached for a year: a new build has new names), `/data/*` the map's district
 * layer. All public, as a sign-in page must be; everything the app shows comes from the guarded API.
 * Without a build, `/` says how to make one.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { routeSchema } from '../route-schema.js';

/** console/web/dist, seen from console/dist/routes/ (built) or console/src/routes/ (tests running sources). */
export const WEB_APP_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface WebAppOptions {
  /** The built web app's folder. Default: console/web/dist. */
  dist?: string;
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Streetwise console</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:48rem}code{background:#eee;color:#111;padding:0 .3em}</style></head>
<body><h1>Streetwise</h1>
<p>The console server is running, but its web app (the live map and the incident desk) has not been built.
Build it with <code>npm run build</code> in the repository root (or <code>npm run build -w @streetwise/console-web</code>), then reload this page.</p>
<p>Meanwhile: <a href="/api/health">/api/health</a>, <a href="/metrics">/metrics</a>, <a href="/docs">/docs</a> (the API).</p>
</body></html>`;

export const webApp: FastifyPluginAsync<WebAppOptions> = async (app, options) => {
  const dist = options.dist ?? WEB_APP_DIST;
  const indexFile = join(dist, 'index.html');
  const built = existsSync(indexFile);
  if (!built) app.log.warn({ dist }, 'the web app is not built: `npm run build` builds it; / answers with how');
  // Read once: the page is small and changes only with a new build (a restart).
  const page = built ? await readFile(indexFile, 'utf8') : NOT_BUILT;

  app.get('/', { schema: routeSchema({ operationId: 'getWebApp', hide: true }) }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page),
  );
  if (!built) return;
  await app.register(fastifyStatic, { root: join(dist, 'assets'), prefix: '/assets/', immutable: true, maxAge: '365d', index: false, decorateReply: false });
  await app.register(fastifyStatic, { root: join(dist, 'data'), prefix: '/data/', maxAge: '1h', index: false, decorateReply: false });
};
