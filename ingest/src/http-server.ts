import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { IngestHealth } from './ingest.js';
import { SW_INGEST_HTTP_PORT_IN_USE } from './errors.js';

export interface OpsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** GET /metrics (Prometheus text) and GET /health (JSON; 200 when all components are up, else 503). */
export async function startOpsServer(port: number, host: string, registry: Registry, health: () => IngestHealth): Promise<OpsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET') {
      response.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (err: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(err.message),
      );
      return;
    }
    if (path === '/health') {
      const state = health();
      const up = state.broker.status === 'up' && state.database.status === 'up' && state.ingest.status === 'up';
      response.writeHead(up ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: up ? 'up' : 'down', components: state }));
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /health\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? SW_INGEST_HTTP_PORT_IN_USE([port], { cause: err }) : err));
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  return {
    port: boundPort,
    url: `http://${host}:${boundPort}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
